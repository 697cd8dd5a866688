import '../bot/quietDotenv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKbJson, parseQueriesJsonl } from '../knowledge/evalFiles';
import { percentile } from '../knowledge/evaluate';
import { FaqMatcher } from '../knowledge/faqMatcher';
import { CachingEncoder, loadEncoderModel, type EncoderModel } from '../knowledge/sentenceEncoder';

/**
 * `npm run bench:encoder`: how many English questions per second the sentence encoder serves
 * when customers ask at the same time, on the clinc150 dev set (tests/fixtures/eval: a KB of
 * 150 entries, 1,500 phrasings; questions taken in file order, so every run asks the same).
 *
 * 1. The encoder alone: `QUESTIONS` distinct questions from `concurrency` callers at once,
 *    each into a fresh (empty) cache, with batching (up to 8 questions per model call, as the
 *    product runs) and, as the baseline in the same run, one model call per question (how
 *    the encoder ran before concurrent questions shared calls).
 * 2. The whole matcher (`matchAsync`, warmed up): one caller against 16, on fresh questions.
 *
 * Latency is from the call to its answer, queueing included. One process, one core busy.
 */
const QUESTIONS = 160;
const CONCURRENCY = [1, 4, 16] as const;

interface Run {
  perSecond: number;
  p50: number;
  p99: number;
}

/** Runs `ask` over `questions` from `concurrency` callers; throughput and latencies. */
async function load(
  questions: readonly string[],
  concurrency: number,
  ask: (q: string) => Promise<unknown>,
): Promise<Run> {
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

const show = (r: Run): string =>
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

async function wholeMatcher(kbFile: string, questions: readonly string[]): Promise<void> {
  const matcher = new FaqMatcher();
  matcher.load(parseKbJson(readFileSync(kbFile, 'utf8'), kbFile));
  await matcher.warmEncoders();
  const half = Math.floor(questions.length / 2);
  const one = await load(questions.slice(0, half), 1, (q) => matcher.matchAsync(q, 'en'));
  const many = await load(questions.slice(half), 16, (q) => matcher.matchAsync(q, 'en'));
  console.log(
    `matcher (matchAsync), ${half} questions each: 1 at once ${show(one)} | ` +
      `16 at once ${show(many)} | throughput ×${(many.perSecond / one.perSecond).toFixed(2)}`,
  );
}

async function main(): Promise<void> {
  const dir = join(__dirname, '..', 'tests', 'fixtures', 'eval', 'clinc150');
  const file = join(dir, 'queries.jsonl');
  const all = parseQueriesJsonl(readFileSync(file, 'utf8'), file).map((q) => q.q);
  const distinct = [...new Set(all)];
  await encoderAlone(await loadEncoderModel('use-lite-en'), distinct.slice(0, QUESTIONS));
  await wholeMatcher(join(dir, 'kb.json'), distinct.slice(QUESTIONS, 3 * QUESTIONS));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
