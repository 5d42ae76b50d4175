import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../cells/run-record.ts';
import { openNotebook, recordsOf } from './page-helpers.ts';
import type { TestNotebook } from './page-helpers.ts';
import { deepText, useSession } from './support.ts';

const session = useSession();

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const LLAMA3 = 'meta.llama3-8b-instruct-v1:0';
const TARGETS = `targets:
  - id: haiku
    label: Claude 3 Haiku
    modelId: ${HAIKU}
    api: converse
  - id: llama
    label: Llama 3 8B
    modelId: ${LLAMA3}
    api: invoke
`;

/** Writes a notebook of test cases: a data cell, then a prompt with repeats and checks. */
async function gridNotebook(
  name: string,
  options: { rows: string; prompt?: string; repeat?: number; checks?: object[]; data?: string },
): Promise<TestNotebook> {
  const checks = options.checks?.length
    ? `\n\`\`\`checks\n${options.checks.map((c) => JSON.stringify(c)).join('\n')}\n\`\`\``
    : '';
  const data = options.data ?? `\`\`\`data id=cases\nproduct,audience\n${options.rows}\n\`\`\``;
  const text = `---\ntitle: ${name}\nversion: 1\n${TARGETS}---\n\n${data}\n\n\`\`\`prompt id=ask repeat=${options.repeat ?? 1}\n${options.prompt ?? 'Write a tagline for {{product}}, aimed at {{audience}}.'}\n\`\`\`${checks}\n`;
  const file = path.join(session.server.dir, `${name}.md`);
  await writeFile(file, text);
  return { name, file, runs: path.join(session.server.dir, `${name}.runs.jsonl`) };
}

const gridStatus = (page: Page) => page.getByRole('status', { name: 'Grid status of cell 2' });
const answers = (page: Page) =>
  page.getByRole('table', { name: 'Answers of cell 2' }).getByRole('cell');

async function waitForStatus(page: Page, pattern: RegExp, timeout = 30_000): Promise<string> {
  await expect.poll(() => gridStatus(page).textContent(), { timeout }).toMatch(pattern);
  return (await gridStatus(page).textContent()) ?? '';
}

/** Each grid call's answered record: row, repeat and target, once each. */
const answered = (records: RunRecord[]) =>
  records.filter((r) => r.grid && !r.error && r.stopReason !== null);
const placeOf = (r: RunRecord) => `${r.grid!.row}:${r.grid!.repeat}:${r.targetId}`;

describe('the grid', () => {
  it('runs 3 test cases × 2 targets × 2 repeats as 12 calls: 12 answers with their checks, column summaries, and a CSV of 12 rows with the variables', async () => {
    const notebook = await gridNotebook('twelve', {
      rows: 'Trailblazer boots,hikers\nNimbus headphones,commuters',
      repeat: 2,
      checks: [
        { type: 'contains', value: '{{product}}' },
        { type: 'max-tokens', threshold: 400 },
      ],
    });
    const { page, errors } = await openNotebook(session, notebook.name);
    // The third test case is typed into the table, key by key.
    await page.getByRole('button', { name: '+ Test case' }).click();
    await page.getByRole('textbox', { name: 'product of test case 3' }).click();
    await page.keyboard.type('Sprout herb garden');
    await page.keyboard.press('Tab');
    await page.keyboard.type('people in small flats');
    await page.keyboard.press('Tab');

    const run = page.getByRole('button', { name: 'Run the grid of cell 2' });
    await expect.poll(() => run.textContent()).toMatch(/Run 12 calls, about \$/);

    await run.click();
    expect(await waitForStatus(page, /^Done: 12 of 12 calls/)).not.toContain('failed');

    const cells = answers(page);
    await expect.poll(() => cells.count()).toBe(12);
    for (const cell of await cells.all()) {
      const text = await deepText(cell);
      expect(text).toMatch(/^Done/);
      expect(text).toContain('✓ contains "{{product}}"');
      expect(text).toContain('✓ at most 400 tokens');
    }
    const third = await deepText(
      page.getByRole('cell', { name: 'Llama 3 8B, test case 3, repeat 2' }),
    );
    expect(third).toContain(
      'Write a tagline for Sprout herb garden, aimed at people in small flats.',
    );

    for (const label of ['Claude 3 Haiku', 'Llama 3 8B']) {
      const summary = await deepText(page.getByLabel(`Summary of ${label}`));
      expect(summary).toMatch(/Pass\s*6 of 6 \(100 %\)/);
      expect(summary).toMatch(/First token\s*p50 [\d.]+ m?s · p95 [\d.]+ m?s/);
      expect(summary).toMatch(/Total\s*p50 [\d.]+ m?s · p95 [\d.]+ m?s/);
      expect(summary).toMatch(/Tokens\s*[\d,]+ in · [\d,]+ out/);
      expect(summary).toMatch(/Cost\s*\$\d/);
    }
    const marks = await deepText(
      page.getByRole('table', { name: 'Answers of cell 2' }).getByRole('row').first(),
    );
    expect(marks).toContain('Cheapest');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the grid of cell 2 as CSV' }).click(),
    ]);
    const csv = await readFile(await download.path(), 'utf8');
    const rows = Papa.parse(csv.trim(), { skipEmptyLines: true }).data;
    const [header, ...lines] = rows;
    expect(lines).toHaveLength(12);
    const column = (name: string) => header!.indexOf(name);
    expect(column('{{product}}')).toBeGreaterThan(0);
    expect(column('{{audience}}')).toBeGreaterThan(0);
    expect(new Set(lines.map((l) => l[column('{{product}}')]))).toEqual(
      new Set(['Trailblazer boots', 'Nimbus headphones', 'Sprout herb garden']),
    );
    for (const line of lines) {
      expect(line[column('state')]).toBe('done');
      expect(line[column('text')]).toContain(line[column('{{product}}')]);
      expect(line[column('passed')]).toBe('pass');
    }

    const records = answered(await recordsOf(notebook));
    expect(records).toHaveLength(12);
    expect(new Set(records.map(placeOf)).size).toBe(12);
    expect(errors).toEqual([]);
  });

  it('shows a model-graded check’s verdict and reason, graded through Converse by the chosen model', async () => {
    const notebook = await gridNotebook('graded', {
      rows: 'Trailblazer boots,hikers',
      checks: [
        {
          type: 'llm-rubric',
          value: 'PASS if the tagline names {{product}}, FAIL otherwise.',
          model: HAIKU,
        },
      ],
    });
    const { page } = await openNotebook(session, notebook.name);
    await page.getByRole('button', { name: 'Run the grid of cell 2' }).click();
    await waitForStatus(page, /^Done: 2 of 2 calls/);
    const cell = page.getByRole('cell', { name: 'Llama 3 8B, test case 1' });
    expect(await deepText(cell)).toContain(`✓ graded by ${HAIKU}`);
    await page.getByRole('button', { name: 'Show Llama 3 8B, test case 1' }).click();
    const checks = await deepText(
      page.getByRole('list', { name: 'Checks of Llama 3 8B, test case 1' }),
    );
    // The verdict and the grader's reason (the emulator quotes the rubric it was sent).
    expect(checks).toContain(`✓ graded by ${HAIKU}`);
    expect(checks).toContain('if the tagline names Trailblazer boots, FAIL otherwise.');

    const [record] = answered(await recordsOf(notebook)).filter((r) => r.targetId === 'llama');
    expect(record!.grades).toEqual([
      expect.objectContaining({
        key: JSON.stringify([
          HAIKU,
          'PASS if the tagline names Trailblazer boots, FAIL otherwise.',
        ]),
        pass: true,
      }),
    ]);
  });

  it('retries a throttled call and completes; Stop halfway keeps the finished calls and "Run missing and failed" makes only the others', async () => {
    const rows = Array.from({ length: 6 }, (_, i) => `Product ${i + 1},buyers ${i + 1}`);
    // One test case is throttled once for Haiku: its retry is the second attempt.
    rows[0] = 'Product 1 [[fault:throttling:times=1:model=claude]],buyers 1';
    const notebook = await gridNotebook('stopped', {
      rows: rows.join('\n'),
      prompt: 'Write a tagline for {{product}}, aimed at {{audience}}. [[fault:slow:ms=400]]',
    });
    const { page } = await openNotebook(session, notebook.name);
    const inFlight = page.getByRole('textbox', { name: 'Calls in flight per model' });
    await inFlight.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('1');
    await page.keyboard.press('Tab');

    await page.getByRole('button', { name: 'Run the grid of cell 2' }).click();
    await waitForStatus(page, /^[4-9] of 12 calls|^1\d of 12 calls/);
    await page.getByRole('button', { name: 'Stop the grid of cell 2' }).click();
    const stopped = await waitForStatus(page, /^Stopped: \d+ of 12 calls/);
    const finished = Number(/^Stopped: (\d+)/.exec(stopped)![1]);
    expect(finished).toBeGreaterThanOrEqual(4);
    expect(finished).toBeLessThan(12);

    const shownDone = async () => {
      let done = 0;
      for (const cell of await answers(page).all()) {
        if ((await deepText(cell)).startsWith('Done')) done++;
      }
      return done;
    };
    expect(await shownDone()).toBe(finished);
    expect(answered(await recordsOf(notebook))).toHaveLength(finished);

    const missing = page.getByRole('button', { name: 'Run missing and failed calls of cell 2' });
    expect(await missing.textContent()).toContain(`(${12 - finished})`);
    await missing.click();
    await waitForStatus(page, new RegExp(`^Done: ${12 - finished} of ${12 - finished} calls`));
    expect(await shownDone()).toBe(12);

    const records = await recordsOf(notebook);
    const done = answered(records);
    expect(done).toHaveLength(12);
    expect(new Set(done.map(placeOf)).size).toBe(12);
    // The throttled call was retried: its first attempt is recorded, and its answer is attempt 2.
    const first = records.filter((r) => r.grid?.row === 0 && r.targetId === 'haiku');
    expect(first.map((r) => r.error?.name ?? 'answered')).toContain('ThrottlingException');
    expect(done.find((r) => r.grid!.row === 0 && r.targetId === 'haiku')!.grid!.attempt).toBe(2);
    expect(
      await deepText(page.getByRole('cell', { name: 'Claude 3 Haiku, test case 1' })),
    ).toContain('attempt 2');
  });

  it('runs 1,000 calls against the emulator at speed 0 with no main-thread task over 200 ms while the grid fills', async () => {
    // 250 test cases from a CSV file of the workspace × 2 targets × 2 repeats.
    const rows = Array.from({ length: 250 }, (_, i) => `Product ${i + 1},audience ${i + 1}`);
    await writeFile(
      path.join(session.server.dir, 'thousand.csv'),
      `product,audience\n${rows.join('\n')}\n`,
    );
    const notebook = await gridNotebook('thousand', {
      rows: '',
      data: '```data id=cases file=thousand.csv\n```',
      repeat: 2,
      checks: [{ type: 'contains', value: '{{product}}' }],
    });
    const { page, errors } = await openNotebook(session, notebook.name);
    await page.getByRole('button', { name: 'Run the grid of cell 2' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Confirm the run of cell 2' });
    expect(await deepText(confirm)).toMatch(/This run makes 1,000 calls, about \$/);

    // Chromium reports every main-thread task longer than 50 ms as a "longtask" entry.
    expect(await page.evaluate(() => PerformanceObserver.supportedEntryTypes)).toContain(
      'longtask',
    );
    await page.evaluate(() => {
      const tasks: number[] = [];
      (window as unknown as { longTasks: number[] }).longTasks = tasks;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) tasks.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    await confirm.getByRole('button', { name: 'Run 1,000 calls' }).click();
    // The test's own look-ups run on the page's main thread too (a search by role walks every
    // shadow root): while the grid fills, the test reads one status element and scrolls with
    // the wheel over the table, found once, so the tasks measured are the page's own.
    const status = await gridStatus(page).elementHandle();
    // Scrolls through the grid (its own scroller) while it fills, so rows keep coming on screen.
    await page.getByRole('table', { name: 'Answers of cell 2' }).hover();
    for (let i = 0; i < 12; i++) {
      await page.mouse.wheel(0, 2400);
      await page.waitForTimeout(250);
    }
    await expect
      .poll(() => status.textContent(), { timeout: 150_000 })
      .toMatch(/^Done: 1000 of 1000 calls/);
    const tasks = await page.evaluate(
      () => (window as unknown as { longTasks: number[] }).longTasks,
    );
    expect(Math.max(0, ...tasks), `long tasks (ms): ${tasks.join(', ')}`).toBeLessThan(200);
    expect(await deepText(page.getByLabel('Summary of Claude 3 Haiku'))).toMatch(
      /Pass\s*500 of 500 \(100 %\)/,
    );
    expect(new Set(answered(await recordsOf(notebook)).map(placeOf)).size).toBe(1000);
    expect(errors).toEqual([]);
  }, 240_000);
});
