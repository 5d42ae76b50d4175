import { describe, expect, it } from 'vitest';
import {
  EXPORT_LANGS,
  exportFileName,
  exportNotebook,
  exportRequest,
} from '../../../cells/export/index.ts';
import { NOTEBOOK_EXPORT_LANGS } from '../../../cells/export/index.ts';
import { exampleCases, loadNotebook } from './support.ts';

const REGION = 'us-east-1';

describe('exports of the example notebooks match their golden files', () => {
  for (const { name, request } of exampleCases()) {
    for (const lang of EXPORT_LANGS) {
      for (const streaming of [true, false]) {
        const options = { lang, streaming, region: REGION };
        const file = exportFileName(request, options);
        it(`exports ${name} (${request.api}) to ${lang}${streaming ? ', streaming' : ''} as ${file}`, async () => {
          await expect(exportRequest(request, options)).toMatchFileSnapshot(
            `golden/${name}/${streaming ? 'stream' : 'no-stream'}/${file}`,
          );
        });
      }
    }
  }

  it('exports with a named profile instead of the default credential chain', async () => {
    const [converse, invoke] = exampleCases();
    for (const { request } of [converse!, invoke!]) {
      for (const lang of EXPORT_LANGS) {
        const options = { lang, streaming: true, region: 'eu-west-3', profile: 'bedrock-dev' };
        await expect(exportRequest(request, options)).toMatchFileSnapshot(
          `golden/profile/${lang}/${request.api}-${exportFileName(request, options)}`,
        );
      }
    }
  });

  for (const notebook of ['pirate-email', 'glycolysis', 'hello-world-llama2']) {
    for (const lang of NOTEBOOK_EXPORT_LANGS) {
      const ext = { ipynb: 'ipynb', python: 'py', javascript: 'mjs' }[lang];
      it(`exports the whole ${notebook} notebook as ${lang}`, async () => {
        const text = exportNotebook(loadNotebook(notebook), {
          lang,
          region: REGION,
          streaming: true,
        });
        await expect(text).toMatchFileSnapshot(`golden/notebooks/${notebook}.${ext}`);
      });
    }
  }
});

describe('exports never contain credentials', () => {
  it('uses the default chain or a profile name, never keys', () => {
    for (const { request } of exampleCases()) {
      for (const lang of EXPORT_LANGS) {
        for (const profile of [undefined, 'dev']) {
          const text = exportRequest(request, {
            lang,
            streaming: true,
            region: REGION,
            ...(profile ? { profile } : {}),
          });
          expect(text).not.toMatch(/AKIA|ASIA|aws_secret_access_key|secretAccessKey|SecretKey/i);
          expect(text).toContain(request.modelId);
        }
      }
    }
  });
});
