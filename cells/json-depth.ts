/**
 * How deep a JSON value may nest (objects and arrays). Bedrock request fields and notebook extras
 * are a few levels deep; the limit keeps every recursive reader (zod, `JSON.stringify`, the SDK's
 * serializer) far from the end of the stack, and `JSON.parse` from work that grows with depth.
 */
export const MAX_JSON_DEPTH = 64;

/** How many leading fields of a path an error shows. */
const SHOWN_SEGMENTS = 6;
const SHOWN_KEY_CHARS = 40;

/**
 * The path (`extras.haiku.a.0`) to the first object or array in a JSON text that nests deeper
 * than `limit`, or null. One pass, no recursion; the text need not be valid JSON, since this runs
 * before `JSON.parse`, which then reports what else is wrong. A too-deep root is the path "(root)".
 */
export function tooDeepAt(text: string, limit = MAX_JSON_DEPTH): string | null {
  const path: (string | number)[] = [];
  const inArray: boolean[] = [];
  let keyStart = -1;
  let keyEnd = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      keyStart = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
      keyEnd = i + 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (inArray.length >= limit) return describePath(path);
      inArray.push(c === 0x5b);
      path.push(c === 0x5b ? 0 : '');
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      inArray.pop();
      path.pop();
    } else if (c === 0x3a /* : */ && inArray.at(-1) === false && keyStart >= 0) {
      path[path.length - 1] = keyText(text.slice(keyStart, keyEnd));
    } else if (c === 0x2c /* , */ && inArray.at(-1) === true) {
      path[path.length - 1] = (path.at(-1) as number) + 1;
    }
  }
  return null;
}

function keyText(quoted: string): string {
  let key: string;
  try {
    key = String(JSON.parse(quoted));
  } catch {
    key = quoted.slice(1, -1);
  }
  return key.length > SHOWN_KEY_CHARS ? `${key.slice(0, SHOWN_KEY_CHARS)}…` : key;
}

function describePath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  const shown = path.slice(0, SHOWN_SEGMENTS).join('.');
  return path.length > SHOWN_SEGMENTS ? `${shown}.…` : shown;
}
