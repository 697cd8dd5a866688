import '../bot/infrastructure/quietDotenv';
import { spawnSync } from 'node:child_process';
import { openSync, readSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import Fuse from 'fuse.js';
// By path, like the product (knowledge/naturalModules.d.ts): natural's index costs ~115 MB RSS.
import TfIdf from 'natural/lib/natural/tfidf/tfidf';
import { percentile, FaqMatcher, type MatcherOptions, type FaqEntry } from '../knowledge';
import { syntheticKb, type SyntheticKb } from './syntheticKb';

/**
 * `npm run bench`: latency, index build time and memory of the production matcher at 1k, 10k
 * and 25k entries, beside fuse.js (full scan over every phrasing) and natural's TfIdf on the
 * same synthetic KB and queries. Each engine and size runs in its own child process so that
 * RSS is its own. Seed and sizes are fixed, so runs are comparable.
 *
 * Latency is reported three ways, all over every timed query (nothing is discarded):
 * - wall: what a user waits for, including time this process was not scheduled;
 * - cpu: process CPU time (all threads, so V8's background GC and compiler threads count);
 * - thread: on-CPU time of the main thread alone (Linux schedstat, nanosecond accounting),
 *   which includes GC pauses on the main thread but not time spent waiting for a core. On a
 *   shared machine, thread p99 is the figure that compares runs; wall p99 measures the load.
 * The matcher's queries are timed in `ROUNDS` passes; the p99 of each pass is printed too,
 * so the spread shows. Children run with `BENCH_NODE_FLAGS` (printed), the product's flags.
 */
const SIZES = [1_000, 10_000, 25_000] as const;
/** Matcher options for the run as JSON (e.g. where the word vectors are), default none. */
const OPTIONS = JSON.parse(process.env.BENCH_MATCHER_OPTIONS ?? '{}') as Partial<MatcherOptions>;
const SEED = 20261123;
/** `none` builds nothing: its RSS is the baseline (Node, tsx, libraries, the KB objects). */
const ENGINES = ['none', 'askdesk', 'fuse', 'tfidf'] as const;
type Engine = (typeof ENGINES)[number];
/**
 * Queries per engine and size; the baselines scan everything, so they get fewer (fuse.js
 * takes ~10 s a query at 25k entries: 3 queries there keep the whole bench near 2 minutes).
 */
const QUERY_COUNT: Record<Engine, (size: number) => number> = {
  none: () => 0,
  askdesk: () => 500,
  fuse: (size) => (size >= 25_000 ? 3 : size >= 10_000 ? 4 : 30),
  tfidf: (size) => (size >= 10_000 ? 12 : 100),
};
/** Passes over the matcher's queries (its p99 pools all of them: 1,500 samples). */
const ROUNDS = 3;
/**
 * V8 flags of the bench children: the same as the product's start command (package.json
 * `start`), so the bench measures the process that ships.
 */
export const BENCH_NODE_FLAGS: readonly string[] = [];

interface EngineResult {
  engine: Engine;
  size: number;
  phrasings: number;
  queries: number;
  buildMs: number;
  buildCpuMs: number;
  p50: number;
  p99: number;
  /** Process CPU time per query (all threads: background GC and JIT threads count too). */
  cpuP50: number;
  cpuP99: number;
  /** Main-thread on-CPU time per query (Linux); unaffected by waiting for a core. */
  threadP50?: number;
  threadP99?: number;
  /** Wall p99 and thread p99 of each pass over the queries. */
  roundP99: number[];
  roundThreadP99: number[];
  /** Young-generation (scavenge) GCs while queries ran, their longest and total pause. */
  minorGcs: number;
  minorGcMaxMs: number;
  minorGcTotalMs: number;
  majorGcs: number;
  rssMb: number;
  heapMb: number;
  updateP50?: number;
  updateMax?: number;
  /**
   * Wall ms from the end of the build until the background work (the discriminative fit of
   * a locale above `discriminativeMaxPhrasings`) is done; 0 when there is none. Queries are
   * timed after it, on the complete model.
   */
  readyMs: number;
}

/** Runs `run` and returns its value, wall-clock ms and CPU ms (user + system). */
function time<T>(run: () => T): [T, number, number] {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = run();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return [value, wall, (used.user + used.system) / 1000];
}

/** This thread's scheduler statistics (Linux); the first field is on-CPU nanoseconds. */
const schedstat = ((): number | undefined => {
  try {
    return openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return undefined;
  }
})();
const schedBuffer = Buffer.alloc(128);

/** On-CPU ms of the main thread so far, or NaN where unavailable (one pread, ~5 µs). */
function threadCpuMs(): number {
  if (schedstat === undefined) return Number.NaN;
  const length = readSync(schedstat, schedBuffer, 0, schedBuffer.length, 0);
  return Number(schedBuffer.toString('latin1', 0, length).split(' ')[0]) / 1e6;
}

interface Timing {
  wall: number;
  cpu: number;
  thread: number;
}

/** One query's wall, process CPU and main-thread CPU ms. */
function timeQuery(run: () => unknown): Timing {
  const thread = threadCpuMs();
  const cpu = process.cpuUsage();
  const started = performance.now();
  run();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000, thread: threadCpuMs() - thread };
}

/** Nearest-rank percentile of unsorted values. */
const p = (values: readonly number[], at: number): number =>
  percentile(
    [...values].sort((a, b) => a - b),
    at,
  );

/** Young and full GCs in [from, to] (performance.now() time), from perf_hooks 'gc' entries. */
function gcStats(entries: readonly PerformanceEntry[], from: number, to: number) {
  const inWindow = entries.filter((e) => e.startTime >= from && e.startTime <= to);
  const kind = (e: PerformanceEntry): number =>
    (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0;
  // perf_hooks constants.NODE_PERFORMANCE_GC_MINOR = 1, _MAJOR = 4.
  const minor = inWindow.filter((e) => kind(e) === 1).map((e) => e.duration);
  return {
    minorGcs: minor.length,
    minorGcMaxMs: Math.max(0, ...minor),
    minorGcTotalMs: minor.reduce((sum, d) => sum + d, 0),
    majorGcs: inWindow.filter((e) => kind(e) === 4).length,
  };
}

/**
 * Warms up on `warmUp` (queries that are not timed, so no timed query meets caches filled by
 * itself), then times every query `rounds` times; nothing is discarded.
 */
function latencies(
  queries: readonly string[],
  warmUp: readonly string[],
  run: (q: string) => unknown,
  rounds: number,
) {
  for (const q of warmUp) run(q);
  const byRound = Array.from({ length: rounds }, () => queries.map((q) => timeQuery(() => run(q))));
  const wall = (timings: Timing[]): number[] => timings.map((t) => t.wall);
  const thread = (timings: Timing[]): number[] => timings.map((t) => t.thread);
  const all = byRound.flat();
  const cpu = all.map((t) => t.cpu);
  const hasThread = schedstat !== undefined;
  return {
    p50: p(wall(all), 0.5),
    p99: p(wall(all), 0.99),
    cpuP50: p(cpu, 0.5),
    cpuP99: p(cpu, 0.99),
    ...(hasThread ? { threadP50: p(thread(all), 0.5), threadP99: p(thread(all), 0.99) } : {}),
    roundP99: byRound.map((r) => p(wall(r), 0.99)),
    roundThreadP99: hasThread ? byRound.map((r) => p(thread(r), 0.99)) : [],
  };
}

/** The matcher built by the last `buildEngine('askdesk', …)`: readiness, live updates. */
let builtMatcher: FaqMatcher | undefined;

function buildEngine(engine: Engine, kb: SyntheticKb): (q: string) => unknown {
  if (engine === 'none') return () => undefined;
  if (engine === 'askdesk') {
    const matcher = new FaqMatcher(OPTIONS);
    matcher.load(kb.entries);
    builtMatcher = matcher;
    return (q) => matcher.match(q, 'en');
  }
  const phrasings = kb.entries.flatMap((e) =>
    [e.question, ...e.alternates].map((text) => ({ id: e.id, text })),
  );
  if (engine === 'fuse') {
    const fuse = new Fuse(phrasings, { keys: ['text'], includeScore: true, ignoreLocation: true });
    return (q) => fuse.search(q, { limit: 5 });
  }
  const tfidf = new TfIdf();
  for (const p of phrasings) tfidf.addDocument(p.text);
  return (q) => {
    let best = -1;
    tfidf.tfidfs(q, (i, measure) => {
      if (measure > best) best = i;
    });
    return best;
  };
}

/** Upserts 50 entries (one phrasing more each) and removes one, after the timed queries. */
function liveUpdates(
  matcher: FaqMatcher,
  kb: SyntheticKb,
): { updateP50: number; updateMax: number } {
  const times = kb.entries.slice(0, 50).map((entry: FaqEntry, i) => {
    const changed = {
      ...entry,
      alternates: [...entry.alternates, `${kb.queries[i] ?? 'new phrasing'}`],
    };
    return time(() => matcher.upsert(changed))[1];
  });
  times.push(time(() => matcher.remove(kb.entries[60]?.id ?? '', 'en'))[1]);
  times.sort((a, b) => a - b);
  return { updateP50: percentile(times, 0.5), updateMax: times[times.length - 1] ?? 0 };
}

async function runChild(engine: Engine, size: number): Promise<EngineResult> {
  const kb = syntheticKb(size, SEED);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const [run, buildMs, buildCpuMs] = time(() => buildEngine(engine, kb));
  const readyFrom = performance.now();
  if (engine === 'askdesk') await builtMatcher?.whenReady();
  const readyMs = engine === 'askdesk' ? performance.now() - readyFrom : 0;
  gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const queries = kb.queries.slice(0, QUERY_COUNT[engine](size));
  // JIT warm-up on the queries no engine times (the last 100 of 600); one for the baselines.
  const warmUp = kb.queries.slice(500, engine === 'askdesk' ? 600 : 501);
  const gcEntries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => gcEntries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const from = performance.now();
  const measured = latencies(queries, warmUp, run, engine === 'askdesk' ? ROUNDS : 1);
  const to = performance.now();
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  await new Promise((resolve) => setTimeout(resolve, 50)); // gc entries arrive asynchronously
  observer.disconnect();
  const phrasings = kb.entries.reduce((n, e) => n + 1 + e.alternates.length, 0);
  const base = {
    engine,
    size,
    phrasings,
    queries: queries.length,
    buildMs,
    buildCpuMs,
    ...measured,
    ...gcStats(gcEntries, from, to),
    rssMb,
    heapMb,
    readyMs,
  };
  return engine === 'askdesk' && size === SIZES[SIZES.length - 1] && builtMatcher
    ? { ...base, ...liveUpdates(builtMatcher, kb) }
    : base;
}

function spawnChild(engine: Engine, size: number): EngineResult {
  const child = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      ...BENCH_NODE_FLAGS,
      '--import',
      'tsx',
      join(__dirname, 'bench.ts'),
      '--child',
      engine,
      String(size),
    ],
    { encoding: 'utf8', env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' }, maxBuffer: 1 << 24 },
  );
  if (child.status !== 0) throw new Error(`bench child ${engine} ${size} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as EngineResult;
}

const ms = (x: number): string => x.toFixed(2).padStart(9);

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function report(results: EngineResult[], loadBefore: string): void {
  console.log(
    `seed ${SEED}; sizes ${SIZES.join(', ')} entries; synthetic English KB, 5 phrasings per ` +
      `entry, 600 queries (10% with a typo); one process per row; askdesk times ${ROUNDS} ` +
      `passes over its ${QUERY_COUNT.askdesk(0)} queries, baselines fewer queries once (full scans)`,
  );
  console.log(
    `node ${process.version}, ${cpus().length} cores; child flags: --expose-gc ` +
      `${BENCH_NODE_FLAGS.join(' ')}${process.env.NODE_OPTIONS ? ` NODE_OPTIONS=${process.env.NODE_OPTIONS}` : ''}; ` +
      `load average (1/5/15 min) before ${loadBefore}, after ${load()}`,
  );
  console.log(
    'engine   entries queries  build ms  (cpu)      p50 ms    p99 ms  cpu p50  cpu p99 ' +
      'thr p50  thr p99   RSS MB  heap MB',
  );
  for (const r of results.filter((x) => x.engine !== 'none')) {
    console.log(
      `${r.engine.padEnd(8)} ${String(r.size).padStart(7)} ${String(r.queries * (r.roundP99.length || 1)).padStart(7)}` +
        `${ms(r.buildMs)} ${ms(r.buildCpuMs)} ${ms(r.p50)} ${ms(r.p99)}${ms(r.cpuP50)}${ms(r.cpuP99)}` +
        `${ms(r.threadP50 ?? Number.NaN)}${ms(r.threadP99 ?? Number.NaN)}` +
        ` ${r.rssMb.toFixed(0).padStart(8)} ${r.heapMb.toFixed(0).padStart(8)}`,
    );
  }
  for (const r of results.filter((x) => x.engine === 'askdesk')) {
    const list = (values: number[]): string => values.map((v) => v.toFixed(2)).join(' / ');
    console.log(
      `askdesk ${r.size}: p99 by pass wall ${list(r.roundP99)} ms, thread ${list(r.roundThreadP99)} ms; ` +
        `${r.minorGcs} young-generation GCs in ${r.queries * ROUNDS} queries (max ` +
        `${r.minorGcMaxMs.toFixed(2)} ms, total ${r.minorGcTotalMs.toFixed(0)} ms), ${r.majorGcs} full; ` +
        `background fit done ${(r.readyMs / 1000).toFixed(1)} s after the build`,
    );
  }
  for (const size of SIZES) {
    const find = (engine: Engine) => results.find((r) => r.engine === engine && r.size === size);
    const ours = find('askdesk');
    if (!ours) continue;
    const ratio = (engine: Engine): string => {
      const other = find(engine);
      if (!other) return '';
      return `${(other.p50 / ours.p50).toFixed(0)}× (cpu ${(other.cpuP50 / ours.cpuP50).toFixed(0)}×) vs ${engine}`;
    };
    const baseline = find('none')?.rssMb ?? 0;
    console.log(
      `${size} entries: askdesk p50 faster by ${ratio('fuse')}, ${ratio('tfidf')}; ` +
        `index RSS over baseline ${(ours.rssMb - baseline).toFixed(0)} MB (baseline ${baseline.toFixed(0)} MB)`,
    );
    if (ours.updateP50 !== undefined) {
      console.log(
        `${size} entries: live update (upsert/remove one entry) p50 ${ours.updateP50.toFixed(2)} ms, ` +
          `max ${ours.updateMax?.toFixed(2)} ms over 51 updates`,
      );
    }
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    console.log(JSON.stringify(await runChild(argv[1] as Engine, Number(argv[2]))));
    return;
  }
  const loadBefore = load();
  const results: EngineResult[] = [];
  for (const size of SIZES) for (const engine of ENGINES) results.push(spawnChild(engine, size));
  report(results, loadBefore);
}

if (require.main === module) void main(process.argv.slice(2));
