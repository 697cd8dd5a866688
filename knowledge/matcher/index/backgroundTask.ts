/**
 * Long work (a model fit) run in time slices on the event loop, so that queries and live
 * updates keep being served meanwhile: each slice takes steps until `sliceMs` have passed,
 * then yields to the event loop (setImmediate) before the next one.
 */
export interface BackgroundTask {
  /** Settles when the steps are done or the task is cancelled. */
  readonly done: Promise<void>;
  /** Whether the steps ran to the end (false while running or after `cancel`). */
  readonly finished: boolean;
  /** Stops before the next step; `done` then settles. */
  cancel(): void;
}

/**
 * Runs `steps` (each `next()` one small unit of work, tens of µs) in slices of at most about
 * `sliceMs` (plus one step). The pending slice keeps the process alive until the steps are
 * done or the task is cancelled. (Unref'd immediates would not: but Node then blocks in
 * poll until the next timer or I/O event, so an idle process ran about one slice per timer
 * tick.) `now` is the clock (ms), injectable for tests.
 */
export function runInSlices(
  steps: Iterator<unknown>,
  sliceMs: number,
  now: () => number = () => performance.now(),
): BackgroundTask {
  let cancelled = false;
  let finished = false;
  let settle: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (settle = resolve));
  const slice = (): void => {
    const end = now() + sliceMs;
    while (!cancelled) {
      if (steps.next().done) {
        finished = true;
        break;
      }
      if (now() >= end) {
        setImmediate(slice);
        return;
      }
    }
    settle();
  };
  setImmediate(slice);
  return {
    done,
    get finished() {
      return finished;
    },
    cancel() {
      cancelled = true;
    },
  };
}
