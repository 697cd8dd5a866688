import '../bot/quietDotenv';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fuse from 'fuse.js';
import { TfIdf } from 'natural';
import { percentile } from '../knowledge/evaluate';
import { FaqMatcher } from '../knowledge/faqMatcher';
import type { MatcherOptions } from '../knowledge/matcherDefaults';
import type { FaqEntry } from '../knowledge/types';

/**
 * `npm run bench`: latency, index build time and memory of the production matcher at 1k, 10k
 * and 25k entries, beside fuse.js (full scan over every phrasing) and natural's TfIdf on the
 * same synthetic KB and queries. Each engine and size runs in its own child process so that
 * RSS is its own. Seed and sizes are fixed, so runs are comparable.
 */
const SIZES = [1_000, 10_000, 25_000] as const;
/** Matcher options for the run as JSON (e.g. where the word vectors are), default none. */
const OPTIONS = JSON.parse(process.env.BENCH_MATCHER_OPTIONS ?? '{}') as Partial<MatcherOptions>;
const SEED = 20261123;
/** `none` builds nothing: its RSS is the baseline (Node, tsx, libraries, the KB objects). */
const ENGINES = ['none', 'askdesk', 'fuse', 'tfidf'] as const;
type Engine = (typeof ENGINES)[number];
/** Queries per engine and size; the baselines scan everything, so they get fewer. */
const QUERY_COUNT: Record<Engine, (size: number) => number> = {
  none: () => 0,
  askdesk: () => 500,
  fuse: (size) => (size >= 10_000 ? 4 : 30),
  tfidf: (size) => (size >= 10_000 ? 12 : 100),
};

interface EngineResult {
  engine: Engine;
  size: number;
  phrasings: number;
  queries: number;
  buildMs: number;
  buildCpuMs: number;
  p50: number;
  p99: number;
  /** CPU time per query: what the process itself spent, unaffected by other load. */
  cpuP50: number;
  cpuP99: number;
  rssMb: number;
  heapMb: number;
  updateP50?: number;
  updateMax?: number;
}

interface SyntheticKb {
  entries: FaqEntry[];
  queries: string[];
}

/** Deterministic PRNG (mulberry32): same seed, same KB and queries on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Real English words in frequency order, from the bundled eval KBs. */
function vocabulary(): string[] {
  const counts = new Map<string, number>();
  for (const set of ['banking77', 'clinc150', 'hwu64']) {
    const file = join(__dirname, '..', 'tests', 'fixtures', 'eval', set, 'kb.json');
    const kb = JSON.parse(readFileSync(file, 'utf8')) as {
      question: string;
      alternates: string[];
    }[];
    for (const e of kb) {
      for (const w of [e.question, ...e.alternates]
        .join(' ')
        .toLowerCase()
        .match(/[a-z]+/g) ?? []) {
        counts.set(w, (counts.get(w) ?? 0) + 1);
      }
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([w]) => w);
}

/**
 * A KB of `size` entries with 5 phrasings each. Each entry has 6 topic words; a phrasing
 * mixes them with words drawn Zipf-like from the whole vocabulary, so common words have long
 * postings lists as in a real KB. Queries are new phrasings of random entries, 10% with a typo.
 */
export function syntheticKb(size: number, seed: number): SyntheticKb {
  const rand = random(seed);
  const words = vocabulary();
  const zipf = (): string => words[Math.floor(words.length ** rand()) - 1] ?? 'help';
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const topics = Array.from({ length: size }, () => Array.from({ length: 6 }, () => pick(words)));
  const phrase = (topic: string[]): string =>
    Array.from({ length: 4 + Math.floor(rand() * 7) }, () =>
      rand() < 0.5 ? pick(topic) : zipf(),
    ).join(' ');
  const entries = topics.map((topic, i): FaqEntry => ({
    id: `faq-${i}`,
    locale: 'en',
    question: phrase(topic),
    alternates: Array.from({ length: 4 }, () => phrase(topic)),
    answer: `Answer ${i}`,
    tags: [],
    followUps: [],
    enabled: true,
  }));
  const queries = Array.from({ length: 600 }, () => {
    const q = phrase(pick(topics));
    const at = Math.floor(rand() * q.length);
    return rand() < 0.1 ? q.slice(0, at) + q.slice(at + 1) : q;
  });
  return { entries, queries };
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

function latencies(queries: readonly string[], run: (q: string) => unknown) {
  // Warm-up (JIT, caches): a few queries, but only one for the slow full-scan baselines.
  for (const q of queries.slice(0, Math.ceil(queries.length / 100))) run(q);
  const runs = queries.map((q) => time(() => run(q)));
  const wall = runs.map((r) => r[1]).sort((a, b) => a - b);
  const cpu = runs.map((r) => r[2]).sort((a, b) => a - b);
  return {
    p50: percentile(wall, 0.5),
    p99: percentile(wall, 0.99),
    cpuP50: percentile(cpu, 0.5),
    cpuP99: percentile(cpu, 0.99),
  };
}

function buildEngine(engine: Engine, kb: SyntheticKb): (q: string) => unknown {
  if (engine === 'none') return () => undefined;
  if (engine === 'askdesk') {
    const matcher = new FaqMatcher(OPTIONS);
    matcher.load(kb.entries);
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

function liveUpdates(kb: SyntheticKb): { updateP50: number; updateMax: number } {
  const matcher = new FaqMatcher(OPTIONS);
  matcher.load(kb.entries);
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

function runChild(engine: Engine, size: number): EngineResult {
  const kb = syntheticKb(size, SEED);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const [run, buildMs, buildCpuMs] = time(() => buildEngine(engine, kb));
  gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const queries = kb.queries.slice(0, QUERY_COUNT[engine](size));
  const measured = latencies(queries, run);
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  const phrasings = kb.entries.reduce((n, e) => n + 1 + e.alternates.length, 0);
  const base = {
    engine,
    size,
    phrasings,
    queries: queries.length,
    buildMs,
    buildCpuMs,
    ...measured,
    rssMb,
    heapMb,
  };
  return engine === 'askdesk' && size === SIZES[SIZES.length - 1]
    ? { ...base, ...liveUpdates(kb) }
    : base;
}

function spawnChild(engine: Engine, size: number): EngineResult {
  const child = spawnSync(
    process.execPath,
    [
      '--expose-gc',
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

function report(results: EngineResult[]): void {
  console.log(
    `seed ${SEED}; synthetic English KB, 5 phrasings per entry; one process per row; ` +
      `baselines are timed on fewer queries (full scans)`,
  );
  console.log(
    'engine   entries queries  build ms  (cpu)      p50 ms    p99 ms  cpu p50  cpu p99   RSS MB  heap MB',
  );
  for (const r of results.filter((x) => x.engine !== 'none')) {
    console.log(
      `${r.engine.padEnd(8)} ${String(r.size).padStart(7)} ${String(r.queries).padStart(7)}` +
        `${ms(r.buildMs)} ${ms(r.buildCpuMs)} ${ms(r.p50)} ${ms(r.p99)}${ms(r.cpuP50)}${ms(r.cpuP99)}` +
        ` ${r.rssMb.toFixed(0).padStart(8)} ${r.heapMb.toFixed(0).padStart(8)}`,
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

function main(argv: string[]): void {
  if (argv[0] === '--child') {
    console.log(JSON.stringify(runChild(argv[1] as Engine, Number(argv[2]))));
    return;
  }
  const results: EngineResult[] = [];
  for (const size of SIZES) for (const engine of ENGINES) results.push(spawnChild(engine, size));
  report(results);
}

if (require.main === module) main(process.argv.slice(2));
