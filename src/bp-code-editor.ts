import { LitElement, css, html } from 'lit';
import type { PropertyValues } from 'lit';
import { AppErrorEvent } from './bp-notifier.ts';
import { loadMonaco } from './monaco-loader.ts';
import type { MonacoModule } from './monaco-loader.ts';

type Monaco = MonacoModule['monaco'];
type Editor = ReturnType<Monaco['editor']['create']>;

/** The editor's text changed (by typing, pasting, undo…). */
export class CodeChangeEvent extends Event {
  static readonly eventName = 'code-change';
  constructor(readonly value: string) {
    super(CodeChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Shift+Enter (`advance`) or Ctrl/Cmd+Enter was pressed in the editor. */
export class CodeSubmitEvent extends Event {
  static readonly eventName = 'code-submit';
  constructor(readonly advance: boolean) {
    super(CodeSubmitEvent.eventName, { bubbles: true, composed: true });
  }
}

let editorCount = 0;

/**
 * A dumb code editor: Monaco, loaded lazily, inside this element's shadow root. Value in,
 * `code-change` out; it knows nothing of cells. Grows with its content up to `maxHeight`.
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
    loaded: { state: true },
  };

  /** The text shown; changes from outside replace the editor's content. */
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
  declare private loaded: boolean;

  private monaco: MonacoModule | undefined;
  private editor: Editor | undefined;
  private settingValue = false;
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
    this.loaded = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
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

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.editor) return;
    const model = this.editor.getModel();
    if (changed.has('value') && model && model.getValue() !== this.value) {
      this.settingValue = true;
      model.setValue(this.value);
      this.settingValue = false;
    }
    if (changed.has('readonly') || changed.has('label') || changed.has('placeholder')) {
      this.editor.updateOptions({
        readOnly: this.readonly,
        ariaLabel: this.label,
        placeholder: this.placeholder,
      });
    }
    if (changed.has('language') && model) {
      this.monaco?.monaco.editor.setModelLanguage(model, this.language);
    }
    if ((changed.has('schema') || changed.has('uri')) && this.uri) {
      this.monaco?.setJsonSchema(this.uri, this.schema);
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
      contextmenu: true,
      stickyScroll: { enabled: false },
    });
    this.editor = editor;
    editor.onDidChangeModelContent(() => {
      if (this.settingValue) return;
      this.value = editor.getValue();
      this.dispatchEvent(new CodeChangeEvent(this.value));
    });
    editor.onDidContentSizeChange(() => this.fit());
    const submit = (advance: boolean) => () => {
      this.dispatchEvent(new CodeSubmitEvent(advance));
    };
    editor.addAction({
      id: `bp-run-advance-${this.instance}`,
      label: 'Run cell and go to the next one',
      keybindings: [monaco.KeyMod.Shift | monaco.KeyCode.Enter],
      run: submit(true),
    });
    editor.addAction({
      id: `bp-run-${this.instance}`,
      label: 'Run cell',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: submit(false),
    });
    this.fit();
    if (this.focusWhenReady) {
      this.focusWhenReady = false;
      editor.focus();
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
    'code-submit': CodeSubmitEvent;
  }
}
