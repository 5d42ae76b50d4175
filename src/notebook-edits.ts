import type { Cell, CellKind, Notebook, Target } from '../cells/notebook.ts';
import type { AnswerLookup } from '../cells/compile.ts';
import { deriveNativeBody, runTargetsFor } from '../cells/compile.ts';
import { insertAt, moveById, removeById, replaceById } from '../cells/edits.ts';
import { unreachable } from '../cells/unreachable.ts';
import { UndoStack } from '../cells/undo.ts';
import type { UndoStep } from '../cells/undo.ts';
import { catalogModel } from '../cells/models/listing.ts';
import type { Catalog } from '../cells/models/listing.ts';
import type { ModelInfo, Status } from './api.ts';

/**
 * The editing half of the notebook store (see `notebook-store.ts`, which adds the runs): the
 * notebook, every edit of it as an undoable step, and text typed into a cell that cannot be part
 * of it yet.
 */

/** Text on screen that cannot be put in the notebook yet (a config that is not valid JSON). */
export interface CellDraft {
  text: string;
  /** The full problem, shown under the editor. */
  problem: string;
  /** The short form the save state uses: "is not valid JSON". */
  summary: string;
}

export class NotebookChangeEvent extends Event {
  static readonly eventName = 'notebook-change';
  constructor() {
    super(NotebookChangeEvent.eventName);
  }
}

const TEXT_KINDS = new Set<CellKind>(['markdown', 'system', 'prompt', 'assistant']);

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function newId(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/** The backend, its Region or profile, or its model catalog changed. */
export class BackendChangeEvent extends Event {
  static readonly eventName = 'backend-change';
  constructor() {
    super(BackendChangeEvent.eventName);
  }
}

export abstract class NotebookEdits extends EventTarget {
  /** The notebook being edited. Replaced (never mutated) on every edit. */
  notebook: Notebook = { version: 1, title: 'Untitled', targets: [], cells: [] };
  /** The stored notebook's name, once it has one. */
  name: string | undefined;
  /** The backend's model catalog, once read: what the model pickers offer. */
  catalog: Catalog | undefined;
  /** The backend the server uses, once known. */
  status: Status | undefined;
  /** Bumped on every edit; the autosave compares it with the revision it last saved. */
  revision = 0;
  /** Bumped on every load: views keyed by it start afresh with what was loaded. */
  generation = 0;

  private readonly undoStack = new UndoStack<Notebook>();
  private readonly drafts = new Map<string, CellDraft>();

  /** A target's answer to an earlier cell, for deriving native bodies (the runs have them). */
  abstract readonly answerLookup: AnswerLookup;

  /** Starts afresh on a loaded notebook: no undo history, no drafts. */
  protected reset(name: string | undefined, notebook: Notebook): void {
    this.name = name;
    this.notebook = notebook;
    this.undoStack.clear();
    this.drafts.clear();
    this.revision = 0;
    this.generation++;
  }

  /** The stored notebook was renamed (or saved under a new name): later runs are logged there. */
  rename(name: string): void {
    this.name = name;
    this.dispatchEvent(new NotebookChangeEvent());
  }

  cell(id: string): Cell | undefined {
    return this.notebook.cells.find((c) => c.id === id);
  }

  /** "cell 3": how the person knows a cell (its position from 1). */
  protected cellName(id: string): string {
    return `cell ${this.notebook.cells.findIndex((c) => c.id === id) + 1}`;
  }

  /** Makes an edit that can be undone. */
  private edit(
    notebook: Notebook,
    label: string,
    options: { group?: string; cellId?: string } = {},
  ): void {
    this.undoStack.record({ label, before: this.notebook, after: notebook, ...options });
    this.show(notebook);
  }

  private show(notebook: Notebook): void {
    this.notebook = notebook;
    this.revision++;
    this.dispatchEvent(new NotebookChangeEvent());
  }

  setTitle(title: string): void {
    this.edit({ ...this.notebook, title }, 'Rename the notebook', { group: 'title' });
  }

  /**
   * Replaces one cell by id (the kind may not change here; see `changeKind`). Edits of one cell
   * in a row are one undo step, until `sealEdits`.
   */
  updateCell(cell: Cell): void {
    this.drafts.delete(cell.id);
    this.edit(
      { ...this.notebook, cells: replaceById(this.notebook.cells, cell) },
      `Edit ${this.cellName(cell.id)}`,
      { group: `cell:${cell.id}`, cellId: cell.id },
    );
  }

  /** Ends the current run of text edits: the next edit is an undo step of its own. */
  sealEdits(): void {
    this.undoStack.seal();
  }

  /** Inserts a new empty cell of `kind` at `index`; returns its id. */
  insertCell(index: number, kind: CellKind): string {
    const cell = this.blankCell(kind, newId('cell'), '');
    const cells = insertAt(this.notebook.cells, index, cell);
    const label = `Add cell ${cells.indexOf(cell) + 1}`;
    this.edit({ ...this.notebook, cells }, label, { cellId: cell.id });
    return cell.id;
  }

  /** Removes a cell. Its runs stay in the history (and its records on disk): undo shows them. */
  deleteCell(id: string): void {
    const label = `Delete ${this.cellName(id)}`;
    this.edit({ ...this.notebook, cells: removeById(this.notebook.cells, id) }, label, {
      cellId: id,
    });
  }

  /** Moves a cell up (-1) or down (+1). */
  moveCell(id: string, by: -1 | 1): void {
    const moved = moveById(this.notebook.cells, id, by);
    if (!moved) return;
    const label = `Move cell ${moved.from + 1} ${by < 0 ? 'up' : 'down'}`;
    this.edit({ ...this.notebook, cells: moved.items }, label, { cellId: id });
  }

  /** Copies a cell below itself; returns the copy's id. */
  duplicateCell(id: string): string | undefined {
    const index = this.notebook.cells.findIndex((c) => c.id === id);
    const cell = this.notebook.cells[index];
    if (!cell) return undefined;
    const copy: Cell = { ...structuredClone(cell), id: newId('cell') };
    const cells = insertAt(this.notebook.cells, index + 1, copy);
    this.edit({ ...this.notebook, cells }, `Duplicate cell ${index + 1}`, { cellId: copy.id });
    return copy.id;
  }

  /** Turns a cell into another kind, keeping its text where both kinds have text. */
  changeKind(id: string, kind: CellKind): void {
    const cell = this.cell(id);
    if (!cell || cell.kind === kind) return;
    const text = 'text' in cell ? cell.text : '';
    const changed = this.blankCell(kind, id, text);
    this.drafts.delete(id);
    this.edit(
      { ...this.notebook, cells: replaceById(this.notebook.cells, changed) },
      `Change the kind of ${this.cellName(id)}`,
      { cellId: id },
    );
  }

  private blankCell(kind: CellKind, id: string, text: string): Cell {
    switch (kind) {
      case 'markdown':
      case 'system':
      case 'assistant':
        return { kind, id, text };
      case 'prompt':
        return { kind, id, text, newThread: false, parts: [] };
      case 'config':
        return { kind, id, extras: {} };
      case 'native': {
        const modelId =
          this.notebook.targets.find((t) => t.api === 'invoke')?.modelId ??
          this.notebook.targets[0]?.modelId ??
          this.models.find((m) => m.apis.includes('invoke'))?.preferred ??
          'meta.llama2-13b-chat-v1';
        const draft: Cell = { kind, id, modelId, body: '{}' };
        const derived = this.deriveBody(draft, modelId);
        return { ...draft, body: 'body' in derived ? derived.body : '{}' };
      }
      default:
        return unreachable(kind);
    }
  }

  /**
   * The native body the model's adapter builds from the context above a native cell, with the
   * thread's answers so far; or why it cannot be built yet.
   */
  deriveBody(cell: Cell, modelId: string): { body: string } | { error: string } {
    const cells = this.notebook.cells.some((c) => c.id === cell.id)
      ? this.notebook.cells.map((c) => (c.id === cell.id ? cell : c))
      : [...this.notebook.cells, cell];
    try {
      return {
        body: deriveNativeBody({ ...this.notebook, cells }, cell.id, modelId, this.answerLookup),
      };
    } catch (error) {
      return { error: describe(error) };
    }
  }

  /** True when the kind keeps free text (the others hold JSON). */
  static isTextKind(kind: CellKind): boolean {
    return TEXT_KINDS.has(kind);
  }

  // ---- undo ----

  /** The edit an undo would take back now, if any. */
  get lastEdit(): UndoStep<Notebook> | undefined {
    return this.undoStack.last;
  }

  get canUndo(): boolean {
    return this.undoStack.canUndo;
  }

  get canRedo(): boolean {
    return this.undoStack.canRedo;
  }

  /** Takes back the last edit; returns it (its label and cell), or undefined if there is none. */
  undo(): UndoStep<Notebook> | undefined {
    const step = this.undoStack.undo();
    if (step) this.showStep(step.after, step.before);
    return step;
  }

  /** Makes the last undone edit again; returns it, or undefined if there is none. */
  redo(): UndoStep<Notebook> | undefined {
    const step = this.undoStack.redo();
    if (step) this.showStep(step.before, step.after);
    return step;
  }

  private showStep(from: Notebook, to: Notebook): void {
    // Text typed into a cell that the step changes gives way to the cell as it was.
    for (const cellId of this.drafts.keys()) {
      const before = from.cells.find((c) => c.id === cellId);
      if (before !== to.cells.find((c) => c.id === cellId)) this.drafts.delete(cellId);
    }
    this.show(to);
  }

  // ---- text that cannot be saved yet ----

  /** Keeps (or, with undefined, drops) text typed into a cell that is not valid for it yet. */
  setDraft(cellId: string, draft: CellDraft | undefined): void {
    if (draft) this.drafts.set(cellId, draft);
    else if (!this.drafts.delete(cellId)) return;
    this.dispatchEvent(new NotebookChangeEvent());
  }

  /** Drops all such text (the person chose to reload the notebook from disk). */
  discardDrafts(): void {
    if (!this.drafts.size) return;
    this.drafts.clear();
    this.dispatchEvent(new NotebookChangeEvent());
  }

  draftOf(cellId: string): CellDraft | undefined {
    return this.drafts.get(cellId);
  }

  /** The cells whose text on screen is not in the notebook, in notebook order. */
  get unsaveable(): { cellId: string; number: number; summary: string }[] {
    return this.notebook.cells.flatMap((cell, index) => {
      const draft = this.drafts.get(cell.id);
      return draft ? [{ cellId: cell.id, number: index + 1, summary: draft.summary }] : [];
    });
  }

  // ---- targets ----

  addTarget(): void {
    const used = new Set(this.notebook.targets.map((t) => this.modelInfo(t.modelId)?.id));
    const model = this.models.find((m) => !used.has(m.id)) ?? this.models[0];
    if (!model) return;
    const target: Target = {
      id: newId('t'),
      label: model.name,
      modelId: model.preferred,
      api: model.apis.includes('converse') ? 'converse' : 'invoke',
    };
    this.edit(
      { ...this.notebook, targets: [...this.notebook.targets, target] },
      `Add target ${target.label}`,
    );
  }

  updateTarget(target: Target): void {
    this.edit(
      { ...this.notebook, targets: replaceById(this.notebook.targets, target) },
      `Change target ${target.label}`,
    );
  }

  removeTarget(id: string): void {
    const label = this.notebook.targets.find((t) => t.id === id)?.label ?? id;
    this.edit(
      { ...this.notebook, targets: removeById(this.notebook.targets, id) },
      `Remove target ${label}`,
    );
  }

  moveTarget(id: string, by: -1 | 1): void {
    const moved = moveById(this.notebook.targets, id, by);
    const label = moved?.items.find((t) => t.id === id)?.label ?? id;
    if (moved) this.edit({ ...this.notebook, targets: moved.items }, `Move target ${label}`);
  }

  /** The models of the catalog, in its order (none before it is read). */
  get models(): readonly ModelInfo[] {
    return this.catalog?.models ?? [];
  }

  /** The catalog's model behind any identifier: a model id, an inference profile id, an ARN. */
  modelInfo(modelId: string): ModelInfo | undefined {
    return this.catalog && catalogModel(this.catalog, modelId);
  }

  /** Takes what the server says of its backend and its catalog; views showing them re-render. */
  setBackend(status: Status, catalog?: Catalog): void {
    this.status = status;
    if (catalog) this.catalog = catalog;
    this.dispatchEvent(new BackendChangeEvent());
  }

  /** Takes the backend's model catalog (read apart from the status: it can take longer). */
  setCatalog(catalog: Catalog): void {
    this.catalog = catalog;
    this.dispatchEvent(new BackendChangeEvent());
  }

  /** The targets a cell runs against: every target, or one synthetic target for a native cell. */
  targetsFor(cell: Cell): Target[] {
    return runTargetsFor(this.notebook, cell);
  }
}
