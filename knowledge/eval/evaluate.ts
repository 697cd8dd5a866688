import type { EvalQuery } from './evalFiles';
import { FaqMatcher } from '../matcher/faqMatcher';
import type { MatcherOptions } from '../matcher/matcherDefaults';
import type { FaqEntry, MatchResult } from '../types';

export type { EvalQuery } from './evalFiles';

/** The evaluation metrics (docs/interfaces.md) for one set of queries (all shares 0..1). */
export interface EvalMetrics {
  queries: number;
  inScope: number;
  outOfScope: number;
  top1Accuracy: number;
  top3Recall: number;
  inScopeAccuracy: number;
  /** null when there are no out-of-scope queries. */
  oosRecall: number | null;
  wrongAnswerRate: number;
  clarifyRate: number;
  latencyMs: { p50: number; p99: number };
}

/** One candidate as `kb eval` explains it: why it ranked where it did. */
export interface EvalCandidate {
  id: string;
  confidence: number;
  /** The entry's phrasing that matched best. */
  matchedPhrasing: string;
  /** Sub-scores (each 0..1) and the combined score. */
  scores: Record<string, number>;
  synonymsApplied: string[];
  typoCorrections: string[];
}

/** One query's outcome, explained: what the bot did and its leading candidates. */
export interface EvalMiss {
  q: string;
  locale: string;
  expected: string | null;
  band: MatchResult['band'];
  got: string | null;
  confidence: number;
  /** The first `EXPLAINED_CANDIDATES` candidates, best first. */
  candidates: EvalCandidate[];
}

export interface EvalReport extends EvalMetrics {
  indexBuildMs: number;
  perLocale: Record<string, EvalMetrics>;
  /** The first wrong answers and misses (`maxMisses`), explained, for humans. */
  misses: EvalMiss[];
  /** Every query, explained, in file order (only with `explain`). */
  explained?: EvalMiss[];
  /** What the same run gives at other answer thresholds (only with `thresholds`). */
  thresholds?: ThresholdPoint[];
}

/** The metrics that depend on the answer threshold, at one threshold. */
export interface ThresholdPoint {
  answerThreshold: number;
  /** Share of in-scope queries answered directly. */
  answerRate: number;
  inScopeAccuracy: number;
  /** null when there are no out-of-scope queries. */
  oosRecall: number | null;
  wrongAnswerRate: number;
}

/** 0.30, 0.35, …, 0.90: the answer thresholds `kb eval --thresholds` replays. */
export const SWEPT_THRESHOLDS: readonly number[] = Array.from(
  { length: 13 },
  (_, i) => Math.round((0.3 + i * 0.05) * 100) / 100,
);

/** Candidates shown per explained query: the clarify band's three. */
export const EXPLAINED_CANDIDATES = 3;

/** One query with what the matcher returned and how long match() took. */
export interface Outcome {
  query: EvalQuery;
  result: MatchResult;
  latencyMs: number;
}

/**
 * Builds the production matcher on `entries` and runs every query once, one after the other,
 * as the bot does (`matchAsync`). The build includes encoding the phrasings for the sentence
 * encoder, where a locale uses one.
 */
export async function runQueries(
  entries: FaqEntry[],
  queries: EvalQuery[],
  options: Partial<MatcherOptions> = {},
): Promise<{ outcomes: Outcome[]; indexBuildMs: number }> {
  const matcher = new FaqMatcher(options);
  const started = performance.now();
  matcher.load(entries);
  await matcher.warmEncoders();
  const indexBuildMs = performance.now() - started;
  const outcomes: Outcome[] = [];
  for (const query of queries) {
    const t0 = performance.now();
    const result = await matcher.matchAsync(query.q, query.locale);
    outcomes.push({ query, result, latencyMs: performance.now() - t0 });
  }
  return { outcomes, indexBuildMs };
}

/** Scores the matcher on labelled queries. Options default to the production defaults. */
export async function evaluateMatcher(
  entries: FaqEntry[],
  queries: EvalQuery[],
  options: Partial<MatcherOptions> & {
    maxMisses?: number;
    explain?: boolean;
    /** Answer thresholds to replay the run at (the bands a confidence falls in). */
    thresholds?: readonly number[];
  } = {},
): Promise<EvalReport> {
  const { outcomes, indexBuildMs } = await runQueries(entries, queries, options);
  const perLocale: Record<string, EvalMetrics> = {};
  for (const locale of [...new Set(queries.map((q) => q.locale))].sort()) {
    perLocale[locale] = metricsOf(outcomes.filter((o) => o.query.locale === locale));
  }
  const misses = outcomes
    .filter((o) => !isRight(o))
    .slice(0, options.maxMisses ?? 10)
    .map(missOf);
  return {
    ...metricsOf(outcomes),
    indexBuildMs: round(indexBuildMs),
    perLocale,
    misses,
    ...(options.explain ? { explained: outcomes.map(missOf) } : {}),
    ...(options.thresholds ? { thresholds: thresholdSweep(outcomes, options.thresholds) } : {}),
  };
}

/**
 * The run replayed at each answer threshold: a question is answered directly when its top
 * confidence reaches the threshold (as `bandOf` decides), so no query is matched again.
 */
export function thresholdSweep(
  outcomes: readonly Outcome[],
  thresholds: readonly number[],
): ThresholdPoint[] {
  const inScope = outcomes.filter((o) => o.query.expected !== null);
  const outOfScope = outcomes.length - inScope.length;
  const share = (part: number, whole: number): number => (whole === 0 ? 0 : round(part / whole));
  return thresholds.map((t) => {
    const at = (o: Outcome): string | null => {
      const top = o.result.candidates[0];
      return top && top.confidence >= t ? top.id : null;
    };
    const answered = outcomes.filter((o) => at(o) !== null);
    const right = answered.filter((o) => at(o) === o.query.expected);
    const oosAnswered = answered.filter((o) => o.query.expected === null).length;
    return {
      answerThreshold: t,
      answerRate: share(inScope.filter((o) => at(o) !== null).length, inScope.length),
      inScopeAccuracy: share(right.length, inScope.length),
      oosRecall: outOfScope === 0 ? null : share(outOfScope - oosAnswered, outOfScope),
      wrongAnswerRate: share(answered.length - right.length, outcomes.length),
    };
  });
}

/** The prediction the bot acts on: the top id when answered directly, else null. */
const answered = (o: Outcome): string | null =>
  o.result.band === 'answer' ? (o.result.candidates[0]?.id ?? null) : null;

const isRight = (o: Outcome): boolean => answered(o) === o.query.expected;

/** The evaluation metrics of a set of outcomes (any subset of a run). */
export function metricsOf(outcomes: readonly Outcome[]): EvalMetrics {
  const inScope = outcomes.filter((o) => o.query.expected !== null);
  const outOfScope = outcomes.filter((o) => o.query.expected === null);
  const ids = (o: Outcome, n: number): string[] => o.result.candidates.slice(0, n).map((c) => c.id);
  const share = (part: number, whole: number): number => (whole === 0 ? 0 : round(part / whole));
  const latencies = outcomes.map((o) => o.latencyMs).sort((a, b) => a - b);
  return {
    queries: outcomes.length,
    inScope: inScope.length,
    outOfScope: outOfScope.length,
    top1Accuracy: share(
      inScope.filter((o) => ids(o, 1)[0] === o.query.expected).length,
      inScope.length,
    ),
    top3Recall: share(
      inScope.filter((o) => ids(o, 3).includes(o.query.expected ?? '')).length,
      inScope.length,
    ),
    inScopeAccuracy: share(inScope.filter(isRight).length, inScope.length),
    oosRecall:
      outOfScope.length === 0
        ? null
        : share(outOfScope.filter((o) => answered(o) === null).length, outOfScope.length),
    wrongAnswerRate: share(
      outcomes.filter((o) => answered(o) !== null && !isRight(o)).length,
      outcomes.length,
    ),
    clarifyRate: share(outcomes.filter((o) => o.result.band === 'clarify').length, outcomes.length),
    latencyMs: { p50: round(percentile(latencies, 0.5)), p99: round(percentile(latencies, 0.99)) },
  };
}

/** Nearest-rank percentile of sorted values; 0 for an empty list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

function missOf(o: Outcome): EvalMiss {
  const top = o.result.candidates[0];
  return {
    q: o.query.q,
    locale: o.query.locale,
    expected: o.query.expected,
    band: o.result.band,
    got: top?.id ?? null,
    confidence: round(top?.confidence ?? 0),
    candidates: o.result.candidates.slice(0, EXPLAINED_CANDIDATES).map((c) => ({
      id: c.id,
      confidence: round(c.confidence),
      matchedPhrasing: c.matchedPhrasing,
      scores: Object.fromEntries(Object.entries(c.scores).map(([k, v]) => [k, round(v)])),
      synonymsApplied: c.synonymsApplied,
      typoCorrections: c.typoCorrections ?? [],
    })),
  };
}

const round = (x: number): number => Math.round(x * 10000) / 10000;
