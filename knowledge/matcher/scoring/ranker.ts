import Fuse from 'fuse.js';
import {
  generateCandidates,
  learnedPosteriors,
  ngramSimilarities,
  phraseSimilarity,
  queryGramVector,
  queryVector,
  type CandidateFeatures,
} from './features';
import { LocaleIndex, type IndexedEntry, type IndexedPhrasing } from '../index/localeIndex';
import type { MatcherOptions } from '../matcherDefaults';
import type { QueryAnalysis } from './queryAnalysis';
import { combine, confidenceFromFuseScore, idf, norm, saturate } from './score';
import { centroidSimilarity, softMatch, type QueryEmbedding } from '../semantic/semantic';

/** A candidate with its components and combined ranking score. */
export interface RankedCandidate extends CandidateFeatures {
  combined: number;
  /** The phrasings closest in words (leaders only): fuse.js compares against these. */
  closest: IndexedPhrasing[];
}

/**
 * Candidate generation over the inverted index, re-ranking of the pool by the lexical,
 * n-gram and learned components, then the word-level phrasing match and fuse.js for the
 * `leaders` best only. Cost depends on the query's postings and the pool sizes, not on the
 * KB size.
 *
 * `encoderScore`, when the caller has a sentence-encoder vector of the query (`matchAsync`),
 * gives each pool entry its `encoder` component *before* the leaders are chosen, so that the
 * late components (soft word match, fuse.js) go to the entries that lead with it. Added after
 * them, the heavily weighted encoder reordered leaders picked without it: an entry it lifted
 * into the top 3 had no fuse.js score, its rivals did.
 */
export function rankCandidates(
  query: QueryAnalysis,
  index: LocaleIndex,
  options: MatcherOptions,
  leaders: number,
  extra: readonly IndexedEntry[] = [],
  encoderScore?: (indexed: IndexedEntry) => number,
): RankedCandidate[] {
  const vector = queryVector(query, index);
  const { candidatePool, maxPostingsPerTerm } = options;
  // With the encoder, the next `encoderWidenedPool` entries by words join the pool too (its
  // weight can lift an entry the words ranked 31st into the top 3), but the posteriors keep
  // the normaliser of the core pool, so they, and the confidences, do not get diluted.
  const widen = encoderScore ? options.encoderWidenedPool : 0;
  const generated = generateCandidates(
    vector,
    index,
    options,
    candidatePool + widen,
    maxPostingsPerTerm,
  );
  const pool = new Map<IndexedEntry, number>();
  const widened = new Map<IndexedEntry, number>();
  for (const [indexed, score] of generated) {
    (pool.size < candidatePool ? pool : widened).set(indexed, score);
  }
  for (const indexed of extra) {
    if (!pool.has(indexed)) {
      pool.set(indexed, widened.get(indexed) ?? lexicalScore(vector, indexed, options));
    }
    widened.delete(indexed);
  }
  const normalised = pool.size;
  for (const [indexed, score] of widened) pool.set(indexed, score);
  if (pool.size === 0) return [];
  const entries = [...pool.keys()];
  const posteriors = learnedPosteriors(query, entries, index, options, normalised);
  const discriminative =
    options.weights.discriminative === 0
      ? []
      : index.discriminative().posteriors(query.terms, entries, index.size, normalised);
  const gramVector = queryGramVector(query.grams, index);
  const embedding = embedQuery(query, index);
  const ngrams = ngramSimilarities(gramVector, entries, index, options.knn);
  const ranked = entries.map((indexed, i): RankedCandidate => {
    const ngram = ngrams[i] ?? { score: 0, knn: 0 };
    const semantic =
      embedding && indexed.semantic && index.semantic
        ? centroidSimilarity(index.semantic, embedding, indexed.semantic)
        : 0;
    const candidate: RankedCandidate = {
      indexed,
      lexical: pool.get(indexed) ?? 0,
      phrase: 0,
      ngram: ngram.score,
      phraseKnn: 0,
      ngramKnn: ngram.knn,
      learned: posteriors[i] ?? 0,
      discriminative: discriminative[i] ?? 0,
      fuzzy: 0,
      semantic,
      semanticWords: 0,
      encoder: encoderScore ? encoderScore(indexed) : 0,
      bestPhrasing: undefined,
      combined: 0,
      closest: [],
    };
    candidate.combined = combineFeatures(candidate, options);
    return candidate;
  });
  ranked.sort((a, b) => b.combined - a.combined);
  if (embedding) {
    addSoftWordMatch(ranked.slice(0, options.semanticWordsPool), embedding, index, options);
    ranked.sort((a, b) => b.combined - a.combined);
  }
  const top = ranked.slice(0, Math.max(leaders, options.fuzzyPool));
  addPhraseMatch(top, vector, index, options);
  addFuzzy(top.slice(0, options.fuzzyPool), query, options);
  return ranked.sort((a, b) => b.combined - a.combined);
}

/**
 * The soft word match for the leading candidates only (its cost is per entry word), which are
 * then re-sorted by the caller: like fuse.js, a late component that reorders the leaders.
 */
function addSoftWordMatch(
  leaders: RankedCandidate[],
  embedding: QueryEmbedding,
  index: LocaleIndex,
  options: MatcherOptions,
): void {
  const space = index.semantic;
  if (!space || options.weights.semanticWords === 0) return;
  for (const candidate of leaders) {
    const words = candidate.indexed.semantic?.words;
    if (!words) continue;
    candidate.semanticWords = softMatch(space, embedding, words);
    candidate.combined = combineFeatures(candidate, options);
  }
}

/** Word-level match with single phrasings, for the leaders: explanations and fuse input. */
function addPhraseMatch(
  leaders: RankedCandidate[],
  vector: ReadonlyMap<string, number>,
  index: LocaleIndex,
  options: MatcherOptions,
): void {
  const vectorNorm = norm(vector);
  const idfCache = new Map<string, number>();
  const idfOf = (term: string): number => {
    let value = idfCache.get(term);
    if (value === undefined) idfCache.set(term, (value = idf(index.frequency(term), index.size)));
    return value;
  };
  for (const candidate of leaders) {
    const match = phraseSimilarity(
      vector,
      vectorNorm,
      candidate.indexed,
      idfOf,
      options.knn,
      options,
    );
    candidate.phrase = match.score;
    candidate.phraseKnn = match.knn;
    candidate.bestPhrasing = match.top[0];
    candidate.closest = match.top;
    candidate.combined = combineFeatures(candidate, options);
  }
}

export function combineFeatures(features: CandidateFeatures, options: MatcherOptions): number {
  const { lexical, phrase, ngram, phraseKnn, ngramKnn, learned, fuzzy } = features;
  const { semantic, semanticWords, discriminative, encoder } = features;
  return combine(
    {
      lexical,
      phrase,
      ngram,
      phraseKnn,
      ngramKnn,
      learned,
      fuzzy,
      semantic,
      semanticWords,
      discriminative,
      encoder,
    },
    options.weights,
  );
}

/**
 * The lexical component of one entry, as candidate generation computes it for the entries it
 * finds: for candidates brought in by other means (the sentence encoder's nearest entries).
 */
function lexicalScore(
  vector: ReadonlyMap<string, number>,
  indexed: IndexedEntry,
  options: MatcherOptions,
): number {
  let total = 0;
  let score = 0;
  for (const [term, weight] of vector) {
    total += weight;
    score += weight * saturate(LocaleIndex.share(indexed, term), options.shareSaturation);
  }
  return total > 0 ? Math.min(1, score / total) : 0;
}

/** The query's word-vector side, when the locale has vectors; words weigh their KB idf. */
function embedQuery(query: QueryAnalysis, index: LocaleIndex): QueryEmbedding | undefined {
  if (!index.semantic) return undefined;
  return index.semantic.embedQuery(query.tokens, (token) =>
    idf(index.frequency(token.stem), index.size),
  );
}

/**
 * fuse.js over the phrasings of the leading candidates only: its cost is per phrasing. One
 * Fuse instance per options object, whose collection is replaced for each query. (Documents
 * stay `{ text }` objects under a key: fuse scores an exact match of a plain string as 0 but
 * of a keyed field as ε^norm, so a string list would change the fuzzy scores.)
 */
function addFuzzy(leaders: RankedCandidate[], query: QueryAnalysis, options: MatcherOptions): void {
  if (options.weights.fuzzy === 0 || leaders.length === 0) return;
  // Bitap's cost grows with the pattern: past 32 characters fuse splits it into chunks.
  const pattern = query.tokens
    .map((t) => t.surface)
    .join(' ')
    .slice(0, options.maxFuzzyChars);
  if (pattern.length === 0) return;
  const owners: RankedCandidate[] = [];
  const texts: { text: string }[] = [];
  for (const candidate of leaders) {
    for (const phrasing of candidate.closest.slice(0, options.fuzzyPhrasings)) {
      owners.push(candidate);
      texts.push({ text: phrasing.tokens.map((t) => t.surface).join(' ') });
    }
  }
  const fuse = fuseFor(options);
  fuse.setCollection(texts);
  for (const hit of fuse.search(pattern)) {
    const candidate = owners[hit.refIndex] as RankedCandidate;
    const similarity = confidenceFromFuseScore(hit.score);
    if (similarity > candidate.fuzzy) {
      candidate.combined += options.weights.fuzzy * (similarity - candidate.fuzzy);
      candidate.fuzzy = similarity;
    }
  }
  fuse.setCollection([]); // keep no query's texts alive
}

const fuses = new WeakMap<MatcherOptions, Fuse<{ text: string }>>();

function fuseFor(options: MatcherOptions): Fuse<{ text: string }> {
  let fuse = fuses.get(options);
  if (!fuse) {
    // A threshold below 1 lets bitap stop early; weaker matches than it add nothing anyway.
    fuse = new Fuse<{ text: string }>([], {
      keys: ['text'],
      includeScore: true,
      ignoreLocation: true,
      threshold: options.fuzzyThreshold,
    });
    fuses.set(options, fuse);
  }
  return fuse;
}

export type { IndexedEntry };
