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

/** Focuses the selected tab of the tab list the event came from, once it has re-rendered. */
export function focusSelectedTab(root: ParentNode, list: string): void {
  root.querySelector<HTMLElement>(`${list} [role='tab'][aria-selected='true']`)?.focus();
}
