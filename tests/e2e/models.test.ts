import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerOf, CLAUDE, deepText, useSession, waitForState } from './support.ts';
import { copyExample, openNotebook, pickModel, recordsOf } from './page-helpers.ts';

const session = useSession();

const SONNET4 = 'anthropic.claude-sonnet-4-20250514-v1:0';
const PROFILE = `us.${SONNET4}`;

describe('the model picker', () => {
  it('finds Claude Sonnet 4 as "sonnet 4" is typed, and a run of it uses the US profile from us-east-1', async () => {
    const notebook = await copyExample(session, 'picked');
    const { page, errors } = await openNotebook(session, notebook.name);
    const picker = page.getByRole('combobox', { name: `Model of ${CLAUDE}`, exact: true });
    await picker.focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('sonnet 4');
    const best = page.getByRole('option', { name: 'Claude Sonnet 4', exact: true });
    await best.waitFor();
    expect(await best.getAttribute('aria-selected')).toBe('true');
    expect(await picker.getAttribute('aria-expanded')).toBe('true');
    // Grouped by provider, with what a choice needs: features, price, access, how it is called.
    expect(
      await page.getByRole('group', { name: 'Anthropic' }).getByRole('option').count(),
    ).toBeGreaterThan(1);
    const details = await deepText(best);
    for (const part of [
      'reasoning',
      'images',
      'in $3.00 · out $15.00 per 1M tokens',
      'us. profile',
      'access granted',
    ]) {
      expect(details).toContain(part);
    }
    await page.keyboard.press('Enter');

    // The target is renamed after its new model and calls the US profile.
    const target = page.getByRole('listitem', { name: 'Target Claude Sonnet 4' });
    await expect.poll(() => target.locator('.id').textContent()).toBe(PROFILE);
    expect(
      await page
        .getByRole('combobox', { name: 'Inference profile of Claude Sonnet 4' })
        .inputValue(),
    ).toBe(PROFILE);

    await page.getByRole('button', { name: 'Run all' }).click();
    await waitForState(page, 'Claude Sonnet 4', 'Done');
    expect((await deepText(answerOf(page, 'Claude Sonnet 4'))).length).toBeGreaterThan(20);
    const records = await recordsOf(notebook);
    expect(records.find((r) => r.targetId === 'haiku')).toMatchObject({
      modelId: PROFILE,
      request: { api: 'converse', modelId: PROFILE, input: { modelId: PROFILE } },
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs a profile-only model’s base id into Bedrock’s on-demand error, whose hint offers the profile, and one click fixes it', async () => {
    const notebook = await copyExample(session, 'on-demand');
    const { page, errors } = await openNotebook(session, notebook.name);
    await pickModel(page, CLAUDE, SONNET4);
    const label = 'Claude Sonnet 4';
    await expect
      .poll(() =>
        page
          .getByRole('listitem', { name: `Target ${label}` })
          .locator('.id')
          .textContent(),
      )
      .toBe(SONNET4);

    await page.getByRole('button', { name: 'Run all' }).click();
    await waitForState(page, label, 'Failed');
    const alert = page.getByRole('alert').filter({ hasText: 'ValidationException' });
    expect(await alert.innerText()).toContain(
      `Invocation of model ID ${SONNET4} with on-demand throughput isn’t supported.`,
    );
    expect(await alert.innerText()).toContain(`call it through ${PROFILE}`);

    await alert.getByRole('button', { name: `Use ${PROFILE} and run again` }).click();
    await waitForState(page, label, 'Done');
    expect(
      await page
        .getByRole('listitem', { name: `Target ${label}` })
        .locator('.id')
        .textContent(),
    ).toBe(PROFILE);
    expect((await deepText(answerOf(page, label))).length).toBeGreaterThan(20);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('reasoning', () => {
  it('shows in its own fold above the answer, counted, and the answer follows it', async () => {
    const file = path.join(session.server.dir, 'thinking.md');
    await writeFile(
      file,
      `---
title: Thinking
version: 1
targets:
  - id: sonnet
    label: Sonnet 4
    modelId: ${PROFILE}
    api: converse
---

\`\`\`config id=cfg
{
  "maxTokens": 3000,
  "extras": {
    "sonnet": {
      "thinking": {
        "type": "enabled",
        "budget_tokens": 1024
      }
    }
  }
}
\`\`\`

\`\`\`prompt id=ask
Why is the sky blue?
\`\`\`
`,
    );
    const { page, errors } = await openNotebook(session, 'thinking');
    await page.getByRole('button', { name: 'Run all' }).click();
    await waitForState(page, 'Sonnet 4', 'Done');
    const fold = page.getByRole('group', { name: 'Reasoning of Sonnet 4' });
    const summary = fold.locator('summary');
    expect(await summary.innerText()).toMatch(/^Reasoning · \d+ words$/);
    // Above the answer, and closed until opened.
    const [foldBox, answerBox] = await Promise.all([
      fold.boundingBox(),
      answerOf(page, 'Sonnet 4').boundingBox(),
    ]);
    expect(foldBox!.y).toBeLessThan(answerBox!.y);
    expect(await fold.locator('.text').isVisible()).toBe(false);
    await summary.click();
    const reasoning = await fold.locator('.text').innerText();
    const words = Number(/(\d+) words/.exec(await summary.innerText())?.[1]);
    expect(reasoning.trim().split(/\s+/)).toHaveLength(words);
    expect(await deepText(answerOf(page, 'Sonnet 4'))).not.toContain(reasoning.slice(0, 40));
    expect(errors).toEqual([]);
    await page.close();
  });
});
