import Fuse from 'fuse.js';
import {
  generateCandidates,
  learnedPosteriors,
  ngramSimilarity,
  phraseSimilarity,
  queryGramVector,
  queryVector,
  type CandidateFeatures,
} from './features';
import type { IndexedEntry, LocaleIndex } from './localeIndex';
import type { MatcherOptions } from './matcherDefaults';
import type { QueryAnalysis } from './queryAnalysis';
import { combine, confidenceFromFuseScore, norm } from './score';

/** A candidate with its components and combined ranking score. */
export interface RankedCandidate extends CandidateFeatures {
  combined: number;
}

/**
 * Candidate generation over the inverted index, then re-ranking of the pool with every
 * component. Cost depends on the query's postings and the pool size, not on the KB size.
 */
export function rankCandidates(
  query: QueryAnalysis,
  index: LocaleIndex,
  options: MatcherOptions,
): RankedCandidate[] {
  const vector = queryVector(query, index);
  const pool = generateCandidates(
    vector,
    index,
    options,
    options.candidatePool,
    options.maxPostingsPerTerm,
  );
  if (pool.size === 0) return [];
  const entries = [...pool.keys()];
  const posteriors = learnedPosteriors(query, entries, index, options);
  const vectorNorm = norm(vector);
  const gramVector = queryGramVector(query.grams, index);
  const idfCache = new Map<string, number>();
  const ranked = entries.map((indexed, i): RankedCandidate => {
    const phrase = phraseSimilarity(vector, vectorNorm, indexed, index, idfCache, options.knn);
    const ngram = ngramSimilarity(gramVector, indexed, index, options.knn);
    const features: CandidateFeatures = {
      indexed,
      lexical: pool.get(indexed) ?? 0,
      phrase: phrase.score,
      ngram: ngram.score,
      phraseKnn: phrase.knn,
      ngramKnn: ngram.knn,
      learned: posteriors[i] ?? 0,
      fuzzy: 0,
      bestPhrasing: phrase.best,
    };
    return { ...features, combined: combineFeatures(features, options) };
  });
  ranked.sort((a, b) => b.combined - a.combined);
  addFuzzy(ranked.slice(0, options.fuzzyPool), query, options);
  return ranked.sort((a, b) => b.combined - a.combined);
}

function combineFeatures(features: CandidateFeatures, options: MatcherOptions): number {
  const { lexical, phrase, ngram, phraseKnn, ngramKnn, learned, fuzzy } = features;
  return combine({ lexical, phrase, ngram, phraseKnn, ngramKnn, learned, fuzzy }, { ...options.weights });
}

/** fuse.js over the phrasings of the leading candidates only: its cost is per phrasing. */
function addFuzzy(leaders: RankedCandidate[], query: QueryAnalysis, options: MatcherOptions): void {
  if (options.weights.fuzzy === 0 || leaders.length === 0) return;
  // Bitap's cost grows with the pattern: past 32 characters fuse splits it into chunks.
  const pattern = query.tokens
    .map((t) => t.surface)
    .join(' ')
    .slice(0, options.maxFuzzyChars);
  if (pattern.length === 0) return;
  const phrasings = leaders.flatMap((candidate) =>
    candidate.indexed.phrasings.map((p) => ({
      candidate,
      text: p.tokens.map((t) => t.surface).join(' '),
    })),
  );
  // A threshold below 1 lets bitap stop early; weaker matches than it add nothing anyway.
  const fuse = new Fuse(phrasings, {
    keys: ['text'],
    includeScore: true,
    ignoreLocation: true,
    threshold: options.fuzzyThreshold,
  });
  for (const hit of fuse.search(pattern)) {
    const candidate = hit.item.candidate;
    const similarity = confidenceFromFuseScore(hit.score);
    if (similarity > candidate.fuzzy) {
      candidate.combined += options.weights.fuzzy * (similarity - candidate.fuzzy);
      candidate.fuzzy = similarity;
    }
  }
}

export type { IndexedEntry };
