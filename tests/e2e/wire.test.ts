import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLAUDE, deepText, LLAMA, useSession, waitForState } from './support.ts';
import { copyExample, openNotebook } from './page-helpers.ts';

const session = useSession();

/** What each run the page sent asked for, and how many of Bedrock's events came with it. */
interface Sent {
  modelId: string;
  wire: unknown;
  rawLines: number;
}

/**
 * Watches the runs the page sends and the wire events it fetches. Each run passes through
 * unchanged but whole (read to its end before the page gets it), so its lines can be counted.
 */
async function watchRuns(page: Page): Promise<{ runs: Sent[]; wireFetches: string[] }> {
  const seen = { runs: [] as Sent[], wireFetches: [] as string[] };
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith('/wire')) seen.wireFetches.push(url.pathname);
  });
  await page.route('**/api/run', async (route) => {
    const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
    const response = await route.fetch();
    const text = await response.text();
    seen.runs.push({
      modelId: (body.target as { modelId: string }).modelId,
      wire: body.wire,
      rawLines: text.split('\n').filter((line) => line.startsWith('{"type":"raw"')).length,
    });
    await route.fulfill({ response, body: text });
  });
  return seen;
}

const wireList = (page: Page, label: string) =>
  page.getByRole('list', { name: `Bedrock events of ${label}` });

describe('the wire view', () => {
  it('has Bedrock’s events streamed only while a wire view is open, and fetches the kept ones of other runs', async () => {
    const notebook = await copyExample(session, 'wire-live');
    const { page, errors } = await openNotebook(session, notebook.name);
    const seen = await watchRuns(page);

    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
    for (const label of [CLAUDE, LLAMA]) await waitForState(page, label, 'Done');
    await expect.poll(() => seen.runs.length).toBe(2);
    expect(seen.runs.map((r) => [r.wire, r.rawLines])).toEqual([
      [undefined, 0],
      [undefined, 0],
    ]);

    // Opened after the run: the events the server kept for it.
    await page.getByRole('button', { name: `Wire events of ${CLAUDE}` }).click();
    await expect.poll(() => wireList(page, CLAUDE).innerText()).toContain('"messageStop"');
    expect(seen.wireFetches).toHaveLength(1);

    // While it is open, a run asks for them and lists them as they come.
    await page.getByRole('button', { name: `Re-run ${CLAUDE} only` }).click();
    await waitForState(page, CLAUDE, 'Done');
    await expect.poll(() => seen.runs.length).toBe(3);
    expect(seen.runs[2]!.wire).toBe(true);
    expect(seen.runs[2]!.rawLines).toBeGreaterThan(3);
    const live = await wireList(page, CLAUDE).innerText();
    expect(live).toContain('"contentBlockDelta"');
    expect(live).toContain('"messageStop"');
    expect(seen.wireFetches).toHaveLength(1);

    // Closed again: runs do not ask.
    await page.getByRole('button', { name: `Rendered of ${CLAUDE}` }).click();
    await page.getByRole('button', { name: `Re-run ${CLAUDE} only` }).click();
    await waitForState(page, CLAUDE, 'Done');
    await expect.poll(() => seen.runs.length).toBe(4);
    expect(seen.runs[3]).toMatchObject({ wire: undefined, rawLines: 0 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says the server no longer holds a run’s events rather than that Bedrock sent none', async () => {
    const notebook = await copyExample(session, 'wire-gone');
    const { page } = await openNotebook(session, notebook.name);
    const gone =
      'The server no longer holds Bedrock’s events of run x: it keeps those of its last 50 runs since it started.';
    await page.route('**/api/run/*/wire', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ error: gone }),
      }),
    );
    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
    for (const label of [CLAUDE, LLAMA]) await waitForState(page, label, 'Done');
    await page.getByRole('button', { name: `Wire events of ${LLAMA}` }).click();
    const body = page.getByRole('region', { name: `Answer of ${LLAMA}` });
    await expect.poll(() => deepText(body)).toContain(gone);
    expect(await deepText(body)).not.toMatch(/sent no events/);
    await page.close();
  });
});
