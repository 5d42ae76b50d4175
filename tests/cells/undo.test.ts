import { describe, expect, it } from 'vitest';
import { UndoStack } from '../../cells/undo.ts';

describe('the undo stack', () => {
  it('takes changes back newest first and does them again in order', () => {
    const stack = new UndoStack<string>();
    stack.record({ label: 'one', before: 'a', after: 'b' });
    stack.record({ label: 'two', before: 'b', after: 'c' });
    expect(stack.undo()?.before).toBe('b');
    expect(stack.undo()?.before).toBe('a');
    expect(stack.undo()).toBeUndefined();
    expect(stack.redo()?.after).toBe('b');
    expect(stack.redo()?.after).toBe('c');
    expect(stack.redo()).toBeUndefined();
  });

  it('merges the changes of one open group into one step, until it is sealed', () => {
    const stack = new UndoStack<string>();
    stack.record({ label: 'type', before: '', after: 'h', group: 'cell:1' });
    stack.record({ label: 'type', before: 'h', after: 'hi', group: 'cell:1' });
    stack.seal();
    stack.record({ label: 'type', before: 'hi', after: 'hi!', group: 'cell:1' });
    expect(stack.undo()).toMatchObject({ before: 'hi', after: 'hi!' });
    expect(stack.undo()).toMatchObject({ before: '', after: 'hi' });
    expect(stack.canUndo).toBe(false);
  });

  it('does not merge into a step of another group, or into one taken back', () => {
    const stack = new UndoStack<string>();
    stack.record({ label: 'a', before: '', after: 'a', group: 'cell:1' });
    stack.record({ label: 'b', before: 'a', after: 'ab', group: 'cell:2' });
    stack.undo();
    stack.record({ label: 'b', before: 'a', after: 'ac', group: 'cell:2' });
    expect(stack.undo()).toMatchObject({ before: 'a', after: 'ac' });
    expect(stack.undo()).toMatchObject({ before: '', after: 'a' });
  });

  it('forgets what was undone once a new change is made', () => {
    const stack = new UndoStack<string>();
    stack.record({ label: 'one', before: 'a', after: 'b' });
    stack.undo();
    expect(stack.canRedo).toBe(true);
    stack.record({ label: 'other', before: 'a', after: 'x' });
    expect(stack.canRedo).toBe(false);
    expect(stack.last?.label).toBe('other');
  });
});
