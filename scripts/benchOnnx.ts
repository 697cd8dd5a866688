import '../bot/infrastructure/quietDotenv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FaqMatcher,
  loadOnnxEncoderModel,
  parseKbJson,
  parseQueriesJsonl,
  CachingEncoder,
} from '../knowledge';
import { load, type LoadRun } from './benchLoad';

/**
 * `npm run bench:onnx [-- <model folder>] [--threads N]`: what an ONNX sentence encoder costs
 * here, by default the tiny test model (tests/fixtures/tinyEncoder), so the figures are the
 * encoder's own overhead (tokenising, the worker round trip, pooling); give an operator's
 * model folder to measure a real model on the server it will run on.
 *
 * 1. Loading: wall time and resident memory added (RSS after − before).
 * 2. The encoder alone on the sib200 dev questions (en, he, ro, hu; long encyclopedic
 *    sentences, ~25–40 tokens) from 1, 8 and 16 callers at once (batches of up to 8).
 * 3. The whole matcher on the sib200 KB, one question at a time: by words alone (`match`)
 *    and with the encoder (`matchAsync`, warmed up).
 *
 * Latency is from the call to its answer, queueing included.
 */
const QUESTIONS = 160;

async function main(argv: string[]): Promise<void> {
  const at = argv.indexOf('--threads');
  const threads = at >= 0 ? Number(argv[at + 1]) : 1;
  const folder =
    argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--threads') ??
    join(__dirname, '..', 'tests', 'fixtures', 'tinyEncoder');
  const dir = join(__dirname, '..', 'tests', 'fixtures', 'eval', 'sib200');
  const file = join(dir, 'queries.jsonl');
  const queries = parseQueriesJsonl(readFileSync(file, 'utf8'), file);
  const questions = [...new Set(queries.map((q) => q.q))].slice(0, QUESTIONS);

  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const model = await loadOnnxEncoderModel(folder, { threads });
  const loadMs = performance.now() - started;
  global.gc?.();
  const rssAfter = process.memoryUsage().rss;
  console.log(`model ${folder}: ${model.dimensions} dimensions, onnxruntime threads ${threads}`);
  console.log(
    `load ${loadMs.toFixed(0)} ms, resident memory +${((rssAfter - rssBefore) / 2 ** 20).toFixed(0)} MB`,
  );

  for (let i = 0; i < 8; i += 1) await model.embed([`warm up ${i}`]);
  for (const concurrency of [1, 8, 16]) {
    const encoder = new CachingEncoder('bench', model.dimensions, model);
    const run = await load(questions, concurrency, (q) => encoder.embed([q]));
    console.log(
      `encoder alone, ${questions.length} questions, ${String(concurrency).padStart(2)} at once: ` +
        `${show(run)} (${encoder.modelCalls} model calls)`,
    );
  }

  const kbFile = join(dir, 'kb.json');
  const entries = parseKbJson(readFileSync(kbFile, 'utf8'), kbFile);
  const matcher = new FaqMatcher({ sentenceEncoderModel: folder });
  matcher.load(entries);
  await matcher.warmEncoders();
  for (const locale of ['en', 'he', 'ro', 'hu']) {
    const asked = queries
      .filter((q) => q.locale === locale)
      .map((q) => q.q)
      .slice(0, 40);
    // The same questions by words alone first (this also fits the locale's models).
    const words = await load(asked, 1, (q) => Promise.resolve(matcher.match(q, locale)));
    const run = await load(asked, 1, (q) => matcher.matchAsync(q, locale));
    console.log(
      `matcher, ${locale}, ${asked.length} questions one by one: words alone ${show(words)} | with the encoder ${show(run)}`,
    );
  }
  await model.close();
}

const show = (r: LoadRun): string =>
  `${r.perSecond.toFixed(0)} q/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`;

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
