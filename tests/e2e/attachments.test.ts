import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNotebook } from '../../cells/format.ts';
import { guideImage, q2ReportPdf } from '../support/example-attachments.ts';
import { openNotebook, recordsOf, waitForSaved } from './page-helpers.ts';
import { answerOf, CLAUDE, deepText, LLAMA, useSession, waitForState } from './support.ts';

const session = useSession(['--speed', '0']);

const NOTEBOOK = `---
title: Attach
version: 1
targets:
  - id: haiku
    label: ${CLAUDE}
    modelId: anthropic.claude-3-haiku-20240307-v1:0
    api: converse
  - id: llama2
    label: ${LLAMA}
    modelId: meta.llama2-13b-chat-v1
    api: invoke
---

\`\`\`prompt id=ask
Describe this image, then answer from the report:
\`\`\`
`;

describe('images and documents in a prompt', () => {
  it('attaches a PNG by the file chooser and a PDF by drag and drop; Claude reads both, Llama 2 says it cannot', async () => {
    const file = path.join(session.server.dir, 'attach.md');
    await writeFile(file, NOTEBOOK);
    const { page, errors } = await openNotebook(session, 'attach');

    // The file chooser is the next stop after the prompt's editor.
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).focus();
    await page.keyboard.press('Tab');
    const chooser = page.getByLabel('Attach images or documents to cell 1');
    await expect
      .poll(() =>
        chooser.evaluate((input) => input === (input.getRootNode() as ShadowRoot).activeElement),
      )
      .toBe(true);
    await chooser.setInputFiles({
      name: 'guide-image.png',
      mimeType: 'image/png',
      buffer: guideImage(),
    });
    const image = page.getByRole('listitem', { name: 'Image guide-image.png' });
    await expect
      .poll(() => deepText(image))
      .toMatch(/guide-image\.png\s+png · 559 bytes · 160×120 · sha256 [0-9a-f]{12}…/);

    // A PDF dropped on the prompt's attachments, as a file manager drops it.
    const pdf = Buffer.from(await q2ReportPdf()).toString('base64');
    const dataTransfer = await page.evaluateHandle((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'Q2 report.pdf', { type: 'application/pdf' }));
      return transfer;
    }, pdf);
    const zone = page.getByRole('group', { name: 'Attachments of cell 1' });
    await zone.dispatchEvent('dragover', { dataTransfer });
    await zone.dispatchEvent('drop', { dataTransfer });
    const documentChip = page.getByRole('listitem', { name: 'Document Q2 report' });
    await documentChip.waitFor();
    expect(await deepText(documentChip)).toMatch(/Q2 report\s+pdf · 1\.4 KB · sha256/);

    // The parts reorder from the keyboard: the document first, then back.
    const firstPart = () =>
      page
        .getByRole('list', { name: 'Parts after the prompt text of cell 1' })
        .getByRole('listitem')
        .first();
    await page.getByRole('button', { name: 'Move Q2 report up' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => firstPart().getAttribute('aria-label')).toBe('Document Q2 report');
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(() => firstPart().getAttribute('aria-label')).toBe('Image guide-image.png');

    // The preview shows the image itself, and Escape closes it.
    await page.getByRole('button', { name: 'Preview guide-image.png' }).click();
    const preview = page.getByRole('dialog', { name: 'Preview of guide-image.png' });
    await expect
      .poll(() =>
        preview
          .getByRole('img', { name: 'Preview of guide-image.png' })
          .evaluate((img) => (img as HTMLImageElement).naturalWidth),
      )
      .toBe(160);
    await page.keyboard.press('Escape');
    await expect.poll(() => preview.count()).toBe(0);

    // The request view shows each attachment by name, format, size and digest, not its bytes.
    await page.getByRole('button', { name: 'Show request of cell 1' }).click();
    const request = await deepText(page.getByRole('region', { name: `Request for ${CLAUDE}` }));
    expect(request).toMatch(
      /‹guide-image\.png · png · 559 bytes · 160×120 · sha256 [0-9a-f]{12}… · attachments\/[0-9a-f]{16}\.png›/,
    );
    expect(request).toMatch(/‹Q2 report · pdf · 1\.4 KB · sha256 [0-9a-f]{12}…/);
    expect(request).not.toContain(guideImage().toString('base64').slice(0, 24));

    // The notebook file names the files; the bytes are in attachments/.
    await waitForSaved(page);
    const saved = parseNotebook(await readFile(file, 'utf8'));
    const prompt = saved.cells[0];
    expect(prompt?.kind === 'prompt' && prompt.parts.map((p) => p.kind)).toEqual([
      'image',
      'document',
    ]);

    await page.getByRole('button', { name: 'Run cell 1', exact: true }).click();
    await waitForState(page, CLAUDE, 'Done');
    await waitForState(page, LLAMA, 'Done');
    const claude = await deepText(answerOf(page, CLAUDE));
    expect(claude).toContain('a 160×120 PNG');
    expect(claude).toContain('"Q2 report" is a PDF of 2 pages');
    // The warnings are in Llama's column, and Claude's has none.
    const warningsOf = (label: string) =>
      page
        .locator('bp-answer-column')
        .filter({ has: answerOf(page, label) })
        .getByRole('list', { name: 'Warnings' });
    const warnings = await deepText(warningsOf(LLAMA));
    expect(warnings).toContain(
      'Llama 2 13B Chat cannot take images in its InvokeModel body: "guide-image.png" is left out of the request',
    );
    expect(warnings).toContain(
      'Llama 2 13B Chat cannot take documents in its InvokeModel body: "Q2 report" is left out of the request',
    );
    expect(await warningsOf(CLAUDE).count()).toBe(0);
    expect(await deepText(answerOf(page, LLAMA))).not.toContain('160×120');

    // The run records name each part, never its bytes.
    const records = await recordsOf({
      name: 'attach',
      file,
      runs: path.join(session.server.dir, 'attach.runs.jsonl'),
    });
    const claudeRecord = records.find((r) => r.targetId === 'haiku');
    expect(claudeRecord?.attachments?.map((a) => [a.name, a.format])).toEqual([
      ['guide-image.png', 'png'],
      ['Q2 report', 'pdf'],
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses an unsupported format and an oversize image before uploading, saying why', async () => {
    await writeFile(path.join(session.server.dir, 'refuse.md'), NOTEBOOK);
    const { page } = await openNotebook(session, 'refuse');
    const chooser = page.getByLabel('Attach images or documents to cell 1');
    await chooser.setInputFiles({
      name: 'scan.bmp',
      mimeType: 'image/bmp',
      buffer: Buffer.from('BM'),
    });
    const alert = page.getByRole('group', { name: 'Attachments of cell 1' }).getByRole('alert');
    await expect
      .poll(() => alert.textContent())
      .toContain('"scan.bmp" is not a format Bedrock takes');
    const big = Buffer.alloc(4 * 1024 * 1024);
    guideImage().copy(big);
    await chooser.setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: big });
    await expect
      .poll(() => alert.textContent())
      .toContain('"big.png" is 4 MB: Bedrock takes images of at most 3.75 MB each.');
    expect(await page.getByRole('listitem', { name: /^Image / }).count()).toBe(0);
    await page.close();
  });

  it('attaches an image pasted into the prompt', async () => {
    await writeFile(path.join(session.server.dir, 'paste.md'), NOTEBOOK);
    const { page, errors } = await openNotebook(session, 'paste');
    const prompt = page.getByRole('textbox', { name: 'Prompt', exact: true });
    await prompt.focus();
    const png = guideImage().toString('base64');
    await prompt.evaluate((box, base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const clipboardData = new DataTransfer();
      clipboardData.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
      box.dispatchEvent(
        new ClipboardEvent('paste', {
          clipboardData,
          bubbles: true,
          composed: true,
          cancelable: true,
        }),
      );
    }, png);
    const pasted = page.getByRole('listitem', { name: /^Image pasted \d{6}\.png$/ });
    await pasted.waitFor();
    expect(await deepText(pasted)).toContain('160×120');
    expect(errors).toEqual([]);
    await page.close();
  });
});
