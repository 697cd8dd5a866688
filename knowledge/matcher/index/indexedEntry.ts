import type { FaqEntry } from '../../types';
import type { EntryEmbedding } from '../semantic/semantic';
import type { AnalyzedToken } from '../text/normalize';

/** One phrasing (question or alternate) of an entry, analysed once at indexing time. */
export interface IndexedPhrasing {
  text: string;
  tokens: AnalyzedToken[];
  /**
   * Interned character n-gram ids, sorted, one per occurrence: a view into the index's
   * `IdArena` (replaced by a copy when the arena compacts).
   */
  gramIds: Uint32Array;
  /** idf-weighted n-gram norm, valid while `normEpoch` equals the index's epoch. */
  norm: number;
  normEpoch: number;
}

/** The entries containing a word, with the word's share of each entry's phrasings. */
export interface Postings {
  entries: IndexedEntry[];
  shares: number[];
}

/** An enabled entry with its phrasings and per-entry term statistics. */
export interface IndexedEntry {
  key: string;
  entry: FaqEntry;
  phrasings: IndexedPhrasing[];
  /** term → number of this entry's phrasings that contain it: shares and the language model. */
  terms: Map<string, number>;
  /** Sum of `terms` values: the length of the entry's language model. */
  total: number;
  /** Accumulator for candidate generation; always 0 between queries. */
  scratch: number;
  /** Sentence and word vectors, when the locale has word vectors. */
  semantic: EntryEmbedding | undefined;
}
