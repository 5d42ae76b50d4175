import { describe, expect, it } from 'vitest';
import { WireLog } from '../../server/wire-log.ts';

describe('the wire log', () => {
  it('keeps the events of the newest runs and forgets the oldest first', () => {
    const log = new WireLog(2, 1000);
    const runs = [log.begin(), log.begin(), log.begin()];
    runs.forEach((run, i) => {
      run.push({ n: i });
      run.end();
    });
    expect(log.get(runs[0]!.runId)).toBeUndefined();
    expect(log.get(runs[1]!.runId)?.events.map((e) => e.event)).toEqual([{ n: 1 }]);
    expect(log.get(runs[2]!.runId)).toMatchObject({ complete: true, dropped: 0 });
  });

  it('holds at most its number of events: older runs go first, then a run past it counts what it drops', () => {
    const log = new WireLog(10, 5);
    const old = log.begin();
    for (let i = 0; i < 3; i++) old.push(i);
    const big = log.begin();
    for (let i = 0; i < 8; i++) big.push(i);
    expect(log.get(old.runId)).toBeUndefined();
    expect(log.get(big.runId)).toMatchObject({ dropped: 3, complete: false });
    expect(log.get(big.runId)?.events.map((e) => e.event)).toEqual([0, 1, 2, 3, 4]);
  });

  it('stops counting a run it forgot while that run still streams', () => {
    const log = new WireLog(1, 4);
    const first = log.begin();
    first.push('a');
    const second = log.begin(); // forgets the first: one run at a time
    for (let i = 0; i < 10; i++) first.push('late');
    for (let i = 0; i < 4; i++) second.push(i);
    expect(log.get(second.runId)).toMatchObject({ dropped: 0 });
    expect(log.get(second.runId)?.events).toHaveLength(4);
  });

  it('gives every run an id of its own', () => {
    const log = new WireLog();
    const ids = new Set(Array.from({ length: 100 }, () => log.begin().runId));
    expect(ids.size).toBe(100);
  });
});
