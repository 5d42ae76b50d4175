import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLAUDE, LLAMA, useSession, waitForState } from './support.ts';
import { copyExample, openNotebook } from './page-helpers.ts';

const session = useSession();

/** Opens a copy of the Pirate email example at a window size, with `count` targets run once. */
async function openWith(name: string, width: number, height: number, count: number) {
  await copyExample(session, name);
  const { page, errors } = await openNotebook(session, name);
  await page.setViewportSize({ width, height });
  for (let i = 2; i < count; i++) await page.getByRole('button', { name: '+ Add target' }).click();
  await expect.poll(() => page.locator('bp-targets-bar li.target').count()).toBe(count);
  await page.getByRole('button', { name: 'Run all' }).click();
  for (const label of [CLAUDE, LLAMA]) await waitForState(page, label, 'Done');
  await expect.poll(() => page.locator('bp-answer-column').count()).toBe(count);
  return { page, errors };
}

/** Controls (buttons, selects, inputs) that reach past the window's left or right edge. */
function controlsOutside(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const outside: string[] = [];
    const walk = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll('button, select, input, [role="textbox"]')) {
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height) continue;
        if (box.left < -0.5 || box.right > innerWidth + 0.5) {
          outside.push(
            `${el.getAttribute('aria-label') ?? el.textContent?.trim()} ${box.left}..${box.right}`,
          );
        }
      }
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    return outside;
  });
}

/** The top edge of each element matching `selector` (through shadow roots), rounded. */
function tops(page: Page, selector: string): Promise<number[]> {
  return page
    .locator(selector)
    .evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top + scrollY)));
}

describe('the page at any window size', () => {
  it.each([
    [390, 844],
    [360, 740],
  ])(
    'fits a %i × %i window without sideways scrolling, answers stacked, every control within reach',
    async (width, height) => {
      const { page, errors } = await openWith(`narrow-${width}`, width, height, 3);
      await page.getByRole('button', { name: 'Show request of cell 4' }).click();
      await page.getByRole('button', { name: `Request of ${CLAUDE}` }).click();
      await page.getByRole('button', { name: `Wire events of ${LLAMA}` }).click();

      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        390,
      );
      expect(await controlsOutside(page)).toEqual([]);
      // The answers stack: one column under the other.
      const columns = await tops(page, 'bp-answer-column');
      expect(new Set(columns).size).toBe(3);
      // The header and status bar scroll away instead of holding a third of the height.
      await page.evaluate(() => window.scrollTo(0, 1200));
      const fixed = await page.evaluate(() => {
        let covered = 0;
        const walk = (root: Document | ShadowRoot): void => {
          for (const el of root.querySelectorAll('header, bp-status-bar')) {
            const box = el.getBoundingClientRect();
            covered += Math.max(0, Math.min(box.bottom, innerHeight) - Math.max(box.top, 0));
          }
          for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
        };
        walk(document);
        return covered;
      });
      expect(fixed).toBeLessThan(height * 0.15);
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it('puts three, then four targets’ answers in one row at 1440 × 1000, with model ids whole', async () => {
    const { page, errors } = await openWith('wide', 1440, 1000, 3);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      1440,
    );
    expect(new Set(await tops(page, 'bp-answer-column')).size).toBe(1);
    expect(new Set(await tops(page, 'bp-targets-bar li.target')).size).toBe(1);

    // Every model id is shown whole: in each column and under each target, never clipped.
    const ids = await page.locator('bp-targets-bar li.target .id').allInnerTexts();
    expect(ids).toEqual([
      'anthropic.claude-3-haiku-20240307-v1:0',
      'meta.llama2-13b-chat-v1',
      expect.stringMatching(/\S/),
    ]);
    const clipped = await page
      .locator('bp-answer-column .model, bp-targets-bar .id, bp-answer-column h3')
      .evaluateAll((els) =>
        els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent),
      );
    expect(clipped).toEqual([]);
    for (const select of await page.getByRole('combobox', { name: /^Model of / }).all()) {
      expect(await select.getAttribute('title')).toMatch(/\(.+\)$/);
    }

    await page.getByRole('button', { name: '+ Add target' }).click();
    await page.getByRole('button', { name: 'Run all' }).click();
    await expect.poll(() => page.locator('bp-answer-column').count()).toBe(4);
    await expect.poll(async () => new Set(await tops(page, 'bp-answer-column')).size).toBe(1);
    expect(new Set(await tops(page, 'bp-targets-bar li.target')).size).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
