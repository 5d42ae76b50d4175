import { HttpError } from './http.ts';

export const MAX_NAME_LENGTH = 100;
/** Notebook files end in this; the name a user sees is the file name without it. */
export const NOTEBOOK_EXTENSION = '.md';
/** Run records sit beside the notebook, append-only, never inside its source. */
export const RUNS_EXTENSION = '.runs.jsonl';

/** Names Windows keeps for devices, with or without an extension ("nul.md" is the device too). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * Checks a notebook name from a URL or a request; the message names the rule it breaks.
 * Names are file names without the extension, so they cannot leave the workspace, and they are
 * names every platform can hold, so a workspace can be copied to Windows whole.
 */
export function checkName(name: string): string {
  if (name.length === 0) throw new HttpError('A notebook name must not be empty.', 400);
  if (name.length > MAX_NAME_LENGTH) {
    throw new HttpError(`A notebook name must be at most ${MAX_NAME_LENGTH} characters.`, 400);
  }
  if (/[/\\]/.test(name)) throw new HttpError('A notebook name must not contain "/" or "\\".', 400);
  if (name.includes('..')) throw new HttpError('A notebook name must not contain "..".', 400);
  if (name.startsWith('.')) throw new HttpError('A notebook name must not start with ".".', 400);
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ._()-]*$/u.test(name)) {
    throw new HttpError(
      'A notebook name may contain only letters, digits, spaces, ".", "_", "-" and parentheses, and must start with a letter or digit.',
      400,
    );
  }
  if (name.endsWith('.runs')) throw new HttpError('A notebook name must not end in ".runs".', 400);
  if (/[. ]$/.test(name)) {
    throw new HttpError(
      'A notebook name must not end in "." or a space (Windows drops them).',
      400,
    );
  }
  if (WINDOWS_DEVICE.test(name.split('.')[0]!.trimEnd())) {
    throw new HttpError(
      `A notebook name must not be a Windows device name (CON, PRN, AUX, NUL, COM1–COM9, LPT1–LPT9): "${name}".`,
      400,
    );
  }
  return name;
}
