import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findAwsProfile, listAwsProfiles } from '../../server/aws-profiles.ts';
import { checkCredentials, diagnoseCredentialError } from '../../server/credentials.ts';
import { useAwsEnvironment, type AwsEnvironment } from '../support/aws-env.ts';

// The shared config files are temporary ones, named by AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE, and HOME is a temporary folder (the SSO token cache lives there),
// so the SDK's own loaders and credential chain read them as they would read ~/.aws.

const CONFIG = `[default]
region = eu-west-1

[profile dev]
region = us-west-2
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = Dev

[profile corp]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Dev
region = ap-southeast-2

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile keys]
region = us-east-1
`;
const CREDENTIALS = `[keys]
aws_access_key_id = AKIDSHAREDFILE
aws_secret_access_key = shared-file-secret

[only-credentials]
aws_access_key_id = AKIDSECOND
aws_secret_access_key = second-secret
`;

let aws: AwsEnvironment;
let dir: string;

beforeAll(async () => {
  aws = await useAwsEnvironment({ config: CONFIG, credentials: CREDENTIALS });
  dir = aws.dir;
});
afterEach(() => {
  delete process.env.AWS_BEARER_TOKEN_BEDROCK;
});
afterAll(() => aws.restore());

describe('the profiles of the shared config files', () => {
  it('are listed by name and Region, default first, without SSO sessions or keys', async () => {
    const profiles = await listAwsProfiles();
    expect(profiles).toEqual([
      { name: 'default', region: 'eu-west-1' },
      { name: 'corp', region: 'ap-southeast-2' },
      { name: 'dev', region: 'us-west-2' },
      { name: 'keys', region: 'us-east-1' },
      { name: 'only-credentials', region: null },
    ]);
    expect(JSON.stringify(profiles)).not.toMatch(/AKID|secret/);
  });

  it('are read afresh, so a profile added while the server runs is found', async () => {
    expect(await findAwsProfile('late')).toBeUndefined();
    await writeFile(path.join(dir, 'config'), `${CONFIG}\n[profile late]\nregion = eu-north-1\n`);
    try {
      expect(await findAwsProfile('late')).toEqual({ name: 'late', region: 'eu-north-1' });
    } finally {
      await writeFile(path.join(dir, 'config'), CONFIG);
    }
  });

  it('are none when the files do not exist', async () => {
    process.env.AWS_CONFIG_FILE = path.join(dir, 'no-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'no-credentials');
    try {
      expect(await listAwsProfiles()).toEqual([]);
    } finally {
      process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    }
  });
});

describe('checking credentials', () => {
  it('resolves a profile with keys in the credentials file', async () => {
    expect(await checkCredentials('keys')).toEqual({ ok: true, auth: 'credentials' });
  });

  it('names a profile that is not in the files as missing, with the files it looked in', async () => {
    const check = await checkCredentials('prod');
    expect(check).toMatchObject({
      ok: false,
      problem: { kind: 'profile-not-found', profile: 'prod' },
    });
    expect(!check.ok && check.problem.message).toBe(
      // HOME is the temporary folder, so the files are shown under "~".
      'Profile "prod" is not in ~/config or ~/credentials: check its name, or add it with `aws configure --profile prod`.',
    );
  });

  it('asks for `aws sso login --profile NAME` when an SSO profile has never logged in', async () => {
    for (const profile of ['dev', 'corp']) {
      const check = await checkCredentials(profile);
      expect(check).toMatchObject({
        ok: false,
        problem: { kind: 'sso-expired', command: `aws sso login --profile ${profile}` },
      });
    }
  });

  it('asks for `aws sso login --profile NAME` when the cached SSO token has expired', async () => {
    const startUrl = 'https://example.awsapps.com/start';
    const cache = path.join(dir, '.aws', 'sso', 'cache');
    await mkdir(cache, { recursive: true });
    const file = path.join(cache, `${createHash('sha1').update(startUrl).digest('hex')}.json`);
    await writeFile(
      file,
      JSON.stringify({
        startUrl,
        region: 'us-east-1',
        accessToken: 'expired-token',
        expiresAt: '2020-01-01T00:00:00Z',
      }),
    );
    try {
      const check = await checkCredentials('dev');
      expect(check).toMatchObject({
        ok: false,
        problem: {
          kind: 'sso-expired',
          command: 'aws sso login --profile dev',
          message:
            'The SSO session of profile "dev" has expired or was never started: run `aws sso login --profile dev`, then try again.',
        },
      });
    } finally {
      await rm(file);
    }
  });

  it('says there are no credentials at all when the default chain finds none', async () => {
    expect(await checkCredentials(null)).toMatchObject({
      ok: false,
      problem: { kind: 'no-credentials' },
    });
  });

  it('takes a Bedrock API key in the environment as enough, whatever the profiles', async () => {
    process.env.AWS_BEARER_TOKEN_BEDROCK = 'ABSKexample';
    expect(await checkCredentials(null)).toEqual({ ok: true, auth: 'api-key' });
  });
});

describe('credential errors met during a session', () => {
  it('read the SDK’s token wording as an expired SSO session of the profile', () => {
    const error = Object.assign(
      new Error(
        "Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
      ),
      { name: 'TokenProviderError' },
    );
    expect(diagnoseCredentialError(error, 'dev')).toMatchObject({
      kind: 'sso-expired',
      command: 'aws sso login --profile dev',
    });
  });

  it('pass any other error on with its own message', () => {
    expect(diagnoseCredentialError(new Error('Process exited with 1'), 'tool')).toEqual({
      kind: 'failed',
      message: 'Process exited with 1',
    });
  });
});
