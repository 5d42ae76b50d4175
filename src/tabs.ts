import { html } from 'lit';

/**
 * Keyboard of an ARIA tab list (roving tabindex): ←/→ move to the previous or next tab, Home and
 * End to the first and last. Returns the index to select, or undefined for any other key.
 */
export function tabKeyTarget(event: KeyboardEvent, index: number, count: number) {
  const keys: Record<string, number> = {
    ArrowLeft: (index - 1 + count) % count,
    ArrowRight: (index + 1) % count,
    Home: 0,
    End: count - 1,
  };
  const next = keys[event.key];
  if (next === undefined) return undefined;
  event.preventDefault();
  return next;
}

/** Focuses the selected tab of the (first) tab list in `root`; call it once that has rendered. */
export function focusSelectedTab(root: ParentNode): void {
  root.querySelector<HTMLElement>(`[role='tablist'] [role='tab'][aria-selected='true']`)?.focus();
}

/** One tab of a tab list: its id (the button is `tab-<id>`) and its name. */
export interface Tab {
  id: string;
  label: string;
}

/**
 * An ARIA tab list of buttons controlling the panel `panel` (roving tabindex, arrow keys);
 * `select` is called with the index clicked or reached by the keyboard.
 */
export function tabList(options: {
  label: string;
  tabs: readonly Tab[];
  selected: string;
  panel: string;
  select: (index: number) => void;
}) {
  const { label, tabs, selected, panel, select } = options;
  return html`<div role="tablist" aria-label=${label}>
    ${tabs.map(
      (t, i) =>
        html`<button
          role="tab"
          id="tab-${t.id}"
          aria-selected=${t.id === selected ? 'true' : 'false'}
          aria-controls=${panel}
          tabindex=${t.id === selected ? '0' : '-1'}
          @click=${() => select(i)}
          @keydown=${(e: KeyboardEvent) => {
            const next = tabKeyTarget(e, i, tabs.length);
            if (next !== undefined) select(next);
          }}
        >
          ${t.label}
        </button>`,
    )}
  </div>`;
}
