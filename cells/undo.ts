/**
 * Undo and redo over immutable states (notebooks): each step keeps the state before and after
 * it, so undoing is putting `before` back. Steps that continue one another (typing in one cell)
 * share a group and become one step until the group is sealed.
 */

/** One undoable change, named for the person ("Delete cell 3"). */
export interface UndoStep<T> {
  label: string;
  before: T;
  after: T;
  /** Steps of one open group are merged (typing in one cell is one step). */
  group?: string;
  /** The cell the change is about, for putting the keyboard back there. */
  cellId?: string;
}

/** How many steps are kept; older ones are forgotten. */
const DEPTH = 200;

export class UndoStack<T> {
  private done: UndoStep<T>[] = [];
  private undone: UndoStep<T>[] = [];
  /** The group the last step is open for, until sealed. */
  private open: string | undefined;

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  /** The step an undo would take back now. */
  get last(): UndoStep<T> | undefined {
    return this.done.at(-1);
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** Records a change; a new change forgets what was undone (there is nothing left to redo). */
  record(step: UndoStep<T>): void {
    this.undone = [];
    const last = this.done.at(-1);
    if (step.group !== undefined && last && this.open === step.group) {
      last.after = step.after;
      return;
    }
    this.done.push(step);
    if (this.done.length > DEPTH) this.done.shift();
    this.open = step.group;
  }

  /** Ends the open group: the next change is a step of its own. */
  seal(): void {
    this.open = undefined;
  }

  /** The step to take back (its `before` is the state to show), or undefined. */
  undo(): UndoStep<T> | undefined {
    this.open = undefined;
    const step = this.done.pop();
    if (step) this.undone.push(step);
    return step;
  }

  /** The step to do again (its `after` is the state to show), or undefined. */
  redo(): UndoStep<T> | undefined {
    this.open = undefined;
    const step = this.undone.pop();
    if (step) this.done.push(step);
    return step;
  }

  clear(): void {
    this.done = [];
    this.undone = [];
    this.open = undefined;
  }
}
