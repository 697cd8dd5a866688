import type { AnalyzedToken } from './normalize';
import { gramsOf, termsOf, type TermWeighting } from './termFeatures';
import { TypoCorrector } from './typoCorrector';
import type { FaqEntry } from './types';

/** One phrasing (question or alternate) of an entry, analysed once at indexing time. */
export interface IndexedPhrasing {
  text: string;
  tokens: AnalyzedToken[];
  terms: Map<string, number>;
  /** Interned character n-gram ids and their counts (typed arrays keep 25k entries small). */
  gramIds: Uint32Array;
  gramCounts: Uint16Array;
}

/** An enabled entry with its phrasings and per-entry term statistics. */
export interface IndexedEntry {
  key: string;
  entry: FaqEntry;
  phrasings: IndexedPhrasing[];
  /** term → share of this entry's phrasings that contain it (0..1). */
  share: Map<string, number>;
  /** term → summed weight over phrasings, and the total: the entry's language model. */
  counts: Map<string, number>;
  total: number;
  /** Distinct character n-gram ids over all phrasings (kept to undo the n-gram statistics). */
  grams: Uint32Array;
}

export interface IndexSettings extends TermWeighting {
  ngramSizes: readonly number[];
  typoMinLength: number;
}

/**
 * The live index for one locale: postings (term → entries), document frequencies of terms
 * and character n-grams at entry level, collection counts for the language model, and the
 * typo vocabulary. add/remove touch only the entry's own terms, so a live update costs
 * O(size of that entry), whatever the size of the KB.
 */
export class LocaleIndex {
  readonly entries = new Map<string, IndexedEntry>();
  readonly postings = new Map<string, Set<IndexedEntry>>();
  /** n-gram → id; ids are never reused, so the table only grows with new n-grams. */
  readonly gramIds = new Map<string, number>();
  /** Entries containing each n-gram id. */
  readonly gramFrequency: number[] = [];
  readonly collection = new Map<string, number>();
  collectionTotal = 0;
  readonly typos: TypoCorrector;

  constructor(private readonly settings: IndexSettings) {
    this.typos = new TypoCorrector(settings.typoMinLength);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Entries that contain `term` (0 when unknown). */
  frequency(term: string): number {
    return this.postings.get(term)?.size ?? 0;
  }

  add(key: string, entry: FaqEntry, analyzed: readonly AnalyzedToken[][]): void {
    this.remove(key);
    const phrasings = analyzed.map((tokens, i) => ({
      text: i === 0 ? entry.question : (entry.alternates[i - 1] ?? ''),
      tokens,
      terms: termsOf(tokens, this.settings),
      ...this.internGrams(gramsOf(tokens, this.settings.ngramSizes)),
    }));
    const grams = new Set<number>();
    for (const phrasing of phrasings) for (const id of phrasing.gramIds) grams.add(id);
    const indexed: IndexedEntry = {
      key,
      entry,
      phrasings,
      ...entryStatistics(phrasings),
      grams: Uint32Array.from(grams),
    };
    this.entries.set(key, indexed);
    this.count(indexed, 1);
  }

  remove(key: string): void {
    const indexed = this.entries.get(key);
    if (!indexed) return;
    this.entries.delete(key);
    this.count(indexed, -1);
  }

  /** Ids of known n-grams (unknown ones are skipped: they match nothing). */
  gramId(gram: string): number | undefined {
    return this.gramIds.get(gram);
  }

  private internGrams(grams: Map<string, number>): Pick<IndexedPhrasing, 'gramIds' | 'gramCounts'> {
    const gramIds = new Uint32Array(grams.size);
    const gramCounts = new Uint16Array(grams.size);
    let i = 0;
    for (const [gram, count] of grams) {
      let id = this.gramIds.get(gram);
      if (id === undefined) {
        id = this.gramIds.size;
        this.gramIds.set(gram, id);
        this.gramFrequency.push(0);
      }
      gramIds[i] = id;
      gramCounts[i] = Math.min(count, 65535);
      i += 1;
    }
    return { gramIds, gramCounts };
  }

  private count(indexed: IndexedEntry, sign: 1 | -1): void {
    for (const term of indexed.share.keys()) {
      let entries = this.postings.get(term);
      if (!entries) this.postings.set(term, (entries = new Set()));
      if (sign > 0) entries.add(indexed);
      else entries.delete(indexed);
      if (entries.size === 0) this.postings.delete(term);
      if (!term.includes(' ')) {
        if (sign > 0) this.typos.add(term);
        else this.typos.delete(term);
      }
    }
    for (const [term, weight] of indexed.counts) bump(this.collection, term, sign * weight);
    this.collectionTotal += sign * indexed.total;
    for (const id of indexed.grams) this.gramFrequency[id] = (this.gramFrequency[id] ?? 0) + sign;
  }
}

function entryStatistics(
  phrasings: readonly IndexedPhrasing[],
): Pick<IndexedEntry, 'share' | 'counts' | 'total'> {
  const share = new Map<string, number>();
  const counts = new Map<string, number>();
  let total = 0;
  const unit = 1 / Math.max(1, phrasings.length);
  for (const phrasing of phrasings) {
    for (const [term, weight] of phrasing.terms) {
      share.set(term, (share.get(term) ?? 0) + unit);
      counts.set(term, (counts.get(term) ?? 0) + weight);
      total += weight;
    }
  }
  return { share, counts, total };
}

function bump(map: Map<string, number>, key: string, delta: number): void {
  const next = (map.get(key) ?? 0) + delta;
  if (next <= 1e-9) map.delete(key);
  else map.set(key, next);
}
