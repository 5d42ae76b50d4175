import { css } from 'lit';

/** Buttons, selects and inputs, shared by every element's shadow root. */
export const controlStyles = css`
  button,
  select,
  input {
    font: inherit;
    font-size: 13px;
    color: var(--bp-text);
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 4px 12px;
    min-height: 28px;
    border-radius: 999px;
    border: 1px solid var(--bp-border-strong);
    background: var(--bp-surface);
    cursor: pointer;
    white-space: nowrap;
  }
  button:hover:not(:disabled) {
    background: var(--bp-surface-2);
    border-color: var(--bp-text);
  }
  button:disabled {
    opacity: 0.45;
    cursor: default;
  }
  button.primary {
    background: var(--bp-accent);
    border-color: var(--bp-accent);
    color: var(--bp-accent-text);
    font-weight: 600;
  }
  button.primary:hover:not(:disabled) {
    filter: brightness(1.08);
    background: var(--bp-accent);
  }
  button.danger {
    color: var(--bp-danger);
    border-color: var(--bp-danger);
  }
  button.icon {
    padding: 0;
    width: 28px;
    justify-content: center;
    border-color: transparent;
    background: transparent;
    color: var(--bp-muted);
  }
  button.icon:hover:not(:disabled) {
    color: var(--bp-text);
    border-color: var(--bp-border);
  }
  button[aria-pressed='true'] {
    background: var(--bp-accent-soft);
    border-color: var(--bp-accent);
    color: var(--bp-accent);
  }
  select,
  input[type='text'] {
    min-height: 28px;
    padding: 2px 8px;
    border-radius: 6px;
    border: 1px solid var(--bp-border-strong);
    background: var(--bp-surface);
  }
  :focus-visible {
    outline: 2px solid var(--bp-focus);
    outline-offset: 2px;
  }
  /* A list laid out by its element, without bullets or indent. */
  .bare-list {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/** Modal dialogs: a `<dialog>` with a header (title and close button), a body and a footer. */
export const dialogStyles = css`
  dialog {
    border: 1px solid var(--bp-border);
    border-radius: 12px;
    padding: 0;
    background: var(--bp-surface);
    color: var(--bp-text);
    box-shadow: 0 12px 40px rgb(0 7 22 / 22%);
    width: min(var(--bp-dialog-width, 720px), calc(100vw - 32px));
    max-height: calc(100vh - 64px);
  }
  dialog[open] {
    display: flex;
    flex-direction: column;
  }
  dialog::backdrop {
    background: rgb(0 7 22 / 40%);
  }
  .dialog-head {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 14px 16px 10px 20px;
    border-bottom: 1px solid var(--bp-border);
  }
  .dialog-head h2 {
    margin: 0;
    font-size: 17px;
    flex: 1;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .dialog-body {
    padding: 14px 20px;
    overflow: auto;
    min-height: 0;
  }
  .dialog-foot {
    display: flex;
    align-items: center;
    justify-content: flex-end;
    flex-wrap: wrap;
    gap: 8px;
    padding: 10px 20px 14px;
    border-top: 1px solid var(--bp-border);
  }
  .dialog-error {
    margin: 0 0 12px;
    padding: 8px 12px;
    border-radius: 6px;
    border: 1px solid var(--bp-danger);
    background: var(--bp-danger-soft);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  [role='tablist'] {
    display: flex;
    flex-wrap: wrap;
    gap: 2px;
    border-bottom: 1px solid var(--bp-border);
  }
  [role='tab'] {
    border: 0;
    border-bottom: 2px solid transparent;
    border-radius: 0;
    background: transparent;
    padding: 6px 12px;
    color: var(--bp-muted);
  }
  [role='tab']:hover:not(:disabled) {
    background: var(--bp-surface-2);
    border-color: transparent;
    border-bottom-color: var(--bp-border-strong);
  }
  [role='tab'][aria-selected='true'],
  [role='tab'][aria-selected='true']:hover {
    color: var(--bp-accent);
    border-bottom-color: var(--bp-accent);
    font-weight: 600;
  }
`;

/** The export dialogs: wide, with a row of options (target, streaming) above the output. */
export const exportDialogStyles = css`
  dialog {
    --bp-dialog-width: 960px;
  }
  .options {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 20px;
    margin: 12px 0;
    font-size: 13px;
  }
  .options label {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
`;
