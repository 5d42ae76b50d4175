import { LitElement, css, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import { AppErrorEvent } from './bp-notifier.ts';
import { makeSoon, whenNearView } from './editor-queue.ts';
import { loadMonaco } from './monaco-loader.ts';
import type { MonacoModule } from './monaco-loader.ts';
import type { Chord, Command, Shortcut } from './shortcuts.ts';
import { bindCommands, chordsOf, editorOptions } from './monaco-setup.ts';

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

let editorCount = 0;

/**
 * A dumb code editor: Monaco, loaded lazily, inside this element's shadow root. Value in,
 * `code-change` out; it knows nothing of cells. Grows with its content up to `maxHeight`.
 *
 * The Monaco editor is made when the element comes near the view (or is focused); until then the
 * text is shown as it is, in the same font, lines and height, selectable, and a focus (Tab, a
 * click, the cell's Enter) makes the editor and moves the keyboard into it.
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
    ready: { state: true },
    made: { state: true },
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
  /**
   * True once Monaco is loaded: from then on a focus makes the editor at once, so the plain text
   * is offered as a text box (before, keys typed into it would be lost).
   */
  declare private ready: boolean;
  /** True while the Monaco editor exists (the plain text is then out of sight and of reach). */
  declare private made: boolean;

  private monaco: MonacoModule | undefined;
  private editor: Editor | undefined;
  private settingValue = false;
  private commandKeys: { command: Command; chord: Chord }[] = [];
  private focusWhenReady = false;
  /** Where a click on the plain text put the caret, for the editor it makes. */
  private clickedAt: { x: number; y: number } | undefined;
  /** True from a pointer press on the plain text until its click: a drag there selects text. */
  private pointing = false;
  /** True once the element has come near the view: its editor is to be made. */
  private near = false;
  private stopWatching: (() => void) | undefined;
  private cancelMaking: (() => void) | undefined;
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
    :host(:not([created])) .box {
      display: none;
    }
    /*
     * Out of sight once the editor is made, but still focusable: a focus aimed at the text just
     * before the editor replaced it is passed on to the editor rather than lost.
     */
    :host([created]) pre {
      position: absolute;
      inset: 0 auto auto 0;
      width: 1px;
      height: 1px;
      min-height: 0;
      padding: 0;
      overflow: hidden;
      clip-path: inset(50%);
      pointer-events: none;
    }
    /* The text until the editor is made: Monaco's font, line height, padding and least height. */
    pre {
      box-sizing: border-box;
      margin: 0;
      min-height: 36px;
      max-height: var(--bp-editor-max-height, 480px);
      overflow: hidden;
      padding: 8px 12px;
      font: 13px/20px var(--bp-mono);
      white-space: pre-wrap;
      word-break: break-word;
      color: var(--bp-text);
      cursor: text;
    }
    pre.numbered {
      padding-left: calc(3ch + 22px);
    }
    pre.nowrap {
      white-space: pre;
    }
    pre.placeholder {
      color: var(--bp-muted);
    }
    pre:focus {
      outline: none;
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
    this.ready = false;
    this.made = false;
  }

  /** The text in the editor now, as typed. */
  get text(): string {
    return this.editor?.getValue() ?? this.value;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onKeyDown);
    if (!this.editor) this.stopWatching ??= whenNearView(this, this.onNear);
    // Loaded at once (it is one chunk for every editor), made when near the view.
    loadMonaco().then(
      (module) => {
        this.monaco = module;
        this.ready = true;
        if (this.focusWhenReady) this.create();
        else if (this.near) this.cancelMaking ??= makeSoon(this, this.makeNow);
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
      if (this.isConnected) return;
      this.stopWatching?.();
      this.stopWatching = undefined;
      this.cancelMaking?.();
      this.cancelMaking = undefined;
      this.near = false;
      this.dispose();
    });
  }

  override focus(): void {
    if (this.editor) {
      this.editor.focus();
      return;
    }
    this.focusWhenReady = true;
    this.create();
  }

  private readonly onNear = (): void => {
    this.stopWatching = undefined;
    this.near = true;
    if (this.monaco) this.cancelMaking ??= makeSoon(this, this.makeNow);
  };

  private readonly makeNow = (): void => {
    this.cancelMaking = undefined;
    if (this.isConnected) this.create();
  };

  protected override render() {
    const json = this.language === 'json';
    const textbox = this.ready && !this.made;
    const classes = [
      json || this.lineNumbers ? 'numbered' : '',
      this.wrap ? '' : 'nowrap',
      this.value ? '' : 'placeholder',
    ];
    return html`<div class="box"></div>
      <pre
        class=${classes.join(' ')}
        style="--bp-editor-max-height: ${this.maxHeight}px"
        tabindex=${textbox ? 0 : this.made ? -1 : nothing}
        role=${textbox ? 'textbox' : nothing}
        aria-multiline=${textbox ? 'true' : nothing}
        aria-label=${textbox ? this.label : nothing}
        aria-hidden=${textbox ? nothing : 'true'}
        @pointerdown=${() => (this.pointing = true)}
        @click=${this.onTextClick}
        @focus=${this.onTextFocus}
      >
${this.value || this.placeholder}</pre>`;
  }

  /** Tab or the cell's Enter put the keyboard on the plain text: it goes into the editor. */
  private readonly onTextFocus = (): void => {
    if (!this.pointing) this.focus();
  };

  /** A click (not a drag that selected text) edits the text where it was clicked. */
  private readonly onTextClick = (event: MouseEvent): void => {
    this.pointing = false;
    if (document.getSelection()?.isCollapsed === false) return;
    this.clickedAt = { x: event.clientX, y: event.clientY };
    this.focus();
  };

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
    this.stopWatching?.();
    this.stopWatching = undefined;
    this.cancelMaking?.();
    this.cancelMaking = undefined;
    // Shown before Monaco measures it, and the plain text hidden, in this same task: one paint.
    this.toggleAttribute('created', true);
    this.made = true;
    const { monaco, adoptMonacoStyles, setJsonSchema } = this.monaco;
    adoptMonacoStyles(this.renderRoot as ShadowRoot);
    const uri = monaco.Uri.parse(this.uri ?? `inmemory://bp/editor-${this.instance}`);
    if (this.uri && this.schema) setJsonSchema(this.uri, this.schema);
    const model =
      monaco.editor.getModel(uri) ?? monaco.editor.createModel(this.value, this.language, uri);
    if (model.getValue() !== this.value) model.setValue(this.value);
    const editor = monaco.editor.create(box, {
      model,
      ...editorOptions({
        label: this.label,
        readonly: this.readonly,
        placeholder: this.placeholder,
        json: this.language === 'json',
        lineNumbers: this.lineNumbers,
        wrap: this.wrap,
        tabMovesFocus: this.tabMovesFocus,
        fontFamily: getComputedStyle(this).getPropertyValue('--bp-mono') || undefined,
      }),
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
      const clicked =
        this.clickedAt && editor.getTargetAtClientPoint(this.clickedAt.x, this.clickedAt.y);
      if (clicked?.position) editor.setPosition(clicked.position);
      editor.focus();
    }
    this.clickedAt = undefined;
  }

  /** Binds the `commands` in Monaco, so they win over its own keys (Ctrl+Enter, Ctrl+S…). */
  private addCommands(monaco: Monaco, editor: Editor): void {
    this.commandKeys = chordsOf(this.commands);
    bindCommands(monaco, editor, this.commandKeys, this.instance, (command) =>
      this.dispatchEvent(new EditorCommandEvent(command)),
    );
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
    this.toggleAttribute('created', false);
    this.made = false;
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
