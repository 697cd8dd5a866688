import { LocaleIndex, type IndexedEntry, type IndexedPhrasing } from '../index/localeIndex';
import type { QueryAnalysis } from './queryAnalysis';
import type { AnalyzedToken } from '../text/normalize';
import { clamp01, idf, saturate, softmax } from './score';
import { visitTerms, type TermWeighting } from '../index/termFeatures';

/** Settings of the lexical and learned components. */
export interface FeatureSettings {
  /** Saturation of a term's share of phrasings, > 0; small = presence counts most. */
  shareSaturation: number;
  /** Dirichlet smoothing of the per-entry language model (in term-weight units), > 0. */
  lmSmoothing: number;
  /** Temperature of the softmax that turns language-model log-likelihoods into 0..1. */
  lmTemperature: number;
  ngramSizes: readonly number[];
}

/** The components of one candidate, each 0..1, plus the phrasing that matched best. */
export interface CandidateFeatures {
  indexed: IndexedEntry;
  lexical: number;
  phrase: number;
  ngram: number;
  /** Mean of the k best phrasing cosines (words): agreement of several phrasings. */
  phraseKnn: number;
  /** Mean of the k best phrasing cosines (n-grams). */
  ngramKnn: number;
  learned: number;
  /** Posterior of the discriminative model over the pool. */
  discriminative: number;
  fuzzy: number;
  /** Word-vector components (0 when the locale has no vectors), see semantic.ts. */
  semantic: number;
  semanticWords: number;
  /** Sentence-encoder cosine (leaders of small English locales only), see sentenceEncoder.ts. */
  encoder: number;
  bestPhrasing: IndexedPhrasing | undefined;
}

/**
 * Mean of the k largest of the first `count` values (fewer when there are fewer); 0 for none.
 * A bounded insertion list instead of sorting a copy: no allocation per call, and the sum
 * runs largest first as before, so the result is bit-identical to sort-slice-reduce.
 */
export function topMean(values: ArrayLike<number>, k: number, count = values.length): number {
  const n = Math.min(Math.trunc(k), count);
  if (n <= 0) return 0;
  if (topScratch.length < n) topScratch = new Float64Array(n);
  const top = topScratch;
  let size = 0;
  for (let i = 0; i < count; i += 1) {
    const value = values[i] as number;
    if (size === n && !(value > (top[n - 1] as number))) continue;
    let at = size === n ? n - 1 : size++;
    while (at > 0 && (top[at - 1] as number) < value) {
      top[at] = top[at - 1] as number;
      at -= 1;
    }
    top[at] = value;
  }
  let sum = 0;
  for (let i = 0; i < n; i += 1) sum += top[i] as number;
  return sum / n;
}

/**
 * Scratch buffers reused by every query (matching is synchronous, so one query at a time uses
 * them): per-query allocation is what drives young-generation GC pauses, the p99 tail.
 */
let topScratch = new Float64Array(8);
let similarityScratch = new Float64Array(64);
let orderScratch = new Uint32Array(64);
let termWeightScratch = new Float64Array(64);
/** Query n-gram weights by n-gram id (all 0 between queries). */
let gramWeightScratch = new Float64Array(1024);
const termScratch: string[] = [];
/** Entries touched by candidate generation (thousands for common words at 25k entries). */
const touchedScratch: (IndexedEntry | undefined)[] = [];

function similarities(length: number): Float64Array {
  if (similarityScratch.length < length) similarityScratch = new Float64Array(2 * length);
  return similarityScratch;
}

/** idf-weighted query vector; unknown terms keep the maximum idf so they count as misses. */
export function queryVector(query: QueryAnalysis, index: LocaleIndex): Map<string, number> {
  const vector = new Map<string, number>();
  for (const [term, weight] of query.terms) {
    vector.set(term, weight * idf(index.frequency(term), index.size));
  }
  return vector;
}

/**
 * Candidate generation: BM25-like accumulation over the word postings of the query. Words in
 * more than `maxPostings` entries (their postings would dominate the cost, their idf is low)
 * and bigrams (no postings) are scored for the pool only. Returns the best `pool` entries
 * with their lexical score: the share of the query's idf mass they explain, 0..1.
 */
export function generateCandidates(
  vector: ReadonlyMap<string, number>,
  index: LocaleIndex,
  settings: FeatureSettings,
  pool: number,
  maxPostings: number,
): Map<IndexedEntry, number> {
  const k = settings.shareSaturation;
  const touched = touchedScratch;
  let touchedCount = 0;
  const later: [string, number][] = [];
  let total = 0;
  for (const [term, weight] of vector) {
    total += weight;
    const postings = index.postings.get(term);
    if (!postings || postings.entries.length > maxPostings) {
      later.push([term, weight]);
      continue;
    }
    const { entries, shares } = postings;
    for (let i = 0; i < entries.length; i += 1) {
      const indexed = entries[i] as IndexedEntry;
      if (indexed.scratch === 0) touched[touchedCount++] = indexed;
      // MIN_VALUE keeps a touched entry non-zero even if its share were 0.
      indexed.scratch += weight * saturate(shares[i] ?? 0, k) + Number.MIN_VALUE;
    }
  }
  const best = topByScratch(touched, touchedCount, pool);
  const scores = new Map<IndexedEntry, number>();
  for (const indexed of best) {
    let score = indexed.scratch;
    for (const [term, weight] of later)
      score += weight * saturate(LocaleIndex.share(indexed, term), k);
    scores.set(indexed, total > 0 ? Math.min(1, score / total) : 0);
  }
  for (let i = 0; i < touchedCount; i += 1) {
    (touched[i] as IndexedEntry).scratch = 0;
    touched[i] = undefined; // keep the buffer, not the entries
  }
  return scores;
}

/**
 * The `k` entries with the highest scratch score, best first. A bounded insertion list:
 * O(n) for the thousands of entries a common word touches at 25k entries, where a full
 * sort was the largest cost of a query.
 */
function topByScratch(
  entries: readonly (IndexedEntry | undefined)[],
  count: number,
  k: number,
): IndexedEntry[] {
  const top: IndexedEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    const entry = entries[i] as IndexedEntry;
    if (top.length === k && entry.scratch <= (top[k - 1] as IndexedEntry).scratch) continue;
    let at = top.length === k ? k - 1 : top.length;
    while (at > 0 && (top[at - 1] as IndexedEntry).scratch < entry.scratch) {
      top[at] = top[at - 1] as IndexedEntry;
      at -= 1;
    }
    top[at] = entry;
  }
  return top;
}

/** Word cosine with each phrasing: the best, the mean of the k best, and the k best phrasings. */
export interface PhraseMatch {
  score: number;
  knn: number;
  top: IndexedPhrasing[];
}

/**
 * Cosine over the entry's phrasings, on idf-weighted terms (idf memoised per query). The
 * phrasing's terms go to reused scratch arrays, not a Map per phrasing; the sums run in the
 * same order as `cosine` over Maps (the smaller vector's insertion order), so the scores are
 * bit-identical to it.
 */
export function phraseSimilarity(
  vector: ReadonlyMap<string, number>,
  vectorNorm: number,
  indexed: IndexedEntry,
  idfOf: (term: string) => number,
  k: number,
  weighting: TermWeighting,
): PhraseMatch {
  const phrasings = indexed.phrasings;
  const count = phrasings.length;
  const scores = similarities(count);
  if (orderScratch.length < count) orderScratch = new Uint32Array(2 * count);
  const order = orderScratch;
  for (let p = 0; p < count; p += 1) {
    const similarity = phrasingCosine(
      vector,
      vectorNorm,
      (phrasings[p] as IndexedPhrasing).tokens,
      idfOf,
      weighting,
    );
    scores[p] = similarity;
    // Stable insertion by descending similarity (ties keep phrasing order, like Array#sort).
    let at = p;
    while (at > 0 && (scores[order[at - 1] as number] as number) < similarity) {
      order[at] = order[at - 1] as number;
      at -= 1;
    }
    order[at] = p;
  }
  const sorted = new Float64Array(count);
  for (let i = 0; i < count; i += 1) sorted[i] = scores[order[i] as number] as number;
  const top: IndexedPhrasing[] = [];
  for (let i = 0; i < Math.min(Math.trunc(k), count); i += 1) {
    top.push(phrasings[order[i] as number] as IndexedPhrasing);
  }
  return { score: count > 0 ? (sorted[0] as number) : 0, knn: topMean(sorted, k), top };
}

/** Index of `term` among the first `length` scratch terms, -1 if absent. */
function scratchIndexOf(term: string, length: number): number {
  for (let i = 0; i < length; i += 1) if (termScratch[i] === term) return i;
  return -1;
}

/**
 * Cosine of the query vector with one phrasing's idf-weighted terms: `termsOf` (stems, then
 * bigrams, the largest weight kept) and `cosine` computed over scratch arrays.
 */
function phrasingCosine(
  vector: ReadonlyMap<string, number>,
  vectorNorm: number,
  tokens: readonly AnalyzedToken[],
  idfOf: (term: string) => number,
  weighting: TermWeighting,
): number {
  if (termWeightScratch.length < 2 * tokens.length) {
    termWeightScratch = new Float64Array(4 * tokens.length);
  }
  const weights = termWeightScratch;
  let length = 0;
  const add = (term: string, weight: number): void => {
    if (!(weight > 0)) return;
    const at = scratchIndexOf(term, length);
    if (at < 0) {
      termScratch[length] = term;
      weights[length] = weight;
      length += 1;
    } else weights[at] = Math.max(weights[at] as number, weight);
  };
  visitTerms(tokens, weighting, add);
  let sumSquares = 0;
  for (let i = 0; i < length; i += 1) {
    const weighted = (weights[i] as number) * idfOf(termScratch[i] as string);
    weights[i] = weighted;
    sumSquares += weighted * weighted;
  }
  const phrasingNorm = Math.sqrt(sumSquares);
  let result = 0;
  if (vectorNorm !== 0 && phrasingNorm !== 0) {
    let dot = 0;
    if (vector.size <= length) {
      for (const [term, weight] of vector) {
        const at = scratchIndexOf(term, length);
        dot += weight * (at < 0 ? 0 : (weights[at] as number));
      }
    } else {
      for (let i = 0; i < length; i += 1) {
        dot += (weights[i] as number) * (vector.get(termScratch[i] as string) ?? 0);
      }
    }
    result = clamp01(dot / (vectorNorm * phrasingNorm));
  }
  return result;
}

/** The query's known n-gram ids (sorted) with their idf weights, and the norm over all. */
export interface GramVector {
  ids: Uint32Array;
  weights: Float64Array;
  /** idf × weight of each id: the query's factor in every dot product, computed once. */
  dotWeights: Float64Array;
  norm: number;
}

/** idf-weighted character n-grams of the query; unknown n-grams only add to the norm. */
export function queryGramVector(
  queryGrams: ReadonlyMap<string, number>,
  index: LocaleIndex,
): GramVector {
  const known: [number, number][] = [];
  let sumSquares = 0;
  for (const [gram, count] of queryGrams) {
    const id = index.gramId(gram);
    const weight = count * idf(id === undefined ? 0 : (index.gramFrequency[id] ?? 0), index.size);
    sumSquares += weight * weight;
    if (id !== undefined) known.push([id, weight]);
  }
  known.sort((a, b) => a[0] - b[0]);
  const ids = Uint32Array.from(known, ([id]) => id);
  const weights = Float64Array.from(known, ([, weight]) => weight);
  const dotWeights = new Float64Array(ids.length);
  for (let j = 0; j < ids.length; j += 1) {
    dotWeights[j] =
      idf(index.gramFrequency[ids[j] as number] ?? 0, index.size) * (weights[j] as number);
  }
  return { ids, weights, dotWeights, norm: Math.sqrt(sumSquares) };
}

/**
 * Best cosine over the entry's phrasings, on idf-weighted character n-grams, and the mean of
 * the k best. One entry; the ranker scores its whole pool with `ngramSimilarities`.
 */
export function ngramSimilarity(
  query: GramVector,
  indexed: IndexedEntry,
  index: LocaleIndex,
  k: number,
): { score: number; knn: number } {
  return ngramSimilarities(query, [indexed], index, k)[0] as { score: number; knn: number };
}

/**
 * `ngramSimilarity` for each of `entries`. The query's weights are spread once into a dense
 * table by n-gram id, so each n-gram of a phrasing costs one load (0 when the query lacks
 * it) instead of a step of a sorted merge; the non-zero terms are added in the same order,
 * so the sums are bit-identical to the merge. Phrasing norms are cached until the index
 * changes, and the query side of each product is precomputed (`dotWeights`).
 */
export function ngramSimilarities(
  query: GramVector,
  entries: readonly IndexedEntry[],
  index: LocaleIndex,
  k: number,
): { score: number; knn: number }[] {
  if (query.norm === 0) return entries.map(() => ({ score: 0, knn: 0 }));
  const grams = index.gramFrequency.length;
  if (gramWeightScratch.length < grams) {
    gramWeightScratch = new Float64Array(Math.max(grams, 2 * gramWeightScratch.length));
  }
  const lookup = gramWeightScratch;
  const { ids: queryIds, dotWeights } = query;
  for (let j = 0; j < queryIds.length; j += 1)
    lookup[queryIds[j] as number] = dotWeights[j] as number;
  try {
    return entries.map((indexed) => {
      const phrasings = indexed.phrasings;
      const scores = similarities(phrasings.length);
      let best = 0;
      for (let p = 0; p < phrasings.length; p += 1) {
        const phrasing = phrasings[p] as IndexedPhrasing;
        const ids = phrasing.gramIds;
        let dot = 0;
        // Repeats of an id in the phrasing each add their count, as in count × idf.
        for (let i = 0; i < ids.length; i += 1) dot += lookup[ids[i] as number] as number;
        const norm = index.gramNorm(phrasing);
        const similarity = norm > 0 ? Math.min(1, dot / (query.norm * norm)) : 0;
        scores[p] = similarity;
        if (similarity > best) best = similarity;
      }
      return { score: best, knn: topMean(scores, k, phrasings.length) };
    });
  } finally {
    for (let j = 0; j < queryIds.length; j += 1) lookup[queryIds[j] as number] = 0;
  }
}

/**
 * The component learned from each entry's phrasings: a multinomial language model per entry
 * (Dirichlet-smoothed towards the locale's collection), turned into a posterior by a softmax
 * over the candidates plus a background model (the collection itself), which stands for
 * "none of these": a query that no entry explains better than the background gets low
 * posteriors everywhere, even when only one candidate was generated. Updating an entry only
 * changes its own counts and the collection counts.
 */
export function learnedPosteriors(
  query: QueryAnalysis,
  candidates: readonly IndexedEntry[],
  index: LocaleIndex,
  settings: FeatureSettings,
  normalised?: number,
): number[] {
  const vocabulary = Math.max(1, index.vocabularySize);
  const mu = settings.lmSmoothing;
  // The query's terms as parallel arrays, iterated in the Map's order as before.
  const terms: string[] = [];
  const weights: number[] = [];
  const background: number[] = [];
  let backgroundLikelihood = 0;
  for (const [term, weight] of query.terms) {
    const p = (index.occurrences(term) + 0.5) / (index.collectionTotal + vocabulary);
    terms.push(term);
    weights.push(weight);
    background.push(p);
    backgroundLikelihood += weight * Math.log(p);
  }
  const logScores: number[] = [];
  for (const indexed of candidates) {
    let sum = 0;
    for (let t = 0; t < terms.length; t += 1) {
      const count = indexed.terms.get(terms[t] as string) ?? 0;
      sum +=
        (weights[t] as number) *
        Math.log((count + mu * (background[t] as number)) / (indexed.total + mu));
    }
    logScores.push(sum);
  }
  logScores.push(backgroundLikelihood);
  const scored = normalised ?? candidates.length;
  if (scored >= candidates.length) return softmax(logScores, settings.lmTemperature).slice(0, -1);
  // Only the first `normalised` candidates (and the background) make the normaliser; each
  // later one (rankCandidates' widened pool) is scored as if it alone joined them, so the
  // widened pool does not dilute the posteriors of the core pool.
  const core = [...logScores.slice(0, scored), backgroundLikelihood];
  const max = Math.max(...core);
  const T = settings.lmTemperature;
  let total = 0;
  for (const s of core) total += Math.exp((s - max) / T);
  return logScores.slice(0, -1).map((s, i) => {
    const e = Math.exp((s - max) / T);
    return i < scored ? e / total : e / (total + e);
  });
}
