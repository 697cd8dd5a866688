import { runInSlices } from '../../../../knowledge/matcher/index/backgroundTask';

function* counter(steps: number, log: number[]): Generator<void> {
  for (let i = 0; i < steps; i += 1) {
    log.push(i);
    yield;
  }
}

describe('runInSlices', () => {
  it('runs every step, in slices that yield to the event loop', async () => {
    const log: number[] = [];
    let clock = 0;
    // Each clock reading advances 1 ms: a 3 ms slice takes about 3 steps.
    const task = runInSlices(counter(10, log), 3, () => (clock += 1));
    expect(log).toEqual([]); // nothing runs synchronously
    await task.done;
    expect(log).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(task.finished).toBe(true);
  });

  it('stops on cancel and settles', async () => {
    const log: number[] = [];
    let clock = 0;
    const task = runInSlices(counter(1000, log), 2, () => (clock += 1));
    await new Promise((resolve) => setImmediate(resolve));
    task.cancel();
    await task.done;
    expect(task.finished).toBe(false);
    expect(log.length).toBeLessThan(1000);
  });
});
