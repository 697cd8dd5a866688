import { LocaleIndex, type IndexedEntry, type IndexedPhrasing } from './localeIndex';
import type { QueryAnalysis } from './queryAnalysis';
import { cosine, idf, norm, saturate, softmax } from './score';
import { termsOf, type TermWeighting } from './termFeatures';

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
  bestPhrasing: IndexedPhrasing | undefined;
}

/** Mean of the k largest values (fewer when there are fewer); 0 for none. */
export function topMean(values: number[], k: number): number {
  if (values.length === 0 || k <= 0) return 0;
  const top = [...values].sort((a, b) => b - a).slice(0, k);
  return top.reduce((sum, v) => sum + v, 0) / top.length;
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
  const touched: IndexedEntry[] = [];
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
      if (indexed.scratch === 0) touched.push(indexed);
      // MIN_VALUE keeps a touched entry non-zero even if its share were 0.
      indexed.scratch += weight * saturate(shares[i] ?? 0, k) + Number.MIN_VALUE;
    }
  }
  const best = topByScratch(touched, pool);
  const scores = new Map<IndexedEntry, number>();
  for (const indexed of best) {
    let score = indexed.scratch;
    for (const [term, weight] of later)
      score += weight * saturate(LocaleIndex.share(indexed, term), k);
    scores.set(indexed, total > 0 ? Math.min(1, score / total) : 0);
  }
  for (const indexed of touched) indexed.scratch = 0;
  return scores;
}

/**
 * The `k` entries with the highest scratch score, best first. A bounded insertion list:
 * O(n) for the thousands of entries a common word touches at 25k entries, where a full
 * sort was the largest cost of a query.
 */
function topByScratch(entries: readonly IndexedEntry[], k: number): IndexedEntry[] {
  const top: IndexedEntry[] = [];
  for (const entry of entries) {
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

/** Cosine over the entry's phrasings, on idf-weighted terms (idf memoised per query). */
export function phraseSimilarity(
  vector: ReadonlyMap<string, number>,
  vectorNorm: number,
  indexed: IndexedEntry,
  idfOf: (term: string) => number,
  k: number,
  weighting: TermWeighting,
): PhraseMatch {
  const scored = indexed.phrasings.map((phrasing) => {
    const weighted = new Map<string, number>();
    for (const [term, weight] of termsOf(phrasing.tokens, weighting)) {
      weighted.set(term, weight * idfOf(term));
    }
    return { phrasing, similarity: cosine(vector, vectorNorm, weighted, norm(weighted)) };
  });
  scored.sort((a, b) => b.similarity - a.similarity);
  const similarities = scored.map((s) => s.similarity);
  return {
    score: similarities[0] ?? 0,
    knn: topMean(similarities, k),
    top: scored.slice(0, k).map((s) => s.phrasing),
  };
}

/** The query's known n-gram ids (sorted) with their idf weights, and the norm over all. */
export interface GramVector {
  ids: Uint32Array;
  weights: Float64Array;
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
  return {
    ids: Uint32Array.from(known, ([id]) => id),
    weights: Float64Array.from(known, ([, weight]) => weight),
    norm: Math.sqrt(sumSquares),
  };
}

/**
 * Best cosine over the entry's phrasings, on idf-weighted character n-grams, and the mean of
 * the k best. Both id lists are sorted, so the dot product is a merge; phrasing norms are
 * cached until the index changes.
 */
export function ngramSimilarity(
  query: GramVector,
  indexed: IndexedEntry,
  index: LocaleIndex,
  k: number,
): { score: number; knn: number } {
  if (query.norm === 0) return { score: 0, knn: 0 };
  const similarities = indexed.phrasings.map((phrasing) => {
    const ids = phrasing.gramIds;
    let dot = 0;
    for (let i = 0, j = 0; i < ids.length && j < query.ids.length;) {
      const a = ids[i] as number;
      const b = query.ids[j] as number;
      if (a < b) i += 1;
      else if (a > b) j += 1;
      else {
        dot += idf(index.gramFrequency[a] ?? 0, index.size) * (query.weights[j] ?? 0);
        i += 1; // repeats of `a` in the phrasing each add their count, as in count × idf
      }
    }
    const norm = index.gramNorm(phrasing);
    return norm > 0 ? Math.min(1, dot / (query.norm * norm)) : 0;
  });
  return { score: Math.max(0, ...similarities), knn: topMean(similarities, k) };
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
): number[] {
  const vocabulary = Math.max(1, index.vocabularySize);
  const mu = settings.lmSmoothing;
  const background = new Map<string, number>();
  let backgroundLikelihood = 0;
  for (const [term, weight] of query.terms) {
    const p = (index.occurrences(term) + 0.5) / (index.collectionTotal + vocabulary);
    background.set(term, p);
    backgroundLikelihood += weight * Math.log(p);
  }
  const logLikelihoods = candidates.map((indexed) => {
    let sum = 0;
    for (const [term, weight] of query.terms) {
      const count = indexed.terms.get(term) ?? 0;
      sum += weight * Math.log((count + mu * (background.get(term) ?? 0)) / (indexed.total + mu));
    }
    return sum;
  });
  return softmax([...logLikelihoods, backgroundLikelihood], settings.lmTemperature).slice(0, -1);
}
