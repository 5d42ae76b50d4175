import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  answerOf,
  CLAUDE,
  deepText,
  LLAMA,
  openPage,
  ROOT,
  runState,
  typeInto,
  useSession,
  waitForState,
} from './support.ts';

const session = useSession();

/** Opens the playground (the Pirate email example) and waits for the prompt's editor. */
const openPlayground = () => openPage(session);

const figure = (page: Page, label: string, name: string) =>
  page
    .getByLabel(`Figures of ${label}`)
    .locator('div')
    .filter({ has: page.getByText(name, { exact: true }) })
    .locator('dd');

describe('the notebook page', () => {
  it('opens the Pirate email example without console errors, and Run all streams both answers to the end with their figures', async () => {
    const { page, errors } = await openPlayground();
    await expect.poll(() => page.getByLabel('Notebook title').inputValue()).toBe('Pirate email');
    await expect
      .poll(() => page.getByRole('status', { name: 'Backend' }).textContent())
      .toContain('answers are synthetic');

    await page.getByRole('button', { name: 'Run all' }).click();
    for (const label of [CLAUDE, LLAMA]) {
      await waitForState(page, label, 'Done');
      expect((await deepText(answerOf(page, label))).length).toBeGreaterThan(20);
      expect(await figure(page, label, 'Stop reason').innerText()).toMatch(/^(end_turn|stop)$/);
      expect(Number(await figure(page, label, 'Output tokens').innerText())).toBeGreaterThan(0);
      expect(Number(await figure(page, label, 'Input tokens').innerText())).toBeGreaterThan(0);
      expect(await figure(page, label, 'Time to first token').innerText()).toMatch(/\d+ m?s/);
      expect(await figure(page, label, 'Total time').innerText()).toMatch(/\d+ m?s/);
      expect(await figure(page, label, 'Cost').innerText()).toMatch(/\$[\d.e-]+\s+estimate/);
    }
    // The two models answer differently (they are not one column shown twice).
    expect(await deepText(answerOf(page, CLAUDE))).not.toBe(await deepText(answerOf(page, LLAMA)));

    await mkdir(path.join(ROOT, 'test-results'), { recursive: true });
    await page
      .getByRole('region', { name: 'Prompt cell 4' })
      .evaluate((cell) => cell.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'comparison.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs a prompt typed into the editor against both models, and shows it in the Converse input and the Llama 2 prompt', async () => {
    const { page, errors } = await openPlayground();
    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
    await waitForState(page, CLAUDE, 'Done');
    await waitForState(page, LLAMA, 'Done');
    const before = [await deepText(answerOf(page, CLAUDE)), await deepText(answerOf(page, LLAMA))];

    await typeInto(page, 'Prompt', 'Describe a green parrot called Polly');
    await page.keyboard.press('ControlOrMeta+Enter');
    for (const [i, label] of [CLAUDE, LLAMA].entries()) {
      await expect.poll(() => deepText(answerOf(page, label))).not.toBe(before[i]);
      await waitForState(page, label, 'Done');
      expect(await deepText(answerOf(page, label))).toContain('Polly');
    }

    await page.getByRole('button', { name: 'Show request of cell 4' }).click();
    const converse = page.getByRole('region', { name: `Converse input for ${CLAUDE}` });
    const prompt = page.getByRole('region', { name: `Rendered prompt for ${LLAMA}` });
    expect(JSON.parse(await converse.innerText())).toMatchObject({
      messages: [{ role: 'user', content: [{ text: 'Describe a green parrot called Polly' }] }],
    });
    expect(await prompt.innerText()).toMatch(
      /^<s>\[INST\] <<SYS>>\n[^]*\n<<\/SYS>>\n\nDescribe a green parrot called Polly \[\/INST\]$/,
    );

    // The request view follows the editor as you type.
    await typeInto(page, 'Prompt', 'Now about a cat');
    await expect.poll(() => prompt.innerText()).toContain('Now about a cat [/INST]');
    await expect.poll(() => converse.innerText()).toContain('"text": "Now about a cat"');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('stops a slow stream with I I, not with the Esc that leaves the editor, keeping the partial text', async () => {
    const { page } = await openPlayground();
    await typeInto(page, 'Prompt', '[[fault:pace:ms=150]] Tell me a long story about the sea');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => runState(page, CLAUDE).textContent()).toBe('Streaming');
    await expect
      .poll(async () => (await deepText(answerOf(page, CLAUDE))).length)
      .toBeGreaterThan(5);

    // Esc only leaves the editor: the answers go on.
    await page.keyboard.press('Escape');
    expect(await runState(page, CLAUDE).textContent()).toBe('Streaming');
    await page.keyboard.press('i');
    await page.keyboard.press('i');
    await waitForState(page, CLAUDE, 'Stopped', 5_000);
    await waitForState(page, LLAMA, 'Stopped', 5_000);
    const partial = await deepText(answerOf(page, CLAUDE));
    expect(partial.length).toBeGreaterThan(5);
    await page.waitForTimeout(600);
    expect(await deepText(answerOf(page, CLAUDE))).toBe(partial);
    expect(await page.getByRole('button', { name: 'Stop' }).isDisabled()).toBe(true);
    await page.close();
  });

  it('shows throttling in the failing column, with the server’s hint, while the other column completes', async () => {
    const { page } = await openPlayground();
    // Both targets receive the prompt; the directive's model= filter makes only Claude fail.
    await typeInto(page, 'Prompt', 'Write a haiku about the sea [[fault:throttling:model=claude]]');
    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();

    await waitForState(page, CLAUDE, 'Failed');
    await waitForState(page, LLAMA, 'Done');
    const error = page.getByRole('alert').filter({ hasText: 'ThrottlingException' });
    expect(await error.innerText()).toContain('wait a few seconds and run again');
    expect((await deepText(answerOf(page, LLAMA))).length).toBeGreaterThan(20);
    expect(await figure(page, LLAMA, 'Stop reason').innerText()).toBe('stop');
    await page.close();
  });

  it('marks an answer whose connection was cut Failed with the server’s hint, not Done', async () => {
    const { page, errors } = await openPlayground();
    await typeInto(page, 'Prompt', 'Tell me about tides [[fault:disconnect:after=3]]');
    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
    await waitForState(page, CLAUDE, 'Failed');
    await waitForState(page, LLAMA, 'Failed');
    const errorsShown = page.getByRole('alert').filter({ hasText: 'StreamCut' });
    expect(await errorsShown.count()).toBe(2);
    for (const text of await errorsShown.allInnerTexts()) {
      expect(text).toMatch(/cut part-way; the text so far is kept/);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fails an answer that ends without a stop reason, and reports a line that is not a run event', async () => {
    const { page, errors } = await openPlayground();
    // The server's side is replaced: Claude's stream just ends, Llama's carries an unknown event.
    await page.route('**/api/run', async (route) => {
      const { target } = route.request().postDataJSON() as {
        target: { modelId: string; api: string };
      };
      const claude = target.modelId.includes('claude');
      const lines = [
        { type: 'start', ...target },
        { type: 'text', text: 'Ahoy, partial answer' },
        ...(claude
          ? []
          : [
              { type: 'surprise', text: 'not a run event' },
              { type: 'stop', reason: 'stop' },
            ]),
      ];
      await route.fulfill({
        contentType: 'application/x-ndjson',
        body: lines.map((line) => `${JSON.stringify(line)}\n`).join(''),
      });
    });
    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();

    await waitForState(page, CLAUDE, 'Failed');
    const cut = page.getByRole('alert').filter({ hasText: 'StreamCut' });
    expect(await cut.innerText()).toContain(
      'The answer ended without a stop reason: the connection was probably cut.',
    );
    expect(await cut.innerText()).toContain('The text so far is kept');
    expect(await deepText(answerOf(page, CLAUDE))).toContain('Ahoy, partial answer');

    await waitForState(page, LLAMA, 'Failed');
    const unexpected = page.getByRole('alert').filter({ hasText: 'UnexpectedEvent' });
    expect(await unexpected.innerText()).toContain('Unexpected event from the server');
    expect(await unexpected.innerText()).toContain('surprise');
    expect(await deepText(answerOf(page, LLAMA))).toContain('Ahoy, partial answer');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens links of a rendered answer in a new tab without the opener, and drops javascript: links', async () => {
    const { page, errors } = await openPlayground();
    await typeInto(
      page,
      'Prompt',
      'See [docs](https://example.com/x) and [x](javascript:alert(1))',
    );
    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
    for (const label of [CLAUDE, LLAMA]) {
      await waitForState(page, label, 'Done');
      const docs = answerOf(page, label).getByRole('link', { name: 'docs' });
      expect(await docs.getAttribute('href')).toBe('https://example.com/x');
      expect(await docs.getAttribute('target')).toBe('_blank');
      expect(await docs.getAttribute('rel')).toContain('noopener');
      const hrefs = await answerOf(page, label)
        .locator('a')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
      expect(hrefs).toContain('https://example.com/x');
      expect(hrefs.filter((href) => /^\s*javascript:/i.test(href))).toEqual([]);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows markup in a model answer as text and never runs it', async () => {
    const { page, errors } = await openPlayground();
    const markup = '<img src=x onerror=window.__bpPwned=1>';
    await typeInto(page, 'Prompt', `Quote this back: ${markup}`);
    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
    await waitForState(page, CLAUDE, 'Done');
    await waitForState(page, LLAMA, 'Done');

    for (const label of [CLAUDE, LLAMA]) {
      expect(await deepText(answerOf(page, label))).toContain(markup);
      expect(await answerOf(page, label).locator('img').count()).toBe(0);
    }
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __bpPwned?: number }).__bpPwned)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders an answer that grows a few characters at a time as the whole answer rendered at once', async () => {
    const { page, errors } = await openPlayground();
    const markdown = [
      '# Tides',
      'The sea rises and falls twice a day,\nas the [moon](https://example.com/moon) pulls.',
      '1. Spring tides\n2. Neap tides\n\n3. King tides, after a blank line',
      '- a tight list\n- of two',
      '```ts\nconst tide = 2;\n\nconsole.log(tide);\n```',
      '| Tide | Height |\n| --- | --- |\n| high | 2 m |\n| low | 0 m |',
      '> A quote\nthat goes on',
      'Setext heading\n---',
      'Last words <img src=x onerror=alert(1)>',
    ].join('\n\n');
    const [grown, whole] = await page.evaluate(async (text) => {
      type View = HTMLElement & { markdown: string; updateComplete: Promise<boolean> };
      const make = () => document.body.appendChild(document.createElement('bp-markdown-view'));
      const html = (view: View) => view.shadowRoot!.innerHTML.replace(/<!--[^>]*-->/g, '');
      const growing = make() as View;
      for (let end = 0; end <= text.length; end += 3) {
        growing.markdown = text.slice(0, end);
        await growing.updateComplete;
      }
      growing.markdown = text;
      await growing.updateComplete;
      const at_once = make() as View;
      at_once.markdown = text;
      await at_once.updateComplete;
      return [html(growing), html(at_once)];
    }, markdown);
    expect(grown).toContain('<table>');
    expect(grown).not.toContain('<img');
    expect(grown).toBe(whole);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists the keyboard shortcuts in a dialog when ? is pressed', async () => {
    const { page } = await openPlayground();
    await page.locator('body').click({ position: { x: 5, y: 500 } });
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Shift+Enter');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.close();
  });

  it('runs the prompt with Shift+Enter and moves the keyboard to a new prompt cell below it', async () => {
    const { page } = await openPlayground();
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).focus();
    await page.keyboard.press('Shift+Enter');
    await waitForState(page, CLAUDE, 'Done');
    await waitForState(page, LLAMA, 'Done');
    const next = page.getByRole('region', { name: 'Prompt cell 5' });
    await next.waitFor();
    await expect
      .poll(() =>
        next.getByRole('textbox', { name: 'Prompt' }).evaluate((box) => {
          let active = document.activeElement;
          while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
          return active === box;
        }),
      )
      .toBe(true);
    // The new cell continues the thread: its request carries both answers of cell 4.
    await page.keyboard.type('And in French?');
    await page.getByRole('button', { name: 'Show request of cell 5' }).click();
    const converse = page.getByRole('region', { name: `Converse input for ${CLAUDE}` });
    const input = JSON.parse(await converse.innerText()) as { messages: { role: string }[] };
    expect(input.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    await page.close();
  });
});
