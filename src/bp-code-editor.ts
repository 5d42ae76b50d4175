import { LitElement, css, html } from 'lit';
import type { PropertyValues } from 'lit';
import { AppErrorEvent } from './bp-notifier.ts';
import { loadMonaco } from './monaco-loader.ts';
import type { MonacoModule } from './monaco-loader.ts';
import { SHORTCUTS, parseChord } from './shortcuts.ts';
import type { Chord, Command, Shortcut } from './shortcuts.ts';

type Monaco = MonacoModule['monaco'];
type Editor = ReturnType<Monaco['editor']['create']>;

/** The editor's text changed (by typing, pasting, undo…). */
export class CodeChangeEvent extends Event {
  static readonly eventName = 'code-change';
  constructor(readonly value: string) {
    super(CodeChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The keys of one of the editor's `commands` were pressed in it. */
export class EditorCommandEvent extends Event {
  static readonly eventName = 'editor-command';
  constructor(readonly command: Command) {
    super(EditorCommandEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The keyboard left the editor (its text is final until it comes back). */
export class CodeBlurEvent extends Event {
  static readonly eventName = 'code-blur';
  constructor() {
    super(CodeBlurEvent.eventName, { bubbles: true, composed: true });
  }
}

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

let editorCount = 0;

/**
 * A dumb code editor: Monaco, loaded lazily, inside this element's shadow root. Value in,
 * `code-change` out; it knows nothing of cells. Grows with its content up to `maxHeight`.
 *
 * While the keyboard is in it, the editor owns its text: a new `value` from outside waits until
 * the editor loses focus, so nothing is ever rewritten under the caret (a store that normalizes
 * what was typed, such as a config's JSON, shows its form once the person leaves).
 */
export class BpCodeEditor extends LitElement {
  static override properties = {
    value: { type: String },
    language: { type: String },
    label: { type: String },
    readonly: { type: Boolean, reflect: true },
    uri: { type: String },
    schema: { attribute: false },
    placeholder: { type: String },
    maxHeight: { type: Number, attribute: 'max-height' },
    lineNumbers: { type: Boolean, attribute: 'line-numbers' },
    wrap: { type: Boolean },
    tabMovesFocus: { type: Boolean, attribute: 'tab-moves-focus' },
    commands: { attribute: false },
    loaded: { state: true },
  };

  /**
   * The text from outside; it replaces the editor's content, at once when the editor does not
   * have the keyboard, otherwise when it loses it. Typing does not change it (see `text`).
   */
  declare value: string;
  /**
   * Monaco language id: `markdown`, `json`, `plaintext`, or for exported code `python`,
   * `javascript`, `java`, `csharp`, `shell`.
   */
  declare language: string;
  /** The accessible name of the text box. */
  declare label: string;
  declare readonly: boolean;
  /** The model's URI (unique per editor); JSON schemas are attached to it. */
  declare uri: string | undefined;
  /** A JSON schema to validate and complete against (JSON only). */
  declare schema: object | undefined;
  declare placeholder: string;
  /** The tallest the editor grows, in pixels, before it scrolls. */
  declare maxHeight: number;
  /** Numbers the lines (always on for JSON). */
  declare lineNumbers: boolean;
  /** Wraps long lines (code reads better scrolled sideways). */
  declare wrap: boolean;
  /** Tab moves the keyboard on instead of indenting (prose, where indenting is not the point). */
  declare tabMovesFocus: boolean;
  /** Shortcuts the editor passes on as `editor-command` events instead of handling them. */
  declare commands: readonly Shortcut[];
  declare private loaded: boolean;

  private monaco: MonacoModule | undefined;
  private editor: Editor | undefined;
  private settingValue = false;
  private commandKeys: { command: Command; chord: Chord }[] = [];
  private focusWhenReady = false;
  private readonly instance = ++editorCount;

  static override styles = css`
    :host {
      display: block;
      position: relative;
      min-width: 0;
    }
    .box {
      min-height: 28px;
      width: 100%;
    }
    pre {
      margin: 0;
      padding: 8px 12px;
      font: 13px/20px var(--bp-mono);
      white-space: pre-wrap;
      word-break: break-word;
      color: var(--bp-text);
    }
    .box:not([hidden]) + pre {
      display: none;
    }
    :host(:focus-within) {
      outline: 2px solid var(--bp-focus);
      outline-offset: -2px;
      border-radius: 6px;
    }
  `;

  constructor() {
    super();
    this.value = '';
    this.language = 'plaintext';
    this.label = 'Editor';
    this.readonly = false;
    this.placeholder = '';
    this.maxHeight = 480;
    this.lineNumbers = false;
    this.wrap = true;
    this.tabMovesFocus = false;
    this.commands = [];
    this.loaded = false;
  }

  /** The text in the editor now, as typed. */
  get text(): string {
    return this.editor?.getValue() ?? this.value;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onKeyDown);
    loadMonaco().then(
      (module) => {
        this.monaco = module;
        this.loaded = true;
        void this.updateComplete.then(() => {
          if (this.isConnected) this.create();
        });
      },
      (error: unknown) => {
        this.dispatchEvent(new AppErrorEvent('The code editor failed to load.', error));
      },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKeyDown);
    // A cell moved up or down is disconnected and connected again at once: keep its editor.
    queueMicrotask(() => {
      if (!this.isConnected) this.dispose();
    });
  }

  override focus(): void {
    if (this.editor) this.editor.focus();
    else this.focusWhenReady = true;
  }

  protected override render() {
    return html`<div class="box" ?hidden=${!this.loaded}></div>
      <pre aria-hidden="true">${this.value || this.placeholder}</pre>`;
  }

  /**
   * Keys Monaco left alone (it prevents the default of those it handles: Esc closing its
   * suggestions first, for instance) that are commands of the page.
   */
  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.key !== 'Escape') return;
    const escape = this.commandKeys.find((c) => c.chord.key === 'Escape');
    if (!escape) return;
    event.preventDefault();
    this.dispatchEvent(new EditorCommandEvent(escape.command));
  };

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.editor) return;
    if (changed.has('value') && !this.editor.hasWidgetFocus()) this.showValue();
    if (
      changed.has('readonly') ||
      changed.has('label') ||
      changed.has('placeholder') ||
      changed.has('tabMovesFocus')
    ) {
      this.editor.updateOptions({
        readOnly: this.readonly,
        ariaLabel: this.label,
        placeholder: this.placeholder,
        tabFocusMode: this.tabMovesFocus,
      });
    }
    const model = this.editor.getModel();
    if (changed.has('language') && model) {
      this.monaco?.monaco.editor.setModelLanguage(model, this.language);
    }
    if ((changed.has('schema') || changed.has('uri')) && this.uri) {
      this.monaco?.setJsonSchema(this.uri, this.schema);
    }
  }

  /**
   * Puts `value` in the editor as one edit (Monaco's own undo can take it back), unless it is
   * there already.
   */
  private showValue(): void {
    const model = this.editor?.getModel();
    if (!model || model.getValue() === this.value) return;
    this.settingValue = true;
    try {
      model.pushEditOperations(
        [],
        [{ range: model.getFullModelRange(), text: this.value }],
        () => null,
      );
    } finally {
      this.settingValue = false;
    }
  }

  private create(): void {
    const box = this.renderRoot.querySelector<HTMLElement>('.box');
    if (this.editor || !this.monaco || !box) return;
    const { monaco, adoptMonacoStyles, setJsonSchema } = this.monaco;
    adoptMonacoStyles(this.renderRoot as ShadowRoot);
    const uri = monaco.Uri.parse(this.uri ?? `inmemory://bp/editor-${this.instance}`);
    if (this.uri && this.schema) setJsonSchema(this.uri, this.schema);
    const model =
      monaco.editor.getModel(uri) ?? monaco.editor.createModel(this.value, this.language, uri);
    if (model.getValue() !== this.value) model.setValue(this.value);
    const json = this.language === 'json';
    const numbered = json || this.lineNumbers;
    const editor = monaco.editor.create(box, {
      model,
      ariaLabel: this.label,
      readOnly: this.readonly,
      placeholder: this.placeholder,
      automaticLayout: true,
      minimap: { enabled: false },
      lineNumbers: numbered ? 'on' : 'off',
      lineNumbersMinChars: 3,
      glyphMargin: false,
      folding: json,
      lineDecorationsWidth: numbered ? 6 : 12,
      wordWrap: this.wrap ? 'on' : 'off',
      wrappingIndent: 'same',
      scrollBeyondLastLine: false,
      renderLineHighlight: 'none',
      overviewRulerLanes: 0,
      hideCursorInOverviewRuler: true,
      fontSize: 13,
      lineHeight: 20,
      fontFamily: getComputedStyle(this).getPropertyValue('--bp-mono') || undefined,
      padding: { top: 8, bottom: 8 },
      scrollbar: { alwaysConsumeMouseWheel: false, verticalScrollbarSize: 10 },
      fixedOverflowWidgets: true,
      tabSize: 2,
      quickSuggestions: json,
      // Prose is easier to write without brackets and quotes closing themselves.
      autoClosingBrackets: json ? 'languageDefined' : 'never',
      autoClosingQuotes: json ? 'languageDefined' : 'never',
      // Typing over a selection replaces it, as in any text field (not wraps it in quotes).
      autoSurround: 'never',
      contextmenu: true,
      stickyScroll: { enabled: false },
      tabFocusMode: this.tabMovesFocus,
    });
    this.editor = editor;
    editor.onDidChangeModelContent(() => {
      if (this.settingValue) return;
      this.dispatchEvent(new CodeChangeEvent(editor.getValue()));
    });
    editor.onDidBlurEditorWidget(() => {
      // What came from outside while the keyboard was here is shown now.
      this.showValue();
      this.dispatchEvent(new CodeBlurEvent());
    });
    editor.onDidContentSizeChange(() => this.fit());
    this.addCommands(monaco, editor);
    this.fit();
    if (this.focusWhenReady) {
      this.focusWhenReady = false;
      editor.focus();
    }
  }

  /** Binds the `commands` in Monaco, so they win over its own keys (Ctrl+Enter, Ctrl+S…). */
  private addCommands(monaco: Monaco, editor: Editor): void {
    this.commandKeys = this.commands.flatMap((shortcut) =>
      shortcut.keys
        .filter((keys) => !keys.includes(' '))
        .map((keys) => ({ command: shortcut.command, chord: parseChord(keys) })),
    );
    for (const { command, chord } of this.commandKeys) {
      const code = keyCodeOf(monaco, chord.key);
      // Esc is left to Monaco first (see onKeyDown).
      if (code === undefined || chord.key === 'Escape') continue;
      const keybinding =
        code |
        (chord.mod ? monaco.KeyMod.CtrlCmd : 0) |
        (chord.shift ? monaco.KeyMod.Shift : 0) |
        (chord.alt ? monaco.KeyMod.Alt : 0);
      // An action, not `addCommand`, whose keys would reach the last editor created only.
      editor.addAction({
        id: `bp-${command}-${this.instance}-${keybinding}`,
        label: SHORTCUTS.find((s) => s.command === command)?.description ?? command,
        keybindings: [keybinding],
        run: () => {
          this.dispatchEvent(new EditorCommandEvent(command));
        },
      });
    }
  }

  private fit(): void {
    const editor = this.editor;
    const box = this.renderRoot.querySelector<HTMLElement>('.box');
    if (!editor || !box) return;
    const height = Math.min(Math.max(editor.getContentHeight(), 36), this.maxHeight);
    if (box.style.height !== `${height}px`) {
      box.style.height = `${height}px`;
      editor.layout();
    }
  }

  private dispose(): void {
    const model = this.editor?.getModel();
    this.editor?.dispose();
    this.editor = undefined;
    model?.dispose();
    if (this.uri) this.monaco?.setJsonSchema(this.uri, undefined);
    this.loaded = false;
  }
}

customElements.define('bp-code-editor', BpCodeEditor);

declare global {
  interface HTMLElementTagNameMap {
    'bp-code-editor': BpCodeEditor;
  }
  interface HTMLElementEventMap {
    'code-change': CodeChangeEvent;
    'code-blur': CodeBlurEvent;
    'editor-command': EditorCommandEvent;
  }
}
