/** Notebook names made on the page: from a file or title, and free ones beside those taken. */

/** The characters a notebook name may hold (the server checks the full rule). */
const NAME_CHARS = /[^\p{L}\p{N} ._()-]+/gu;

/** A valid notebook name made from a file name or title ("My notes?.md" → "My notes"). */
export function nameFrom(text: string): string {
  const name = text
    .replace(/\.md$/i, '')
    .replace(NAME_CHARS, ' ')
    .replace(/\.{2,}/g, '.')
    .replace(/\s+/g, ' ')
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .slice(0, 80)
    .trim()
    .replace(/\.runs$/, '');
  return name || 'Untitled';
}

/** `base`, or `base (2)`, `base (3)`… whichever is not taken. */
export function freeName(base: string, taken: Iterable<string>): string {
  const names = new Set(taken);
  if (!names.has(base)) return base;
  const stem = base.replace(/ \(\d+\)$/, '');
  for (let n = 2; ; n++) {
    const name = `${stem} (${n})`;
    if (!names.has(name)) return name;
  }
}
