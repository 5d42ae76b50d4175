import { expect, it } from 'vitest';
import { EMULATOR_BEARER_TOKEN } from '../../server/emulator/index.ts';
import { startPrintedEmulator } from './printed-env.ts';

it('prints the address and the environment lines every SDK and the CLI need, then exits on SIGTERM', async () => {
  const printed = await startPrintedEmulator();
  const url = /export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=(http:\/\/127\.0\.0\.1:\d+)/.exec(
    printed.lines.join('\n'),
  )?.[1];
  expect(url).toBeDefined();
  expect(printed.lines).toEqual([
    'unset AWS_PROFILE AWS_SESSION_TOKEN AWS_BEARER_TOKEN_BEDROCK',
    `export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=${url}`,
    `export AWS_ENDPOINT_URL_BEDROCK=${url}`,
    'export AWS_ACCESS_KEY_ID=AKIDEMULATOR',
    'export AWS_SECRET_ACCESS_KEY=emulator-secret',
    'export AWS_REGION=us-east-1',
    'export AWS_DEFAULT_REGION=us-east-1',
    `# export AWS_BEARER_TOKEN_BEDROCK=${EMULATOR_BEARER_TOKEN}   # a Bedrock API key instead of SigV4`,
  ]);
  expect(printed.bearerToken).toBe(EMULATOR_BEARER_TOKEN);
  // The lines take precedence over whatever the shell had.
  expect(printed.env.AWS_PROFILE).toBeUndefined();
  expect(printed.env.AWS_DEFAULT_REGION).toBe('us-east-1');
  expect(await printed.stop()).toBe(0);
});
