import { describe, expect, it } from 'vitest';
import { openPage, typeInto, useSession } from './support.ts';

const session = useSession();

describe('the editor chunk', () => {
  it('validates and completes JSON against the cell schema through the JSON worker it starts itself', async () => {
    const { page, errors } = await openPage(session);
    const config = page.getByRole('textbox', { name: 'Inference config', exact: true });
    await config.waitFor({ state: 'attached' });
    const editor = page
      .getByRole('region', { name: 'Inference config cell 3' })
      .locator('.monaco-editor');

    // A value of the wrong type: the worker's schema validation marks it.
    await typeInto(page, 'Inference config', '{ "maxTokens": "lots" }');
    await expect
      .poll(() => editor.locator('.squiggly-error').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);

    // A key being typed: the worker offers the schema's keys.
    await typeInto(page, 'Inference config', '{ "temp');
    await page.keyboard.press('Control+Space');
    const suggestions = page.locator('.suggest-widget .monaco-list-row');
    await expect
      .poll(() => suggestions.allInnerTexts(), { timeout: 15_000 })
      .toContainEqual(expect.stringContaining('temperature'));
    expect(errors).toEqual([]);
    await page.close();
  });
});
