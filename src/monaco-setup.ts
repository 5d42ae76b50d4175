/**
 * How the playground sets up a Monaco editor: its options (one look for every cell) and the
 * page's shortcuts bound in it.
 */
import type { MonacoModule } from './monaco-loader.ts';
import { SHORTCUTS, parseChord } from './shortcuts.ts';
import type { Chord, Command, Shortcut } from './shortcuts.ts';

type Monaco = MonacoModule['monaco'];
type Editor = ReturnType<Monaco['editor']['create']>;
type Options = NonNullable<Parameters<Monaco['editor']['create']>[1]>;

/** Monaco's key code for a chord's key (the few keys the shortcuts table uses in editors). */
function keyCodeOf(monaco: Monaco, key: string): number | undefined {
  const codes: Record<string, number> = {
    Enter: monaco.KeyCode.Enter,
    Escape: monaco.KeyCode.Escape,
    ArrowUp: monaco.KeyCode.UpArrow,
    ArrowDown: monaco.KeyCode.DownArrow,
  };
  if (key in codes) return codes[key];
  if (!/^[a-z]$/.test(key)) return undefined;
  return monaco.KeyCode[`Key${key.toUpperCase()}` as keyof typeof monaco.KeyCode];
}

/** What an editor's look depends on. */
export interface EditorLook {
  label: string;
  readonly: boolean;
  placeholder: string;
  json: boolean;
  lineNumbers: boolean;
  wrap: boolean;
  tabMovesFocus: boolean;
  fontFamily: string | undefined;
}

export function editorOptions(o: EditorLook): Options {
  const numbered = o.json || o.lineNumbers;
  return {
    ariaLabel: o.label,
    readOnly: o.readonly,
    placeholder: o.placeholder,
    automaticLayout: true,
    minimap: { enabled: false },
    lineNumbers: numbered ? 'on' : 'off',
    lineNumbersMinChars: 3,
    glyphMargin: false,
    folding: o.json,
    lineDecorationsWidth: numbered ? 6 : 12,
    wordWrap: o.wrap ? 'on' : 'off',
    wrappingIndent: 'same',
    scrollBeyondLastLine: false,
    renderLineHighlight: 'none',
    overviewRulerLanes: 0,
    hideCursorInOverviewRuler: true,
    fontSize: 13,
    lineHeight: 20,
    fontFamily: o.fontFamily,
    padding: { top: 8, bottom: 8 },
    scrollbar: { alwaysConsumeMouseWheel: false, verticalScrollbarSize: 10 },
    fixedOverflowWidgets: true,
    tabSize: 2,
    quickSuggestions: o.json,
    // Prose is easier to write without brackets and quotes closing themselves.
    autoClosingBrackets: o.json ? 'languageDefined' : 'never',
    autoClosingQuotes: o.json ? 'languageDefined' : 'never',
    // Typing over a selection replaces it, as in any text field (not wraps it in quotes).
    autoSurround: 'never',
    contextmenu: true,
    stickyScroll: { enabled: false },
    tabFocusMode: o.tabMovesFocus,
  };
}

/** The chords of `commands` that an editor binds (sequences such as D D are not). */
export function chordsOf(commands: readonly Shortcut[]): { command: Command; chord: Chord }[] {
  return commands.flatMap((shortcut) =>
    shortcut.keys
      .filter((keys) => !keys.includes(' '))
      .map((keys) => ({ command: shortcut.command, chord: parseChord(keys) })),
  );
}

/** Binds each chord in `editor` to `run` its command; `instance` keeps action ids apart. */
export function bindCommands(
  monaco: Monaco,
  editor: Editor,
  chords: readonly { command: Command; chord: Chord }[],
  instance: number,
  run: (command: Command) => void,
): void {
  for (const { command, chord } of chords) {
    const code = keyCodeOf(monaco, chord.key);
    // Esc is left to Monaco first (see the editor's onKeyDown).
    if (code === undefined || chord.key === 'Escape') continue;
    const keybinding =
      code |
      (chord.mod ? monaco.KeyMod.CtrlCmd : 0) |
      (chord.shift ? monaco.KeyMod.Shift : 0) |
      (chord.alt ? monaco.KeyMod.Alt : 0);
    // An action, not `addCommand`, whose keys would reach the last editor created only.
    editor.addAction({
      id: `bp-${command}-${instance}-${keybinding}`,
      label: SHORTCUTS.find((s) => s.command === command)?.description ?? command,
      keybindings: [keybinding],
      run: () => run(command),
    });
  }
}
