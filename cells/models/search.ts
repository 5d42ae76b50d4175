import type { CatalogModel } from './listing.ts';

/** The words of a name or id, lowercased: "Claude Sonnet 4.5" → claude, sonnet, 4.5. */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[\s()]+|(?<=[a-z])[-.](?=[a-z])/)
    .filter(Boolean);
}

/**
 * How well one model matches every word of a query, or 0 when a word is missing: a word that
 * is a whole word of the name counts most, then the start of one, then anywhere in the name,
 * the provider or the id (so "sonnet 4" puts Claude Sonnet 4 before Sonnet 4.5, and 3.5
 * Sonnet, whose id merely contains a 4, last).
 */
function score(model: CatalogModel, query: string[]): number {
  const name = words(model.name);
  const rest = `${model.provider} ${model.id}`.toLowerCase();
  let total = 0;
  for (const word of query) {
    if (name.includes(word)) total += 4;
    else if (name.some((w) => w.startsWith(word))) total += 2;
    else if (model.name.toLowerCase().includes(word) || rest.includes(word)) total += 1;
    else return 0;
  }
  return total;
}

/**
 * The models matching a search as typed, best first; among equal matches the active models
 * before the legacy ones, then the catalog's order. An empty query matches all, in order.
 */
export function searchModels(models: readonly CatalogModel[], query: string): CatalogModel[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!terms.length) return [...models];
  return models
    .map((model, index) => ({ model, index, score: score(model, terms) }))
    .filter((entry) => entry.score > 0)
    .sort(
      (a, b) =>
        b.score - a.score ||
        Number(a.model.lifecycle === 'LEGACY') - Number(b.model.lifecycle === 'LEGACY') ||
        a.index - b.index,
    )
    .map((entry) => entry.model);
}
