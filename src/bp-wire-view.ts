import { Task, TaskStatus } from '@lit/task';
import { LitElement, css, html } from 'lit';
import { ApiError, getWireEvents } from './api.ts';
import { controlStyles } from './shared-styles.ts';
import type { TargetRun, WireEntry } from './target-run.ts';
import { watchWire } from './wire-watch.ts';

const ended = (run: TargetRun | undefined): boolean =>
  run !== undefined && run.state !== 'waiting' && run.state !== 'streaming';

/**
 * What came over the wire for one run: Bedrock's events exactly as they were received, or, when
 * asked for, the app's own normalized events (text, stop, usage, metrics, error) made from them.
 * A run streams Bedrock's events only while a wire view is open (`wire-watch.ts`); for the
 * others the view fetches what the server kept, again when the run ends.
 */
export class BpWireView extends LitElement {
  static override properties = {
    run: { attribute: false },
    tick: { type: Number },
    normalized: { state: true },
  };

  /** The run whose events are listed (its lists grow while it streams). */
  declare run: TargetRun | undefined;
  /** Changes whenever the run has new events. */
  declare tick: number;
  /** Shows the app's normalized events instead of Bedrock's. */
  declare private normalized: boolean;

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
        margin-bottom: 6px;
        font-size: 12px;
        color: var(--bp-muted);
      }
      .bar button {
        min-height: 24px;
        padding: 0 10px;
        font-size: 12px;
      }
      ol {
        margin: 0;
        padding: 0;
        list-style: none;
        font: 12px/1.5 var(--bp-mono);
      }
      li {
        display: grid;
        grid-template-columns: 5em minmax(0, 1fr);
        gap: 8px;
        border-bottom: 1px dashed var(--bp-border);
        padding: 2px 0;
      }
      time {
        color: var(--bp-muted);
        text-align: right;
      }
      code {
        overflow-wrap: anywhere;
        white-space: pre-wrap;
      }
      .placeholder {
        margin: 0;
        color: var(--bp-muted);
        font-style: italic;
      }
    `,
  ];

  private unwatch: (() => void) | undefined;

  /** Bedrock's events as the server kept them, for a run that did not stream them. */
  private readonly kept = new Task(this, {
    task: ([runId]: readonly [string | null, boolean], { signal }) =>
      runId === null ? Promise.resolve(undefined) : getWireEvents(runId, signal),
    args: () => {
      const run = this.run;
      const kept = run && !run.rawLive && !run.fromRecord ? run.runId : null;
      return [kept, ended(run)] as const;
    },
  });

  constructor() {
    super();
    this.tick = 0;
    this.normalized = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unwatch = watchWire();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unwatch?.();
  }

  protected override render() {
    const run = this.run;
    if (!run) return html``;
    if (run.fromRecord) {
      return html`<p class="placeholder">
        This run was read back from the notebook’s run log, which keeps its request, text and
        figures but not its wire events.
      </p>`;
    }
    const label = run.target.label;
    const bedrock = this.normalized ? undefined : this.bedrockEvents(run);
    const entries: WireEntry<unknown>[] = this.normalized ? run.events : (bedrock?.entries ?? []);
    const what = this.normalized ? `App events of ${label}` : `Bedrock events of ${label}`;
    return html`<div class="bar">
        <span
          >${
            this.normalized
              ? 'The app’s normalized events, made from Bedrock’s.'
              : 'Bedrock’s events, as received.'
          }</span
        >
        <button
          aria-pressed=${this.normalized ? 'true' : 'false'}
          aria-label="Show the app’s normalized events of ${label}"
          @click=${() => (this.normalized = !this.normalized)}
        >
          App events
        </button>
      </div>
      ${bedrock?.note ? html`<p class="placeholder">${bedrock.note}</p>` : ''}
      ${
        entries.length
          ? html`<ol aria-label=${what}>
              ${entries.map(
                (entry) =>
                  html`<li>
                    <time>+${entry.at} ms</time><code>${JSON.stringify(entry.event)}</code>
                  </li>`,
              )}
            </ol>`
          : html`<p class="placeholder">${bedrock?.empty ?? 'No events yet.'}</p>`
      }`;
  }

  /**
   * Bedrock's events of a run: those it streamed, or those the server kept; with what to say
   * when there are none (or only some yet). Never "sent no events" unless that is known.
   */
  private bedrockEvents(run: TargetRun): WireList {
    const none = ended(run)
      ? 'Bedrock sent no events for this run (see the app’s events for why).'
      : 'No events from Bedrock yet.';
    if (!run.request) return { entries: [], empty: 'Nothing was sent: the cell did not compile.' };
    if (run.rawLive) return { entries: run.raw, empty: none };
    if (run.runId === null) {
      return {
        entries: [],
        empty: ended(run)
          ? 'The server did not start this run, so nothing reached Bedrock (see the app’s events for why).'
          : none,
      };
    }
    if (this.kept.status === TaskStatus.ERROR) {
      const error = this.kept.error;
      return {
        entries: [],
        empty:
          error instanceof ApiError && error.status === 404
            ? error.message
            : `Bedrock’s events could not be fetched from the server: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    // While a newer copy is fetched (the run ended), the older one of the same run stays listed.
    const kept = this.kept.value;
    if (kept?.runId !== run.runId) {
      return { entries: [], empty: 'Fetching Bedrock’s events from the server…' };
    }
    const notes = [
      kept.complete ? '' : 'Bedrock’s events so far: the rest are listed when the answer ends.',
      kept.dropped
        ? `The server kept the first ${kept.events.length} events of this run; ${kept.dropped} more are not listed.`
        : '',
    ];
    return {
      entries: kept.events,
      note: notes.filter(Boolean).join(' '),
      empty: kept.complete ? none : 'No events from Bedrock yet.',
    };
  }
}

/** Bedrock's events as listed, with a note on them and what to say when there are none. */
interface WireList {
  entries: WireEntry<unknown>[];
  note?: string;
  empty: string;
}

customElements.define('bp-wire-view', BpWireView);

declare global {
  interface HTMLElementTagNameMap {
    'bp-wire-view': BpWireView;
  }
}
