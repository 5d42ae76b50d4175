import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import './bp-answer-column.ts';
import type { RerunTargetEvent } from './bp-answer-column.ts';
import type { FixRunEvent, RunFirstEvent } from './bp-run-error.ts';
import { StoreController } from './store-controller.ts';
import type { TargetRun } from './target-run.ts';

/**
 * A cell's latest answers: one column per target, side by side (stacked when narrow); each column
 * can step back through that target's earlier runs of the cell with the same model, and run the
 * cell again for its target alone.
 */
export class BpCellOutput extends LitElement {
  static override properties = { cellId: { type: String, attribute: 'cell-id' } };
  /** The cell whose answers are shown. */
  declare cellId: string;

  private tick = 0;
  private readonly state = new StoreController(this, {
    notebook: true,
    runs: (id) => id === this.cellId || id === undefined,
  });

  static override styles = css`
    :host {
      display: block;
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 280px), 1fr));
      gap: 12px;
    }
  `;

  constructor() {
    super();
    this.cellId = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('rerun-target', this.onRerun);
    this.addEventListener('run-first', this.onRunFirst);
    this.addEventListener('fix-run', this.onFix);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('rerun-target', this.onRerun);
    this.removeEventListener('run-first', this.onRunFirst);
    this.removeEventListener('fix-run', this.onFix);
  }

  private readonly onRerun = (event: RerunTargetEvent): void => {
    void this.state.store?.runCell(this.cellId, { targetIds: [event.targetId] });
  };

  private readonly onRunFirst = (event: RunFirstEvent): void => {
    const store = this.state.store;
    const first = store
      ?.runOf(this.cellId)
      ?.answers.find((a) => a.target.id === event.targetId)?.runFirst;
    if (store && first) void store.runThrough(first, this.cellId);
  };

  /**
   * One click that fixes a failed run: its target (or native cell) calls the inference profile
   * Bedrock asked for and runs again; or the page switches to the emulator, as asked.
   */
  private readonly onFix = (event: FixRunEvent): void => {
    const store = this.state.store;
    if (!store) return;
    const { fix, targetId } = event;
    if (fix.kind === 'emulator') {
      const region = store.status?.region ?? null;
      store
        .switchBackend({ backend: 'emulator', profile: null, region })
        .catch((error: unknown) =>
          store.problem({ message: `The emulator could not be started: ${String(error)}` }),
        );
      return;
    }
    const cell = store.cell(this.cellId);
    const target = store.notebook.targets.find((t) => t.id === targetId);
    if (cell?.kind === 'native') store.updateCell({ ...cell, modelId: fix.modelId });
    else if (target) store.updateTarget({ ...target, modelId: fix.modelId });
    else return;
    void store.runCell(this.cellId, { targetIds: [targetId] });
  };

  /** The runs a column steps through: the history of what it called, ending with its answer. */
  private historyOf(answer: TargetRun): TargetRun[] {
    const history = [...(this.state.store?.historyOf(this.cellId, answer) ?? [])];
    return history.includes(answer) ? history : [...history, answer];
  }

  protected override render() {
    const store = this.state.store;
    const run = store?.runOf(this.cellId);
    const cell = store?.cell(this.cellId);
    if (!store || !run || !cell) return nothing;
    this.tick++;
    const order = store.notebook.targets.map((t) => t.id);
    const current = new Set(store.targetsFor(cell).map((t) => t.id));
    const idle = !store.isRunning(this.cellId);
    const numberOf = (id: string | undefined) =>
      id ? store.notebook.cells.findIndex((c) => c.id === id) + 1 : 0;
    return html`<div class="grid" role="group" aria-label="Answers">
      ${repeat(
        run.answers,
        (a) => a.target.id,
        (a) =>
          html`<bp-answer-column
            .answer=${a}
            .history=${this.historyOf(a)}
            .tick=${this.tick}
            .colorIndex=${Math.max(0, order.indexOf(a.target.id))}
            .rerunnable=${idle && current.has(a.target.id)}
            .runFirstCell=${numberOf(a.runFirst?.cellId)}
          ></bp-answer-column>`,
      )}
    </div>`;
  }
}

customElements.define('bp-cell-output', BpCellOutput);

declare global {
  interface HTMLElementTagNameMap {
    'bp-cell-output': BpCellOutput;
  }
}
