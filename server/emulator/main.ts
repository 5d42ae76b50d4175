import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  EMULATOR_BEARER_TOKEN,
  EMULATOR_CREDENTIALS,
  environmentLines,
  startEmulator,
} from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    speed: { type: 'string', default: '1' },
    deny: { type: 'string', default: '' },
    'access-key-id': { type: 'string', default: EMULATOR_CREDENTIALS.accessKeyId },
    'secret-access-key': { type: 'string', default: EMULATOR_CREDENTIALS.secretAccessKey },
    'api-key': { type: 'string', default: EMULATOR_BEARER_TOKEN },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  },
});

const port = Number(values.port);
const speed = Number(values.speed);
const certFile = values['tls-cert'];
const keyFile = values['tls-key'];
if (
  !Number.isInteger(port) ||
  port < 0 ||
  !Number.isFinite(speed) ||
  speed < 0 ||
  (certFile === undefined) !== (keyFile === undefined)
) {
  console.error(
    'usage: emulator [--port N] [--host H] [--speed X] [--deny id,id] [--access-key-id K] [--secret-access-key S] [--api-key K] [--tls-cert FILE --tls-key FILE]',
  );
  process.exit(2);
}
const credentials = {
  accessKeyId: values['access-key-id'],
  secretAccessKey: values['secret-access-key'],
};
const emulator = await startEmulator({
  host: values.host,
  port,
  speed,
  deny: values.deny
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean),
  credentials,
  bearerToken: values['api-key'],
  tls:
    certFile && keyFile ? { cert: readFileSync(certFile), key: readFileSync(keyFile) } : undefined,
});

// Handlers go in before the address is printed: whoever reads it may signal at once.
const shutdown = (): void => {
  emulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

console.log(`Bedrock emulator listening on ${emulator.url} (HTTP/1.1 and HTTP/2), speed ${speed}`);
console.log('Point an SDK or the AWS CLI at it with:');
const caBundle = certFile ? path.resolve(certFile) : undefined;
for (const line of environmentLines(emulator.url, credentials, values['api-key'], caBundle))
  console.log(line);
