/**
 * Every keyboard shortcut of the page, in one table: the `?` dialog renders it and the key
 * handlers match against it, so a key cannot work without being listed. The model is Jupyter's:
 * in an editor (edit mode) keys type; Esc leaves the editor for its cell (command mode), where
 * single keys act on cells and Enter goes back in.
 */

/** What a shortcut does; the element that owns the action carries it out. */
export type Command =
  | 'run-advance'
  | 'run'
  | 'run-all'
  | 'command-mode'
  | 'edit-mode'
  | 'previous-cell'
  | 'next-cell'
  | 'insert-above'
  | 'insert-below'
  | 'delete-cell'
  | 'move-up'
  | 'move-down'
  | 'stop'
  | 'undo'
  | 'redo'
  | 'save'
  | 'help';

/**
 * Where a shortcut works: `edit` in a cell's editor, `cell` on a cell in command mode, `page`
 * anywhere but while typing in a text field (`inEditor` ones also while typing in a cell editor).
 */
export type Where = 'edit' | 'cell' | 'page';

export interface Shortcut {
  command: Command;
  /**
   * The keys, each alternative a chord (`Mod+Shift+Enter`) or a sequence of chords pressed one
   * after the other (`D D`). `Mod` is Ctrl, or ⌘ on a Mac.
   */
  keys: readonly string[];
  where: Where;
  /** Also works while typing in a cell's editor (the editor passes it on). */
  inEditor?: boolean;
  description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  {
    command: 'run-advance',
    keys: ['Shift+Enter'],
    where: 'cell',
    inEditor: true,
    description: 'Run the cell and move to the next one',
  },
  {
    command: 'run',
    keys: ['Mod+Enter'],
    where: 'cell',
    inEditor: true,
    description: 'Run the cell and stay on it',
  },
  {
    command: 'run-all',
    keys: ['Mod+Shift+Enter'],
    where: 'page',
    inEditor: true,
    description: 'Run all cells',
  },
  {
    command: 'stop',
    keys: ['I I'],
    where: 'page',
    description: 'Stop every answer that is streaming (the partial text is kept)',
  },
  {
    command: 'command-mode',
    keys: ['Escape'],
    where: 'edit',
    description: 'Leave the editor for its cell (command mode); Tab then moves on',
  },
  { command: 'edit-mode', keys: ['Enter'], where: 'cell', description: 'Edit the cell' },
  {
    command: 'previous-cell',
    keys: ['ArrowUp', 'K'],
    where: 'cell',
    description: 'Go to the cell above',
  },
  {
    command: 'next-cell',
    keys: ['ArrowDown', 'J'],
    where: 'cell',
    description: 'Go to the cell below',
  },
  { command: 'insert-above', keys: ['A'], where: 'cell', description: 'Add a prompt cell above' },
  { command: 'insert-below', keys: ['B'], where: 'cell', description: 'Add a prompt cell below' },
  {
    command: 'move-up',
    keys: ['Mod+Shift+ArrowUp'],
    where: 'cell',
    description: 'Move the cell up',
  },
  {
    command: 'move-down',
    keys: ['Mod+Shift+ArrowDown'],
    where: 'cell',
    description: 'Move the cell down',
  },
  {
    command: 'delete-cell',
    keys: ['D D'],
    where: 'cell',
    description: 'Delete the cell (its runs are kept; undo brings it back)',
  },
  {
    command: 'undo',
    keys: ['Z', 'Mod+Z'],
    where: 'page',
    description: 'Undo the last notebook edit (a delete, move, kind change, target change, text)',
  },
  {
    command: 'redo',
    keys: ['Shift+Z', 'Mod+Shift+Z', 'Mod+Y'],
    where: 'page',
    description: 'Redo what was undone',
  },
  {
    command: 'save',
    keys: ['Mod+S'],
    where: 'page',
    inEditor: true,
    description: 'Save now (edits are also saved a second after they are made)',
  },
  { command: 'help', keys: ['?'], where: 'page', description: 'Show this list' },
];

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** One key press of a shortcut, parsed: the key (lower case for letters) and its modifiers. */
export interface Chord {
  key: string;
  mod: boolean;
  shift: boolean;
  alt: boolean;
}

/** Parses `Mod+Shift+Enter` into a chord. */
export function parseChord(text: string): Chord {
  const parts = text.split('+');
  const key = parts.pop() ?? '';
  return {
    key: key.length === 1 ? key.toLowerCase() : key,
    mod: parts.includes('Mod'),
    shift: parts.includes('Shift'),
    alt: parts.includes('Alt'),
  };
}

/** The chords of each alternative of a shortcut (`D D` is two chords). */
function sequencesOf(shortcut: Shortcut): Chord[][] {
  return shortcut.keys.map((keys) => keys.split(' ').map(parseChord));
}

function matches(chord: Chord, event: KeyboardEvent): boolean {
  const mod = isMac ? event.metaKey : event.ctrlKey;
  const other = isMac ? event.ctrlKey : event.metaKey;
  if (other || mod !== chord.mod || event.altKey !== chord.alt) return false;
  // `?` is typed with Shift on most layouts: a printable key's shift is in the key itself.
  if (chord.key === '?') return event.key === '?';
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  return key === chord.key && event.shiftKey === chord.shift;
}

/** How a key reads in the help dialog on this platform. */
export function describeKeys(keys: string): string {
  return keys
    .split(' ')
    .map((chord) =>
      chord
        .split('+')
        .map((part) =>
          part === 'Mod'
            ? isMac
              ? '⌘'
              : 'Ctrl'
            : part === 'ArrowUp'
              ? '↑'
              : part === 'ArrowDown'
                ? '↓'
                : part === 'Escape'
                  ? 'Esc'
                  : part,
        )
        .join('+'),
    )
    .join(' ');
}

/** The shortcuts that also work while typing in a cell editor (the editor passes them on). */
export const EDITOR_SHORTCUTS = SHORTCUTS.filter((s) => s.where === 'edit' || s.inEditor);

/** How long the second key of a sequence (`D D`, `I I`) may take. */
const SEQUENCE_MS = 1500;

/**
 * Matches key presses against the shortcuts of some places, remembering the first key of a
 * sequence (`D D`) until the next press.
 */
export class KeyMatcher {
  private readonly entries: { command: Command; chords: Chord[] }[];
  private pending: { command: Command; at: number } | undefined;

  constructor(where: readonly Where[]) {
    this.entries = SHORTCUTS.filter((s) => where.includes(s.where)).flatMap((s) =>
      sequencesOf(s).map((chords) => ({ command: s.command, chords })),
    );
  }

  /** The command the key completes, if any. A first key of a sequence is swallowed too. */
  match(event: KeyboardEvent): { command: Command } | { partial: true } | undefined {
    const pending = this.pending;
    this.pending = undefined;
    if (['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) {
      this.pending = pending;
      return undefined;
    }
    for (const { command, chords } of this.entries) {
      const [first, second] = chords;
      if (!first) continue;
      if (second) {
        if (
          pending?.command === command &&
          event.timeStamp - pending.at < SEQUENCE_MS &&
          matches(second, event)
        ) {
          return { command };
        }
        if (matches(first, event)) {
          this.pending = { command, at: event.timeStamp };
          return { partial: true };
        }
      } else if (matches(first, event)) {
        return { command };
      }
    }
    return undefined;
  }
}
