import '../bot/infrastructure/quietDotenv';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import {
  parseKbJson,
  parseQueriesJsonl,
  ThreadEncoderModel,
  FaqMatcher,
  CachingEncoder,
  loadEncoderModel,
  type EncoderModel,
} from '../knowledge';
import { load, type LoadRun } from './benchLoad';

/**
 * `npm run bench:encoder`: how many English questions per second the sentence encoder serves
 * when customers ask at the same time, on the clinc150 dev set (tests/fixtures/eval: a KB of
 * 150 entries, 1,500 phrasings; questions taken in file order, so every run asks the same).
 *
 * 1. The encoder alone: `QUESTIONS` distinct questions from `concurrency` callers at once,
 *    each into a fresh (empty) cache, with batching (up to 8 questions per model call, as the
 *    product runs) and, as the baseline in the same run, one model call per question (how
 *    the encoder ran before concurrent questions shared calls).
 * 2. The whole matcher (`matchAsync`, warmed up): one caller against 16, on fresh questions,
 *    with the model on this thread and on a worker thread (the product's default), with how
 *    late the event loop ran meanwhile.
 *
 * Latency is from the call to its answer, queueing included. One process, one core busy.
 */
const QUESTIONS = 160;
const CONCURRENCY = [1, 4, 16] as const;

const show = (r: LoadRun): string =>
  `${r.perSecond.toFixed(0).padStart(4)} q/s, p50 ${r.p50.toFixed(0).padStart(4)} ms, p99 ${r.p99.toFixed(0).padStart(4)} ms`;

async function encoderAlone(model: EncoderModel, questions: readonly string[]): Promise<void> {
  console.log(`encoder alone, ${questions.length} questions:`);
  for (let i = 0; i < 16; i += 1) await model.embed([`warm up the model ${i}`]);
  for (const concurrency of CONCURRENCY) {
    const single = new CachingEncoder('one-per-call', 512, model, 1);
    const batched = new CachingEncoder('batched', 512, model);
    const before = await load(questions, concurrency, (q) => single.embed([q]));
    const after = await load(questions, concurrency, (q) => batched.embed([q]));
    console.log(
      `  ${String(concurrency).padStart(2)} at once: one call per question ${show(before)} | ` +
        `batched ${show(after)} (${batched.modelCalls} calls) | ` +
        `throughput ×${(after.perSecond / before.perSecond).toFixed(2)}`,
    );
  }
}

/**
 * The whole matcher (`matchAsync`, warmed up) with the model on this thread and on a worker
 * thread: throughput one caller at a time and 16 at once, and how late the event loop runs
 * meanwhile (p99 of `monitorEventLoopDelay`: what any other request waits).
 */
async function wholeMatcher(kbFile: string, questions: readonly string[]): Promise<void> {
  const entries = parseKbJson(readFileSync(kbFile, 'utf8'), kbFile);
  const half = Math.floor(questions.length / 2);
  const threadless = await loadEncoderModel('use-lite-en', { thread: false });
  const threaded = await loadEncoderModel('use-lite-en');
  // Each configuration twice, interleaved, on the same questions (each run has a cache of its
  // own), so that neither profits from going second.
  const rows: [string, EncoderModel][] = [
    ['model on this thread', threadless],
    ['model on a worker thread', threaded],
    ['model on this thread', threadless],
    ['model on a worker thread', threaded],
  ];
  for (const [name, model] of rows) {
    const encoder = new CachingEncoder(name, 512, model);
    const matcher = new FaqMatcher({}, () => Promise.resolve(encoder));
    matcher.load(entries);
    await matcher.warmEncoders();
    const ask = (q: string) => matcher.matchAsync(q, 'en');
    const one = await load(questions.slice(0, half), 1, ask);
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const many = await load(questions.slice(half), 16, ask);
    delay.disable();
    console.log(
      `matcher, ${name}, ${half} questions each: 1 at once ${show(one)} | 16 at once ` +
        `${show(many)}, event loop late p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms`,
    );
  }
  if (threaded instanceof ThreadEncoderModel) await threaded.close();
}

async function main(): Promise<void> {
  const dir = join(__dirname, '..', 'tests', 'fixtures', 'eval', 'clinc150');
  const file = join(dir, 'queries.jsonl');
  const all = parseQueriesJsonl(readFileSync(file, 'utf8'), file).map((q) => q.q);
  const distinct = [...new Set(all)];
  await encoderAlone(
    await loadEncoderModel('use-lite-en', { thread: false }),
    distinct.slice(0, QUESTIONS),
  );
  await wholeMatcher(join(dir, 'kb.json'), distinct.slice(QUESTIONS, 3 * QUESTIONS));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
