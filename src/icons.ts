import { svg } from 'lit';

/** Small stroke icons (16 px, currentColor), decorative: buttons carry their own names. */
const icon = (body: ReturnType<typeof svg>) =>
  svg`<svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor"
    stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${body}</svg>`;

export const icons = {
  up: icon(svg`<path d="M8 13V3M4 7l4-4 4 4"/>`),
  down: icon(svg`<path d="M8 3v10M4 9l4 4 4-4"/>`),
  left: icon(svg`<path d="M13 8H3M7 4L3 8l4 4"/>`),
  right: icon(svg`<path d="M3 8h10M9 4l4 4-4 4"/>`),
  close: icon(svg`<path d="M4 4l8 8M12 4l-8 8"/>`),
  copy: icon(
    svg`<rect x="5" y="5" width="8" height="8" rx="1.5"/><path d="M3 10V4a1 1 0 0 1 1-1h6"/>`,
  ),
  trash: icon(svg`<path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.7 8.5h5.6l.7-8.5"/>`),
  addAbove: icon(svg`<path d="M3 3h10M8 6v7M4.5 9.5H11.5"/>`),
  addBelow: icon(svg`<path d="M3 13h10M8 3v7M4.5 6.5H11.5"/>`),
  play: icon(svg`<path d="M5 3.5v9l7-4.5z" fill="currentColor"/>`),
  stop: icon(svg`<rect x="4" y="4" width="8" height="8" rx="1" fill="currentColor"/>`),
  code: icon(svg`<path d="M6 4L2 8l4 4M10 4l4 4-4 4"/>`),
  runBelow: icon(svg`<path d="M4 2.5v7l5.5-3.5zM3 13h10"/>`),
  chevronLeft: icon(svg`<path d="M10 3.5L5.5 8l4.5 4.5"/>`),
  chevronRight: icon(svg`<path d="M6 3.5L10.5 8 6 12.5"/>`),
  edit: icon(svg`<path d="M10.5 3l2.5 2.5L6 12.5H3.5V10zM9 4.5l2.5 2.5"/>`),
  download: icon(svg`<path d="M8 2.5v8M4.5 7L8 10.5 11.5 7M3 13.5h10"/>`),
  upload: icon(svg`<path d="M8 10.5v-8M4.5 6L8 2.5 11.5 6M3 13.5h10"/>`),
  folder: icon(
    svg`<path d="M2.5 4.5a1 1 0 0 1 1-1h3l1.5 1.5h4.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1h-9a1 1 0 0 1-1-1z"/>`,
  ),
  exportCode: icon(
    svg`<path d="M9 2.5h4.5V7M13.5 2.5L8 8M11 9.5v3a1 1 0 0 1-1 1H3.5a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1h3"/>`,
  ),
  rerun: icon(svg`<path d="M13 8a5 5 0 1 1-1.5-3.5M13 2.5v3h-3"/>`),
  compare: icon(svg`<path d="M5 2.5v11M11 2.5v11M2.5 5.5H5M11 10.5h2.5M2.5 10.5H5M11 5.5h2.5"/>`),
};
