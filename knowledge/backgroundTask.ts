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
 * `sliceMs` (plus one step). The slices do not keep the process alive on their own: a caller
 * that must wait for the result awaits `done` while holding the process alive (see
 * `keepAliveUntil`). `now` is the clock (ms), injectable for tests.
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
        setImmediate(slice).unref();
        return;
      }
    }
    settle();
  };
  setImmediate(slice).unref();
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

/** Awaits `promise` while holding the event loop alive (background slices do not). */
export async function keepAliveUntil(promise: Promise<unknown>): Promise<void> {
  const timer = setInterval(() => undefined, 1000);
  try {
    await promise;
  } finally {
    clearInterval(timer);
  }
}
