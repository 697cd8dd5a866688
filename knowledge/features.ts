import type { IndexedEntry, IndexedPhrasing, LocaleIndex } from './localeIndex';
import type { QueryAnalysis } from './queryAnalysis';
import { cosine, idf, norm, saturate, softmax } from './score';

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
  fuzzy: number;
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
 * Candidate generation: BM25-like accumulation over the postings of the query's terms,
 * skipping terms so common that their postings would dominate the cost (they still count in
 * re-ranking). Returns the best `pool` entries with their normalised lexical score.
 */
export function generateCandidates(
  vector: ReadonlyMap<string, number>,
  index: LocaleIndex,
  settings: FeatureSettings,
  pool: number,
  maxPostings: number,
): Map<IndexedEntry, number> {
  const scores = new Map<IndexedEntry, number>();
  let total = 0;
  for (const [term, weight] of vector) {
    total += weight;
    const entries = index.postings.get(term);
    if (!entries || entries.size > maxPostings) continue;
    for (const indexed of entries) {
      const share = indexed.share.get(term) ?? 0;
      scores.set(
        indexed,
        (scores.get(indexed) ?? 0) + weight * saturate(share, settings.shareSaturation),
      );
    }
  }
  const ranked = [...scores].sort((a, b) => b[1] - a[1]).slice(0, pool);
  return new Map(ranked.map(([indexed, score]) => [indexed, total > 0 ? score / total : 0]));
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
): PhraseMatch {
  const scored = indexed.phrasings.map((phrasing) => {
    const weighted = new Map<string, number>();
    for (const [term, weight] of phrasing.terms) weighted.set(term, weight * idfOf(term));
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

/** idf-weighted character n-grams of the query: known ids, plus the norm over all grams. */
export function queryGramVector(
  queryGrams: ReadonlyMap<string, number>,
  index: LocaleIndex,
): { vector: Map<number, number>; norm: number } {
  const vector = new Map<number, number>();
  let sumSquares = 0;
  for (const [gram, count] of queryGrams) {
    const id = index.gramId(gram);
    const weight = count * idf(id === undefined ? 0 : (index.gramFrequency[id] ?? 0), index.size);
    sumSquares += weight * weight;
    if (id !== undefined) vector.set(id, weight);
  }
  return { vector, norm: Math.sqrt(sumSquares) };
}

/** Best cosine over the entry's phrasings, on idf-weighted character n-grams. */
export function ngramSimilarity(
  query: { vector: ReadonlyMap<number, number>; norm: number },
  indexed: IndexedEntry,
  index: LocaleIndex,
  k: number,
): { score: number; knn: number } {
  if (query.norm === 0) return { score: 0, knn: 0 };
  const similarities: number[] = [];
  for (const phrasing of indexed.phrasings) {
    let dot = 0;
    let sumSquares = 0;
    for (let i = 0; i < phrasing.gramIds.length; i += 1) {
      const id = phrasing.gramIds[i] as number;
      const weight = (phrasing.gramCounts[i] ?? 0) * idf(index.gramFrequency[id] ?? 0, index.size);
      sumSquares += weight * weight;
      dot += weight * (query.vector.get(id) ?? 0);
    }
    similarities.push(sumSquares > 0 ? Math.min(1, dot / (query.norm * Math.sqrt(sumSquares))) : 0);
  }
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
  const vocabulary = Math.max(1, index.collection.size);
  const mu = settings.lmSmoothing;
  const background = new Map<string, number>();
  let backgroundLikelihood = 0;
  for (const [term, weight] of query.terms) {
    const p = ((index.collection.get(term) ?? 0) + 0.5) / (index.collectionTotal + vocabulary);
    background.set(term, p);
    backgroundLikelihood += weight * Math.log(p);
  }
  const logLikelihoods = candidates.map((indexed) => {
    let sum = 0;
    for (const [term, weight] of query.terms) {
      const count = indexed.counts.get(term) ?? 0;
      sum += weight * Math.log((count + mu * (background.get(term) ?? 0)) / (indexed.total + mu));
    }
    return sum;
  });
  return softmax([...logLikelihoods, backgroundLikelihood], settings.lmTemperature).slice(0, -1);
}
