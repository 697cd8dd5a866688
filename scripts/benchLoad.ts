import { percentile } from '../knowledge';

/** Throughput and latency percentiles (ms) of one load run. */
export interface LoadRun {
  perSecond: number;
  p50: number;
  p99: number;
}

/** Runs `ask` over `questions` from `concurrency` callers; throughput and latencies. */
export async function load(
  questions: readonly string[],
  concurrency: number,
  ask: (q: string) => Promise<unknown>,
): Promise<LoadRun> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const caller = async (): Promise<void> => {
    while (next < questions.length) {
      const q = questions[next++] as string;
      const t0 = performance.now();
      await ask(q);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: questions.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}
