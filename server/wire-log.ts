import { randomUUID } from 'node:crypto';

/**
 * Bedrock's events of recent runs, kept in memory as received so that the page's wire view can
 * read them when a person opens it, instead of every run shipping a copy of each event to a page
 * that seldom looks. Keeping one costs a reference; nothing is encoded until it is asked for.
 */

/** One Bedrock event and when it arrived, in milliseconds after the run began. */
export interface WireEntry {
  at: number;
  event: unknown;
}

/** What `GET /api/run/ID/wire` answers. */
export interface WireEvents {
  runId: string;
  /** False while the run is still streaming: more events may come. */
  complete: boolean;
  events: WireEntry[];
  /** Events past the per-run limit, counted but not kept. */
  dropped: number;
}

/** The runs whose events are kept: the newest ones, oldest forgotten first. */
export const WIRE_LOG_RUNS = 50;
/** Events kept in all, so that a few huge answers cannot hold the server's memory. */
export const WIRE_LOG_EVENTS = 100_000;

/** The events of one run as they are recorded. */
export interface WireRecorder {
  readonly runId: string;
  push(event: unknown): void;
  end(): void;
}

interface Kept {
  started: number;
  /** Set when the run is forgotten while it still streams: its later events are not counted. */
  forgotten: boolean;
  complete: boolean;
  events: WireEntry[];
  dropped: number;
}

export class WireLog {
  private readonly runs = new Map<string, Kept>();
  private total = 0;

  constructor(
    private readonly maxRuns = WIRE_LOG_RUNS,
    private readonly maxEvents = WIRE_LOG_EVENTS,
  ) {}

  /** Starts keeping a new run's events; its id is random, so a restarted server never reuses one. */
  begin(): WireRecorder {
    const runId = randomUUID();
    const kept: Kept = {
      started: performance.now(),
      forgotten: false,
      complete: false,
      events: [],
      dropped: 0,
    };
    this.runs.set(runId, kept);
    this.evict(runId);
    return {
      runId,
      push: (event) => {
        if (kept.forgotten) return;
        if (this.total >= this.maxEvents && !this.evict(runId)) {
          kept.dropped += 1;
          return;
        }
        kept.events.push({ at: Math.round(performance.now() - kept.started), event });
        this.total += 1;
      },
      end: () => void (kept.complete = true),
    };
  }

  /** A run's events so far, or undefined once it has been forgotten (or never was). */
  get(runId: string): WireEvents | undefined {
    const kept = this.runs.get(runId);
    if (!kept) return undefined;
    return {
      runId,
      complete: kept.complete,
      events: kept.events.slice(),
      dropped: kept.dropped,
    };
  }

  /**
   * Forgets the oldest runs other than `current` while there are too many runs or events; true
   * when there is room for another event.
   */
  private evict(current: string): boolean {
    for (const [id, kept] of this.runs) {
      if (this.runs.size <= this.maxRuns && this.total < this.maxEvents) break;
      if (id === current) continue;
      this.runs.delete(id);
      kept.forgotten = true;
      this.total -= kept.events.length;
    }
    return this.total < this.maxEvents;
  }
}
