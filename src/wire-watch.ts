/**
 * Whether a person is looking at a wire view. While one is open the page asks each run to stream
 * Bedrock's events too, so they are listed live; otherwise the server keeps them and a wire view
 * opened later fetches them (`getWireEvents`). Counted by the wire views themselves.
 */
let open = 0;

/** Counts one more open wire view; returns the function that counts it closed. */
export function watchWire(): () => void {
  open += 1;
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    open -= 1;
  };
}

/** True while any wire view is on the page. */
export function wireWatched(): boolean {
  return open > 0;
}
