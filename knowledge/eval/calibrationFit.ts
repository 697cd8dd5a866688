import { createHash } from 'node:crypto';
import type { EvalQuery } from './evalFiles';
import { runQueries } from './evaluate';
import type { Calibration, MatcherOptions } from '../matcher/matcherDefaults';
import { seededRandom } from '../matcher/models/seededRandom';
import { calibratedConfidence, logEntriesFeature } from '../matcher/scoring/score';
import type { FaqEntry, MatchResult } from '../types';

/**
 * Fitting the matcher's confidence calibrations (logistic regression of "the top candidate is
 * right" on its features) from labelled dev queries, so that the fit is a program anyone can
 * rerun rather than numbers pasted into the defaults. `scripts/fitCalibration.ts` runs it over
 * the dev sets and writes `knowledge/matcher/calibration.json`.
 */

/** One labelled dev set: a KB and its queries (expected null = out of scope). */
export interface CalibrationSet {
  name: string;
  kb: FaqEntry[];
  queries: EvalQuery[];
}

/** The calibrations this fit produces (see `FaqMatcher.calibrationOf`). */
export type CalibrationName = 'calibration';

/** One query's top candidate, as the calibration sees it. */
export interface CalibrationSample {
  set: string;
  features: Record<string, number>;
  /** The top candidate is the expected entry (false for every out-of-scope query). */
  right: boolean;
  /** Found by meaning alone: its confidence is capped (`meaningOnlyConfidence`). */
  wordless: boolean;
}

export interface FitSettings {
  /** Features each logistic model uses (names of `calibrationFeatures`). */
  features: Readonly<Record<CalibrationName, readonly string[]>>;
  /** L2 penalty on the coefficients (not the bias). */
  l2: number;
  iterations: number;
  /** Subtracted from the fitted bias: a margin below the wrong-answer targets. */
  biasMargin: number;
  /** Small FAQs drawn from each large set (see `smallKbSets`). */
  smallKbs: { perSet: number; entries: number; phrasings: number; outOfScopeShare: number };
  seed: number;
}

/**
 * The features of a result's top candidate that a calibration reads: its sub-scores, the
 * combined score, its lead over the runner-up (or over what an unlisted entry could score
 * with the encoder) and the log of the locale's entry count (`logEntriesFeature`), as
 * `FaqMatcher` computes them.
 */
export function calibrationFeatures(
  result: MatchResult,
  entries: number,
  options: Pick<MatcherOptions, 'weights' | 'encoderCandidateSimilarity'>,
): Record<string, number> | undefined {
  const [top, second] = result.candidates;
  if (!top) return undefined;
  const encoded = top.scores.encoder !== undefined;
  const unlisted = encoded ? options.weights.encoder * options.encoderCandidateSimilarity : 0;
  const combined = top.scores.combined ?? 0;
  const rival = Math.max(second?.scores.combined ?? 0, unlisted);
  return {
    ...top.scores,
    score: combined,
    margin: combined - rival,
    logEntries: logEntriesFeature(entries),
  };
}

/**
 * Small FAQs drawn from a large set, the size real teams write: `entries` entries with their
 * first `phrasings` phrasings, the queries of those entries, and queries of other entries as
 * out of scope (`outOfScopeShare` of the in-scope count: in-domain questions the FAQ lacks).
 * Deterministic for a seed.
 */
export function smallKbSets(
  set: CalibrationSet,
  settings: FitSettings['smallKbs'],
  seed: number,
): CalibrationSet[] {
  const random = seededRandom(seed);
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
  const sets: CalibrationSet[] = [];
  const locales = [...new Set(set.kb.map((e) => e.locale))].sort();
  for (let n = 0; n < settings.perSet; n += 1) {
    const ids = shuffle([...new Set(set.kb.map((e) => e.id))].sort()).slice(0, settings.entries);
    const chosen = new Set(ids);
    const kb = set.kb
      .filter((e) => chosen.has(e.id) && locales.includes(e.locale))
      .map((e) => ({ ...e, alternates: e.alternates.slice(0, settings.phrasings - 1) }));
    const inScope = set.queries.filter((q) => q.expected !== null && chosen.has(q.expected));
    const others = shuffle(
      set.queries.filter((q) => q.expected !== null && !chosen.has(q.expected)),
    );
    const outOfScope = others
      .slice(0, Math.round(inScope.length * settings.outOfScopeShare))
      .map((q) => ({ ...q, expected: null }));
    sets.push({ name: `${set.name}/small${n + 1}`, kb, queries: [...inScope, ...outOfScope] });
  }
  return sets;
}

/** Runs the matcher on a set and returns each query's top-candidate sample. */
export async function collectSamples(
  set: CalibrationSet,
  options: Partial<MatcherOptions> & Pick<MatcherOptions, 'weights' | 'encoderCandidateSimilarity'>,
): Promise<CalibrationSample[]> {
  const { outcomes } = await runQueries(set.kb, set.queries, options);
  const entriesOf = new Map<string, number>();
  for (const e of set.kb) entriesOf.set(e.locale, (entriesOf.get(e.locale) ?? 0) + 1);
  const samples: CalibrationSample[] = [];
  for (const { query, result } of outcomes) {
    const features = calibrationFeatures(result, entriesOf.get(query.locale) ?? 0, options);
    const top = result.candidates[0];
    if (!features || !top) continue;
    samples.push({
      set: set.name,
      features,
      right: query.expected !== null && top.id === query.expected,
      wordless: top.scores.lexical === 0 && top.scores.phrase === 0 && top.scores.fuzzy === 0,
    });
  }
  return samples;
}

/**
 * Logistic regression by Newton's method (IRLS) with an L2 penalty, each set weighing the same
 * in total (a 24-query set counts as much as a 1,650-query one), then the bias lowered by
 * `biasMargin`. Coefficients are rounded to 3 decimals.
 */
export function fitCalibration(
  samples: readonly CalibrationSample[],
  names: readonly string[],
  settings: Pick<FitSettings, 'l2' | 'iterations' | 'biasMargin'>,
): Calibration {
  const dims = names.length + 1;
  const perSet = new Map<string, number>();
  for (const s of samples) perSet.set(s.set, (perSet.get(s.set) ?? 0) + 1);
  const sets = perSet.size;
  const rows = samples.map((s) => ({
    x: [1, ...names.map((n) => s.features[n] ?? 0)],
    y: s.right ? 1 : 0,
    w: samples.length / sets / (perSet.get(s.set) ?? 1),
  }));
  const beta = new Array<number>(dims).fill(0);
  for (let iteration = 0; iteration < settings.iterations; iteration += 1) {
    const gradient = new Array<number>(dims).fill(0);
    const hessian = Array.from({ length: dims }, () => new Array<number>(dims).fill(0));
    for (const { x, y, w } of rows) {
      let z = 0;
      for (let i = 0; i < dims; i += 1) z += (beta[i] ?? 0) * (x[i] ?? 0);
      const p = 1 / (1 + Math.exp(-z));
      for (let i = 0; i < dims; i += 1) {
        gradient[i] = (gradient[i] ?? 0) + w * (p - y) * (x[i] ?? 0);
        const row = hessian[i] as number[];
        for (let j = 0; j < dims; j += 1) {
          row[j] = (row[j] ?? 0) + w * p * (1 - p) * (x[i] ?? 0) * (x[j] ?? 0);
        }
      }
    }
    for (let i = 1; i < dims; i += 1) {
      gradient[i] = (gradient[i] ?? 0) + settings.l2 * rows.length * (beta[i] ?? 0);
      const row = hessian[i] as number[];
      row[i] = (row[i] ?? 0) + settings.l2 * rows.length;
    }
    const step = solve(hessian, gradient);
    for (let i = 0; i < dims; i += 1) beta[i] = (beta[i] ?? 0) - (step[i] ?? 0);
  }
  const round3 = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    bias: round3((beta[0] ?? 0) - settings.biasMargin),
    coefficients: Object.fromEntries(names.map((n, i) => [n, round3(beta[i + 1] ?? 0)])),
  };
}

/** Gaussian elimination with partial pivoting: x with A x = b (A is small and positive definite). */
function solve(matrix: number[][], vector: number[]): number[] {
  const n = vector.length;
  const a = matrix.map((row, i) => [...row, vector[i] ?? 0]);
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < n; r += 1) {
      if (Math.abs(a[r]?.[col] ?? 0) > Math.abs(a[pivot]?.[col] ?? 0)) pivot = r;
    }
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    const p = a[col]?.[col] ?? 0;
    if (Math.abs(p) < 1e-12) continue;
    for (let r = 0; r < n; r += 1) {
      if (r === col) continue;
      const factor = (a[r]?.[col] ?? 0) / p;
      for (let c = col; c <= n; c += 1) {
        (a[r] as number[])[c] = (a[r]?.[c] ?? 0) - factor * (a[col]?.[c] ?? 0);
      }
    }
  }
  return a.map((row, i) => {
    const p = row[i] ?? 0;
    return Math.abs(p) < 1e-12 ? 0 : (row[n] ?? 0) / p;
  });
}

/** What a calibration does on samples at an answer threshold (the evaluation metrics). */
export function replay(
  samples: readonly CalibrationSample[],
  calibration: Calibration,
  answerThreshold: number,
  meaningOnlyConfidence: number,
): { answeredRight: number; wrong: number; queries: number } {
  let right = 0;
  let wrong = 0;
  for (const s of samples) {
    const raw = calibratedConfidence(s.features, calibration);
    const confidence = s.wordless ? Math.min(raw, meaningOnlyConfidence) : raw;
    if (confidence < answerThreshold) continue;
    if (s.right) right += 1;
    else wrong += 1;
  }
  return { answeredRight: right, wrong, queries: samples.length };
}

/**
 * Hash of everything a fit depends on: the data files' text, the fit settings and the matcher
 * options that shape the features (every option but the calibrations themselves). Stored with
 * the fit; a test recomputes it, so changed weights or data without a refit fail CI.
 */
export function fitInputsHash(
  files: readonly { name: string; text: string }[],
  settings: FitSettings,
  options: MatcherOptions,
): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    hash.update(`${f.name}\n${f.text}\n`);
  }
  hash.update(stableJson(settings));
  hash.update(stableJson(withoutCalibrations(options)));
  return hash.digest('hex');
}

/** The options without the fitted calibrations (the fit's outputs, not its inputs). */
export function withoutCalibrations(options: MatcherOptions): Partial<MatcherOptions> {
  const {
    calibration: _c,
    semanticCalibration: _s,
    calibrationWithoutDiscriminative: _cw,
    semanticCalibrationWithoutDiscriminative: _sw,
    encoderCalibration: _e,
    ...rest
  } = options;
  return rest;
}

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a.localeCompare(b),
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
