import { useEffect, useState } from 'preact/hooks';

export interface Fetched<T> {
  /** null until the first answer. */
  data: T | null;
  /** What went wrong last: loading, or the last action. */
  problem: string | null;
  /** Runs an action (a write); on success loads again, on failure shows its problem. */
  act: (action: () => Promise<unknown>) => Promise<void>;
}

const messageOf = (err: unknown, fallback: string): string =>
  err instanceof Error ? err.message : fallback;

/**
 * Calls `load` when the page shows and again whenever one of `inputs` changes (an entry
 * selected, a write made) or an action succeeds; an answer that arrives after the next change
 * is dropped, so a slow request never overwrites a newer one.
 */
export function useFetched<T>(load: () => Promise<T>, inputs: ReadonlyArray<unknown>): Fetched<T> {
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    let current = true;
    setProblem(null);
    load().then(
      (value) => current && setData(value),
      (err: unknown) => current && setProblem(messageOf(err, 'Loading failed')),
    );
    return () => {
      current = false;
    };
    // `load` is a new closure every render; the inputs say when it asks for something new.
  }, [...inputs, reloads]);
  const act = async (action: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await action();
      setReloads((n) => n + 1);
    } catch (err) {
      setProblem(messageOf(err, 'That did not work'));
    }
  };
  return { data, problem, act };
}
