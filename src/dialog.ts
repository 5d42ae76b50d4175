import { html, type TemplateResult } from 'lit';
import { icons } from './icons.ts';

/**
 * The head of a dialog: its title (the dialog's accessible name, through `id`) and a Close
 * button. Style it with `dialogStyles` from shared-styles.ts.
 */
export function dialogHead(
  id: string,
  title: string | TemplateResult,
  close: () => void,
): TemplateResult {
  return html`<div class="dialog-head">
    <h2 id=${id}>${title}</h2>
    <button class="icon" aria-label="Close" @click=${close}>${icons.close}</button>
  </div>`;
}
