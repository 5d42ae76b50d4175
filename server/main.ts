import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT, startListening } from './app.ts';
import { TOKEN_ENV } from './auth.ts';

const HELP = `Usage: npm start -- [options]

  --port N        port on 127.0.0.1 (default 8790; 0 picks a free one)
  --offline       use the local Bedrock emulator even when AWS credentials resolve
  --profile NAME  AWS profile to sign with (default: the default credential chain)
  --region NAME   AWS region (default: from the profile or environment, else us-east-1)
  --dir PATH      where notebooks are read and written (default: ./workspace)
  --speed X       emulator pacing: 1 real pace (default), 0 no delay
  --deny IDS      emulator: comma-separated model ids that answer AccessDeniedException
  --token TOKEN   the API token (default: $${TOKEN_ENV}, else a random one per start)
  --stream-timeout S  end a Bedrock stream that sends nothing for S seconds (default 60)
  --help          this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8790' },
      offline: { type: 'boolean', default: false },
      profile: { type: 'string' },
      region: { type: 'string' },
      dir: { type: 'string', default: path.join(PROJECT_ROOT, 'workspace') },
      speed: { type: 'string', default: '1' },
      deny: { type: 'string' },
      token: { type: 'string' },
      'stream-timeout': { type: 'string', default: '60' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const port = Number(values.port);
  const speed = Number(values.speed);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, not "${values.port}".`);
  }
  if (!Number.isFinite(speed) || speed < 0) {
    throw new Error(`--speed must be a number of 0 or more, not "${values.speed}".`);
  }
  const streamTimeout = Number(values['stream-timeout']);
  if (!(streamTimeout > 0)) {
    throw new Error(
      `--stream-timeout must be a number of seconds above 0, not "${values['stream-timeout']}".`,
    );
  }
  const token = values.token ?? process.env[TOKEN_ENV];
  if (token !== undefined && !/^[\x21-\x7e]+$/.test(token)) {
    throw new Error(
      `--token (or ${TOKEN_ENV}) must be visible ASCII characters without spaces, and not empty: the API is never left open.`,
    );
  }

  const server = await startListening({
    port,
    offline: values.offline,
    dir: values.dir,
    speed,
    streamTimeoutMs: streamTimeout * 1000,
    ...(token !== undefined ? { token } : {}),
    ...(values.profile ? { profile: values.profile } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values.deny ? { deny: values.deny.split(',').map((id) => id.trim()) } : {}),
    log: (line) => console.error(line),
  });
  console.log(`Notebooks: ${server.workspace.dir}`);
  // The address carries the token, as Jupyter's does: the page trades it for a cookie.
  console.log(`Bedrock Playground: ${server.startUrl}`);

  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  // The page is served while the credential chain is asked; it says so until this is known.
  const backend = await server.backend;
  if (backend.kind === 'emulator') {
    console.log(`Backend: offline emulator at ${backend.emulator?.url} — answers are synthetic.`);
    console.log(`  Why: ${backend.reason}`);
  } else if (backend.kind === 'none') {
    console.log(`Backend: none — ${backend.reason}`);
    console.log('  Choose a profile, or the emulator, with "Backend…" in the page.');
  } else {
    console.log(`Backend: Amazon Bedrock in ${backend.region} with ${backend.reason}.`);
  }
}

main().catch((error: unknown) => {
  console.error(`bedrock-playground: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
