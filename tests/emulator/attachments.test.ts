import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import type { ContentBlock } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../server/emulator/index.ts';
import { readImageHeader, readPdf } from '../../server/emulator/media.ts';
import { guideImage, makePng, q2ReportPdf } from '../support/example-attachments.ts';
import { converseText, HAIKU, invokeJson, rejection, runtimeClient } from './helpers.ts';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ speed: 0 });
});
afterAll(() => emulator.close());

const text = (value: string): ContentBlock => ({ text: value });
const png = (bytes: Uint8Array): ContentBlock => ({ image: { format: 'png', source: { bytes } } });
const doc = (name: string, bytes: Uint8Array, format: 'txt' | 'pdf' = 'txt'): ContentBlock => ({
  document: { format, name, source: { bytes } },
});

function ask(...content: ContentBlock[]) {
  return converseText(runtimeClient(emulator), {
    modelId: HAIKU,
    messages: [{ role: 'user', content }],
  });
}

describe('the emulator reads what it is given', () => {
  it("names an image's real format and size in pixels, from its header", async () => {
    const answer = await ask(text('This is image 1:'), png(guideImage()), text('Describe it.'));
    expect(answer).toContain('Received: a 160×120 PNG.');
  });

  it('reads the sizes of JPEG, GIF and WebP headers', () => {
    const gif = new Uint8Array([...new TextEncoder().encode('GIF89a'), 7, 0, 5, 0, 0, 0]);
    expect(readImageHeader(gif)).toEqual({ format: 'gif', width: 7, height: 5 });
    const jpeg = new Uint8Array([
      0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0, 30, 0, 40, 3, 0, 0, 0,
    ]);
    expect(readImageHeader(jpeg)).toEqual({ format: 'jpeg', width: 40, height: 30 });
    const webp = new Uint8Array(30);
    webp.set(new TextEncoder().encode('RIFF'), 0);
    webp.set(new TextEncoder().encode('WEBPVP8X'), 8);
    webp.set([99, 0, 0, 49, 0, 0], 24);
    expect(readImageHeader(webp)).toEqual({ format: 'webp', width: 100, height: 50 });
  });

  it("quotes a text document's first words and size", async () => {
    const notes = new TextEncoder().encode(
      'Revenue grew 12% while costs fell 3%, a good quarter for us.',
    );
    const answer = await ask(doc('notes', notes), text('Summarize.'));
    expect(answer).toContain(
      `"notes" (txt, ${notes.length} bytes) begins "Revenue grew 12% while costs fell 3%, a…"`,
    );
  });

  it("counts a PDF's pages and reads the first words of its text layer", async () => {
    const pdf = await q2ReportPdf();
    expect(await readPdf(pdf)).toEqual({
      pages: 2,
      words: 'Q2 report: AnyCompany earnings, second quarter Revenue grew…',
    });
    const answer = await ask(doc('Q2 report', pdf, 'pdf'), text('What was the revenue?'));
    expect(answer).toContain('"Q2 report" is a PDF of 2 pages that begins "Q2 report: AnyCompany');
  });

  it('keeps the answer to a text-only prompt as it was', async () => {
    // The golden exports compare whole answers; this one is the pirate example's first words.
    const answer = await ask(text('Hello'));
    expect(answer).not.toContain('Received:');
  });
});

describe("the emulator refuses what Bedrock refuses, in Bedrock's words", () => {
  const refusals: [string, () => ContentBlock[], string][] = [
    [
      'bytes that are not the PNG they say they are',
      () => [text('Look'), png(new TextEncoder().encode('GIF89a, not a PNG'))],
      'The model returned the following errors: The provided image does not match the specified image format.',
    ],
    [
      'two documents with one name',
      () => [
        doc('report', new Uint8Array([65])),
        doc('report', new Uint8Array([66])),
        text('Compare'),
      ],
      "Messages can't contain duplicate document names. Rename the document and retry your request.",
    ],
    [
      'a sixth document',
      () => [...Array.from({ length: 6 }, (_, i) => doc(`d${i}`, new Uint8Array([65]))), text('x')],
      "You can't include more than 5 documents in a request.",
    ],
    [
      'an image over 3.75 MB',
      () => {
        const big = new Uint8Array(4 * 1024 * 1024);
        big.set(makePng(2, 2, () => [0, 0, 0]));
        return [png(big), text('x')];
      },
      'The model returned the following errors: messages.0.content.0.image.source: image exceeds 5 MB maximum: 5592408 bytes > 5242880 bytes',
    ],
  ];
  for (const [what, content, message] of refusals) {
    it(`refuses ${what}`, async () => {
      const error = await rejection(
        runtimeClient(emulator).send(
          new ConverseCommand({
            modelId: HAIKU,
            messages: [{ role: 'user', content: content() }],
          }),
        ),
      );
      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe(message);
    });
  }

  it('refuses a mismatched image in a native Claude body too', async () => {
    const error = await rejection(
      invokeJson(runtimeClient(emulator), HAIKU, {
        anthropic_version: 'bedrock-2023-05-31',
        max_tokens: 10,
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'image',
                source: { type: 'base64', media_type: 'image/png', data: 'R0lGODlh' },
              },
            ],
          },
        ],
      }),
    );
    expect(error.message).toContain(
      'The provided image does not match the specified image format.',
    );
  });
});
