import '../bot/infrastructure/quietDotenv';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  EvalFileError,
  parseKbJson,
  parseQueriesJsonl,
  evaluateMatcher,
  SWEPT_THRESHOLDS,
  type EvalMetrics,
  type EvalMiss,
  type EvalReport,
  type ThresholdPoint,
  matcherDefaults,
} from '../knowledge';

const USAGE =
  'usage: kb eval --kb KB.json --queries QUERIES.jsonl [--json] [--misses N] [--explain]\n' +
  '               [--sweep | --thresholds T,T,…] [--encoder FOLDER]\n' +
  '  --misses N   explain the first N wrong answers and misses (default 10)\n' +
  '  --explain    explain every query: each candidate with its sub-scores, the phrasing\n' +
  '               that matched, synonyms applied and typo corrections\n' +
  '  --sweep      also replay the run at answer thresholds 0.30, 0.35, …, 0.90\n' +
  '  --thresholds the same at the thresholds listed (each 0..1)\n' +
  '  --encoder    an ONNX sentence-encoder folder (as MATCH_SENTENCE_ENCODER) for every locale';

/**
 * `kb eval`: scores the production matcher at its default settings on a KB file (JSON array)
 * and a query file (JSON lines). Prints one JSON object with --json, a summary otherwise.
 * Returns the process exit code: 0 on success, 2 on bad arguments or files.
 */
export async function runEval(
  argv: string[],
  output: { out(text: string): void; err(text: string): void } = {
    out: (text) => output.out(text),
    err: (text) => output.err(text),
  },
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        kb: { type: 'string' },
        queries: { type: 'string' },
        json: { type: 'boolean', default: false },
        misses: { type: 'string', default: '10' },
        explain: { type: 'boolean', default: false },
        sweep: { type: 'boolean', default: false },
        thresholds: { type: 'string' },
        encoder: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    output.err(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const maxMisses = Number(values.misses);
  if (!values.kb || !values.queries || !Number.isInteger(maxMisses) || maxMisses < 0) {
    output.err(`--kb and --queries are required; --misses is a whole number\n${USAGE}\n`);
    return 2;
  }
  const thresholds = values.sweep ? SWEPT_THRESHOLDS : parseThresholds(values.thresholds);
  if (thresholds === null) {
    output.err(
      `--thresholds "${values.thresholds}" is not a list of numbers from 0 to 1, such as 0.5,0.6\n${USAGE}\n`,
    );
    return 2;
  }
  try {
    const entries = parseKbJson(await readFile(values.kb, 'utf8'), values.kb);
    const queries = parseQueriesJsonl(await readFile(values.queries, 'utf8'), values.queries);
    const report = await evaluateMatcher(entries, queries, {
      maxMisses,
      explain: values.explain,
      ...(thresholds ? { thresholds } : {}),
      ...(values.encoder ? { sentenceEncoderModel: values.encoder } : {}),
    });
    output.out(values.json ? `${JSON.stringify(report)}\n` : summarize(report));
    return 0;
  } catch (error) {
    if (error instanceof EvalFileError || isMissingFile(error)) {
      output.err(`${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

/** undefined when not given, null when malformed. */
function parseThresholds(text: string | undefined): readonly number[] | undefined | null {
  if (text === undefined) return undefined;
  const list = text.split(',').map((t) => (t.trim() === '' ? NaN : Number(t)));
  return list.every((t) => Number.isFinite(t) && t >= 0 && t <= 1) ? list : null;
}

const isMissingFile = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'EISDIR');

const pct = (x: number | null): string =>
  x === null ? '   –  ' : `${(x * 100).toFixed(1).padStart(5)}%`;

function line(name: string, m: EvalMetrics): string {
  return (
    `${name.padEnd(8)} n=${String(m.queries).padStart(5)}  top1 ${pct(m.top1Accuracy)}  top3 ${pct(m.top3Recall)}` +
    `  answered-right ${pct(m.inScopeAccuracy)}  oos-recall ${pct(m.oosRecall)}  wrong ${pct(m.wrongAnswerRate)}` +
    `  clarify ${pct(m.clarifyRate)}  p50 ${m.latencyMs.p50.toFixed(2)}ms p99 ${m.latencyMs.p99.toFixed(2)}ms\n`
  );
}

function summarize(report: EvalReport): string {
  const locales = Object.entries(report.perLocale).map(([locale, m]) => line(locale, m));
  const explain = (title: string, list: readonly EvalMiss[]): string[] =>
    list.length === 0 ? [] : [`${title}:\n`, ...list.map(explained)];
  return [
    line('all', report),
    ...locales,
    `index build ${report.indexBuildMs.toFixed(1)} ms\n`,
    ...sweepLines(report.thresholds ?? []),
    ...explain(`misses (first ${report.misses.length})`, report.misses),
    ...explain('every query', report.explained ?? []),
  ].join('');
}

/** The run at other answer thresholds, one line each (the default's marked). */
function sweepLines(points: readonly ThresholdPoint[]): string[] {
  if (points.length === 0) return [];
  return [
    'at other answer thresholds (clarify threshold unchanged):\n',
    ...points.map(
      (p) =>
        `  ${p.answerThreshold.toFixed(2)}${p.answerThreshold === matcherDefaults.answerThreshold ? '*' : ' '}` +
        ` answered ${pct(p.answerRate)}  answered-right ${pct(p.inScopeAccuracy)}` +
        `  oos-recall ${pct(p.oosRecall)}  wrong ${pct(p.wrongAnswerRate)}\n`,
    ),
  ];
}

/** A query and its leading candidates, one line each, with their non-zero sub-scores. */
function explained(m: EvalMiss): string {
  const head =
    `  [${m.locale}] "${m.q}" expected ${m.expected ?? '(none)'}, got ${m.got ?? '(none)'} ` +
    `(${m.band}, confidence ${m.confidence.toFixed(2)})\n`;
  const candidates = m.candidates.map((c, i) => {
    const scores = Object.entries(c.scores)
      .filter(([, v]) => v !== 0)
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join(', ');
    const rewrites = [
      c.synonymsApplied.length > 0 ? `; synonyms ${c.synonymsApplied.join(', ')}` : '',
      c.typoCorrections.length > 0 ? `; typos ${c.typoCorrections.join(', ')}` : '',
    ].join('');
    return (
      `      ${i + 1}. ${c.id} ${c.confidence.toFixed(2)} via "${c.matchedPhrasing}": ` +
      `${scores}${rewrites}\n`
    );
  });
  return head + candidates.join('');
}

if (require.main === module) {
  runEval(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`kb eval failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
