/**
 * Pure scoring formulas. Every function returns a number where higher is better, and never
 * NaN: empty inputs give 0.
 */

export const clamp01 = (x: number): number => (x <= 0 ? 0 : x >= 1 ? 1 : Number.isNaN(x) ? 0 : x);

/** Fuse reports 0 for a perfect match and 1 for none; we speak confidence (1 = perfect). */
export const confidenceFromFuseScore = (fuseScore: number | undefined): number =>
  fuseScore === undefined ? 0 : 1 - clamp01(fuseScore);

/** Smoothed inverse document frequency, always > 0 (BM25+ style, log(1 + N/df)). */
export function idf(docFrequency: number, docCount: number): number {
  return Math.log(1 + (docCount + 1) / (docFrequency + 0.5));
}

/**
 * BM25-style saturation of a term's share of an entry's phrasings (0..1): the first
 * phrasings that use a word say most; the tenth adds little. Returns 0..1 for share 0..1.
 */
export function saturate(share: number, k: number): number {
  if (share <= 0) return 0;
  return (share * (k + 1)) / (share + k);
}

/** A sparse vector: term → weight. */
export type SparseVector = ReadonlyMap<string, number>;

export function norm(vector: SparseVector): number {
  let sum = 0;
  for (const w of vector.values()) sum += w * w;
  return Math.sqrt(sum);
}

/** Cosine similarity 0..1 of two non-negative sparse vectors; 0 if either is empty. */
export function cosine(a: SparseVector, aNorm: number, b: SparseVector, bNorm: number): number {
  if (aNorm === 0 || bNorm === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, w] of small) dot += w * (large.get(term) ?? 0);
  return clamp01(dot / (aNorm * bNorm));
}

/** Logistic function, 0..1. */
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Softmax of log-scores with a temperature; an empty list gives an empty list. */
export function softmax(logScores: readonly number[], temperature: number): number[] {
  if (logScores.length === 0) return [];
  const max = Math.max(...logScores);
  const exps = logScores.map((s) => Math.exp((s - max) / temperature));
  const total = exps.reduce((sum, e) => sum + e, 0);
  return exps.map((e) => e / total);
}

/** Weighted sum of named components; missing components count as 0. */
export function combine<K extends string>(
  components: Readonly<Partial<Record<K, number>>>,
  weights: Readonly<Record<K, number>>,
): number {
  let total = 0;
  // for…in visits the same keys in the same order as Object.entries, without allocating.
  for (const name in weights) total += weights[name] * (components[name] ?? 0);
  return total;
}

/**
 * Calibrated confidence 0..1 that a candidate is the right answer: a logistic model over its
 * named features (combined score, lead over the best rival, components), fitted on dev.
 * Features the model does not name are ignored; named ones that are missing count as 0.
 */
export function calibratedConfidence(
  features: Readonly<Record<string, number>>,
  model: { readonly bias: number; readonly coefficients: Readonly<Record<string, number>> },
): number {
  return sigmoid(model.bias + combine(features, model.coefficients));
}

/** Character n-grams of a word with boundary marks, e.g. "card" → "#ca", "car", "ard", "rd#". */
export function charNgrams(word: string, sizes: readonly number[]): string[] {
  const padded = `#${word}#`;
  const grams: string[] = [];
  for (const n of sizes) {
    if (padded.length < n) continue;
    for (let i = 0; i + n <= padded.length; i += 1) grams.push(padded.slice(i, i + n));
  }
  return grams;
}

/** Entries of the smallest FAQs the calibration was fitted on (see calibrationFit.ts). */
export const SMALLEST_CALIBRATED_KB = 24;

/**
 * The calibration's size feature: log of the locale's entry count, floored at the smallest
 * FAQ size it was fitted on, so a KB of two entries is not extrapolated into certainty.
 */
export const logEntriesFeature = (entries: number): number =>
  Math.log(Math.max(SMALLEST_CALIBRATED_KB, entries));
