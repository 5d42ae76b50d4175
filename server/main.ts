import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT, startListening } from './app.ts';

const HELP = `Usage: npm start -- [options]

  --port N        port on 127.0.0.1 (default 8790; 0 picks a free one)
  --offline       use the local Bedrock emulator even when AWS credentials resolve
  --profile NAME  AWS profile to sign with (default: the default credential chain)
  --region NAME   AWS region (default: from the profile or environment, else us-east-1)
  --dir PATH      where notebooks are read and written (default: ./workspace)
  --speed X       emulator pacing: 1 real pace (default), 0 no delay
  --deny IDS      emulator: comma-separated model ids that answer AccessDeniedException
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

  const server = await startListening({
    port,
    offline: values.offline,
    dir: values.dir,
    speed,
    ...(values.profile ? { profile: values.profile } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values.deny ? { deny: values.deny.split(',').map((id) => id.trim()) } : {}),
    log: (line) => console.error(line),
  });
  console.log(`Notebooks: ${server.workspace.dir}`);
  console.log(`Bedrock Playground: ${server.url}`);

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
  } else {
    console.log(`Backend: Amazon Bedrock in ${backend.region} with ${backend.reason}.`);
  }
}

main().catch((error: unknown) => {
  console.error(`bedrock-playground: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
