/** Why a cell cannot be compiled, said so a person can fix it. `cellId` names the culprit. */
export class CompileError extends Error {
  override name = 'CompileError';
  /** The cell the message is about (not always the one being compiled). */
  readonly cellId: string | undefined;
  constructor(message: string, cellId?: string) {
    super(message);
    this.cellId = cellId;
  }
}
