/**
 * Edits of a list of things with ids (a notebook's cells, its targets), each giving a new list
 * and leaving the old one as it was: the store keeps both for undo.
 */

interface WithId {
  id: string;
}

/** The list with the item of the same id replaced. */
export function replaceById<T extends WithId>(items: readonly T[], item: T): T[] {
  return items.map((i) => (i.id === item.id ? item : i));
}

/** The list without the item `id`. */
export function removeById<T extends WithId>(items: readonly T[], id: string): T[] {
  return items.filter((i) => i.id !== id);
}

/** The list with `item` inserted at `index` (kept within the list's bounds). */
export function insertAt<T>(items: readonly T[], index: number, item: T): T[] {
  const next = [...items];
  next.splice(Math.max(0, Math.min(index, next.length)), 0, item);
  return next;
}

/**
 * The list with the item `id` moved one place up (-1) or down (+1), and where it was; undefined
 * when it is not there or cannot move that way.
 */
export function moveById<T extends WithId>(
  items: readonly T[],
  id: string,
  by: -1 | 1,
): { items: T[]; from: number } | undefined {
  const from = items.findIndex((i) => i.id === id);
  const to = from + by;
  const item = items[from];
  if (!item || to < 0 || to >= items.length) return undefined;
  const next = removeById(items, id);
  next.splice(to, 0, item);
  return { items: next, from };
}
