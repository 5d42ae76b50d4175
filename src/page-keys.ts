import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EditorCommandEvent } from './bp-code-editor.ts';
import { KeyMatcher } from './shortcuts.ts';
import type { Command } from './shortcuts.ts';

/** True when the key goes to a text field (or an editor) of the page. */
function isTyping(event: KeyboardEvent): boolean {
  return event
    .composedPath()
    .some(
      (node) =>
        node instanceof HTMLElement &&
        (node.isContentEditable ||
          node.classList.contains('monaco-editor') ||
          ['INPUT', 'TEXTAREA', 'SELECT'].includes(node.tagName)),
    );
}

/** Keys in an open dialog are the dialog's. */
function inDialog(event: Event): boolean {
  return event.composedPath().some((node) => node instanceof HTMLDialogElement && node.open);
}

/**
 * The page's shortcuts (`where: 'page'` in the shortcuts table): keys pressed anywhere but in a
 * text field or a dialog, and those a cell's editor passes on. Each is handed to `run`.
 */
export class PageKeys implements ReactiveController {
  private readonly keys = new KeyMatcher(['page']);

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly run: (command: Command) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('keydown', this.onKeyDown);
    this.host.addEventListener('editor-command', this.onEditorCommand);
  }

  hostDisconnected(): void {
    window.removeEventListener('keydown', this.onKeyDown);
    this.host.removeEventListener('editor-command', this.onEditorCommand);
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || isTyping(event) || inDialog(event)) return;
    const match = this.keys.match(event);
    if (!match) return;
    event.preventDefault();
    if ('command' in match) this.run(match.command);
  };

  /** A page shortcut pressed in a cell's editor (run all, save). */
  private readonly onEditorCommand = (event: EditorCommandEvent): void => {
    event.stopPropagation();
    this.run(event.command);
  };
}
