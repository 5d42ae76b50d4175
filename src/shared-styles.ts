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
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
