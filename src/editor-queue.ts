/**
 * Editors are made when they come near the window, not all when a notebook opens: making a
 * Monaco editor takes tens of milliseconds, and a notebook of 200 cells took seconds to become
 * usable. One IntersectionObserver tells when an element comes within a window's height of the
 * view; the editors due are then made a few per animation frame, the one nearest the view first,
 * so that scrolling past many cells never blocks the page for long.
 */

/** What to do when an observed element comes near the view. */
const callbacks = new WeakMap<Element, () => void>();
/** Editors to make, with the element each belongs to (to find the one nearest the view). */
const due = new Map<() => void, Element>();
/** Time spent making editors in one frame before the rest wait for the next. */
const FRAME_BUDGET_MS = 12;
let frame = 0;

let observer: IntersectionObserver | undefined;
function observerOf(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) callbacks.get(entry.target)?.();
      }
    },
    { rootMargin: '100% 0px' },
  );
  return observer;
}

/**
 * Calls `near` once `element` comes within a window's height of the view (at once if it is
 * there). Returns the function that stops watching.
 */
export function whenNearView(element: Element, near: () => void): () => void {
  const once = () => {
    stop();
    near();
  };
  const stop = () => {
    observerOf().unobserve(element);
    callbacks.delete(element);
  };
  callbacks.set(element, once);
  observerOf().observe(element);
  return stop;
}

/** Makes an editor in a coming frame, within the frame budget; `cancel` undoes the request. */
export function makeSoon(element: Element, make: () => void): () => void {
  due.set(make, element);
  frame ||= requestAnimationFrame(work);
  return () => void due.delete(make);
}

/** Distance of an element from the middle of the window, in pixels. */
function distance(element: Element): number {
  const { top, bottom } = element.getBoundingClientRect();
  const middle = window.innerHeight / 2;
  return top > middle ? top - middle : bottom < middle ? middle - bottom : 0;
}

function work(): void {
  frame = 0;
  const start = performance.now();
  while (due.size > 0 && performance.now() - start < FRAME_BUDGET_MS) {
    let nearest: [() => void, number] | undefined;
    for (const [make, element] of due) {
      const d = distance(element);
      if (!nearest || d < nearest[1]) nearest = [make, d];
    }
    const [make] = nearest!;
    due.delete(make);
    make();
  }
  if (due.size > 0) frame = requestAnimationFrame(work);
}
