import { css } from 'lit';
import { controlStyles, dialogStyles } from './shared-styles.ts';

/** The look of the notebook list (bp-notebook-list): its dialog, rows, and confirmations. */
export const notebookListStyles = [
  controlStyles,
  dialogStyles,
  css`
    dialog {
      --bp-dialog-width: 760px;
    }
    .tools {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      margin-bottom: 12px;
    }
    ul {
      border: 1px solid var(--bp-border);
      border-radius: var(--bp-radius);
    }
    li {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 8px 8px 8px 12px;
      border-top: 1px solid var(--bp-border);
    }
    li:first-child {
      border-top: 0;
    }
    li.current {
      background: var(--bp-accent-soft);
    }
    .info {
      flex: 1;
      min-width: 0;
    }
    .open {
      border: 0;
      background: transparent;
      padding: 0;
      min-height: 0;
      font-weight: 600;
      font-size: 14px;
      color: var(--bp-accent);
      text-align: left;
      white-space: normal;
    }
    .open:hover:not(:disabled) {
      background: transparent;
      text-decoration: underline;
    }
    .meta {
      font-size: 12px;
      color: var(--bp-muted);
      overflow-wrap: anywhere;
    }
    .meta code {
      font-family: var(--bp-mono);
    }
    .badge {
      font-size: 11px;
      font-weight: 600;
      padding: 0 6px;
      margin-left: 6px;
      border-radius: 999px;
      border: 1px solid var(--bp-accent);
      color: var(--bp-accent);
    }
    .broken {
      margin: 4px 0 0;
      font: 12px/1.4 var(--bp-mono);
      color: var(--bp-danger);
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .actions {
      display: flex;
      gap: 2px;
    }
    form.rename {
      display: flex;
      gap: 6px;
      flex: 1;
      flex-wrap: wrap;
    }
    form.rename input {
      flex: 1;
      min-width: 12em;
    }
    .placeholder {
      color: var(--bp-muted);
      padding: 16px;
      text-align: center;
    }
    .confirm {
      --bp-dialog-width: 440px;
    }
    .confirm p {
      margin: 0;
    }
    input[type='file'] {
      display: none;
    }
  `,
];
