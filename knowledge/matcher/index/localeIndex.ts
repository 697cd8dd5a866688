import { runInSlices, type BackgroundTask } from './backgroundTask';
import { DiscriminativeModel, type DiscriminativeSettings } from '../models/discriminativeModel';
import { fnv1a } from './hash';
import { IdArena } from './idArena';
import type { AnalyzedToken } from '../text/normalize';
import { idf } from '../scoring/score';
import type { SemanticSpace } from '../semantic/semantic';
import type { IndexedEntry, IndexedPhrasing, Postings } from './indexedEntry';
import { termsOf, type TermWeighting } from './termFeatures';
import { TypoCorrector } from '../text/typoCorrector';
import type { FaqEntry } from '../../types';

export type { IndexedEntry, IndexedPhrasing, Postings } from './indexedEntry';

export interface IndexSettings extends TermWeighting, DiscriminativeSettings {
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
  /**
   * Word (unigram) postings as parallel arrays, not Sets: most words have few entries and a
   * Set costs several times the memory. Removal is a swap-pop after indexOf, O(df), a few µs.
   */
  readonly postings = new Map<string, Postings>();
  /**
   * Bigrams have no postings (most are unique; postings for them cost more memory than all
   * the rest): only their entry frequency, and they score in re-ranking, not in generation.
   */
  private readonly bigrams = new BigramCounts();
  /** n-gram → id; ids are never reused, so the table only grows with new n-grams. */
  readonly gramIds = new Map<string, number>();
  /** Entries containing each n-gram id. */
  readonly gramFrequency: number[] = [];
  /** Word → occurrences (phrasings containing it) over all entries: the background model. */
  private readonly words = new Map<string, number>();
  /** Sum of all word and bigram occurrences. */
  collectionTotal = 0;
  /** Distinct words plus an estimate for bigrams; the smoothing denominator. */
  vocabularySize = 0;
  /** n-gram ids of each distinct word surface: words repeat, lookups per n-gram do not. */
  private readonly surfaceGrams = new Map<string, Uint32Array>();
  /** Storage of the phrasings' n-gram ids (compacted as entries are replaced). */
  private readonly phrasingIds = new IdArena();
  /** Storage of `surfaceGrams` (never freed: the cache only grows, like the n-gram table). */
  private readonly surfaceIds = new IdArena();
  readonly typos: TypoCorrector;
  /** Bumped on every change; invalidates cached phrasing norms. */
  private epoch = 0;
  /** The discriminative component; fitted on first use, then updated entry by entry. */
  private model: DiscriminativeModel;
  /** Whether a fit was started (then add/remove update the model entry by entry). */
  private modelStarted = false;
  /** Settles when the model is fitted (or will not be); the background fit, if any. */
  private modelReady: Promise<void> = Promise.resolve();
  private fitTask: BackgroundTask | undefined;
  /** Bumped by every add/remove: a background refit that sees it move starts over. */
  private mutations = 0;
  private phrasings = 0;
  /** The background refit under way (see `refitDiscriminative`), if any. */
  private refitTask: BackgroundTask | undefined;
  private refitDone: Promise<void> | undefined;
  /** Per n-gram id, the last `stamp` that counted it (see `count`). */
  private gramStamps = new Int32Array(0);
  private stamp = 0;

  /**
   * @param semantic the locale's word-vector space, if it has one: entries are then embedded
   *   at add time (the embedding depends on the entry and the vectors only, never goes stale)
   */
  constructor(
    private readonly settings: IndexSettings,
    readonly semantic?: SemanticSpace,
  ) {
    this.typos = new TypoCorrector(settings.typoMinLength);
    this.model = new DiscriminativeModel(settings);
  }

  /**
   * The discriminative model, its fit started on the first call (see `fitDiscriminative`);
   * later add/remove update only the entry concerned. It scores once `isActive`.
   */
  discriminative(): DiscriminativeModel {
    if (!this.modelStarted) void this.fitDiscriminative();
    return this.model;
  }

  /**
   * (Re)fits the discriminative model over every entry: at once when the locale has at most
   * `discriminativeMaxPhrasings` phrasings, else in the background in slices of
   * `discriminativeSliceMs` (the model does not score until it is complete) or, without
   * `discriminativeBackground`, not at all. Settles when the model is ready or switched off.
   */
  fitDiscriminative(): Promise<void> {
    this.modelStarted = true;
    this.fitTask?.cancel();
    this.fitTask = undefined;
    this.refitTask?.cancel();
    if (this.fitsAtOnce()) this.model.fit(this);
    else if (!this.settings.discriminativeBackground) this.model.switchOff();
    else this.fitTask = runInSlices(this.model.fitting(this), this.settings.discriminativeSliceMs);
    this.modelReady = this.fitTask?.done ?? Promise.resolve();
    return this.modelReady;
  }

  /**
   * Fits a new discriminative model from scratch in the background (slices of
   * `discriminativeSliceMs`) while the current one keeps scoring, then swaps it in. A live
   * update trains its own entry against its current neighbours but leaves the other entries'
   * weights as they were learned, so after many edits the model drifts from a full fit; this
   * brings it back to exactly what a fresh load of the same entries fits. If the index
   * changes meanwhile the fit starts over. Only for a fitted model of a locale fitted at once
   * (a larger locale is fitted in the background or not at all anyway).
   */
  refitDiscriminative(): Promise<void> {
    if (this.refitDone) return this.refitDone;
    if (!this.modelStarted || !this.model.isActive || !this.fitsAtOnce()) return Promise.resolve();
    const refit = async (): Promise<void> => {
      for (;;) {
        const mutations = this.mutations;
        const fresh = new DiscriminativeModel(this.settings);
        const task = runInSlices(fresh.fitting(this), this.settings.discriminativeSliceMs);
        this.refitTask = task;
        await task.done;
        if (!task.finished) return; // cancelled: a full fit or dispose() came first
        if (this.mutations === mutations) {
          this.model = fresh;
          return;
        }
      }
    };
    this.refitDone = refit().finally(() => {
      this.refitDone = undefined;
      this.refitTask = undefined;
    });
    return this.refitDone;
  }

  private fitsAtOnce(): boolean {
    let phrasings = 0;
    for (const indexed of this.entries.values()) phrasings += indexed.phrasings.length;
    return phrasings <= this.settings.discriminativeMaxPhrasings;
  }

  /** Settles when the discriminative model is fitted (or will not be) and no refit runs. */
  async discriminativeReady(): Promise<void> {
    await this.modelReady;
    await this.refitDone;
  }

  /** Stops a background fit (the index is being replaced); the model stops scoring. */
  dispose(): void {
    this.fitTask?.cancel();
    this.refitTask?.cancel();
    this.model.switchOff();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Phrasings of all entries (kept up to date by add/remove). */
  get phrasingCount(): number {
    return this.phrasings;
  }

  /** Entries that contain `term` (0 when unknown). */
  frequency(term: string): number {
    if (isBigram(term)) return this.bigrams.frequency(term);
    return this.postings.get(term)?.entries.length ?? 0;
  }

  /** Occurrences of `term` over all entries (0 when unknown). */
  occurrences(term: string): number {
    return isBigram(term) ? this.bigrams.occurrences(term) : (this.words.get(term) ?? 0);
  }

  add(key: string, entry: FaqEntry, analyzed: readonly AnalyzedToken[][]): void {
    this.remove(key);
    const terms = new Map<string, number>();
    let total = 0;
    const phrasings = analyzed.map((tokens, i): IndexedPhrasing => {
      for (const term of termsOf(tokens, this.settings).keys()) {
        terms.set(term, (terms.get(term) ?? 0) + 1);
        total += 1;
      }
      const text = i === 0 ? entry.question : (entry.alternates[i - 1] ?? '');
      return { text, tokens, gramIds: this.internGrams(tokens), norm: 0, normEpoch: -1 };
    });
    const semantic = this.semantic?.embedEntry(analyzed);
    const indexed: IndexedEntry = { key, entry, phrasings, terms, total, scratch: 0, semantic };
    this.entries.set(key, indexed);
    this.mutations += 1;
    this.phrasings += phrasings.length;
    this.count(indexed, 1);
    if (this.modelStarted) this.model.learn(indexed, this);
  }

  remove(key: string): void {
    const indexed = this.entries.get(key);
    if (!indexed) return;
    this.entries.delete(key);
    this.mutations += 1;
    this.phrasings -= indexed.phrasings.length;
    this.count(indexed, -1);
    this.model.forget(indexed);
    for (const phrasing of indexed.phrasings) this.phrasingIds.release(phrasing.gramIds.length);
    if (this.phrasingIds.needsCompaction) this.compactGramIds();
  }

  /** Copies every phrasing's n-gram ids into fresh arena chunks, freeing the old ones. */
  private compactGramIds(): void {
    this.phrasingIds.reset();
    for (const indexed of this.entries.values()) {
      for (const phrasing of indexed.phrasings) {
        phrasing.gramIds = this.phrasingIds.copy(phrasing.gramIds);
      }
    }
  }

  /** Share (0..1) of the entry's phrasings that contain `term`. */
  static share(indexed: IndexedEntry, term: string): number {
    return (indexed.terms.get(term) ?? 0) / Math.max(1, indexed.phrasings.length);
  }

  /**
   * The phrasing's idf-weighted n-gram norm. n-gram idf changes with every add/remove, so the
   * cached value is recomputed after any change to the index (an epoch counter).
   */
  gramNorm(phrasing: IndexedPhrasing): number {
    if (phrasing.normEpoch === this.epoch) return phrasing.norm;
    const ids = phrasing.gramIds;
    let sumSquares = 0;
    for (let i = 0; i < ids.length;) {
      const id = ids[i] as number;
      let count = 0;
      while (ids[i] === id) [count, i] = [count + 1, i + 1];
      const weight = count * idf(this.gramFrequency[id] ?? 0, this.size);
      sumSquares += weight * weight;
    }
    phrasing.norm = Math.sqrt(sumSquares);
    phrasing.normEpoch = this.epoch;
    return phrasing.norm;
  }

  /** Ids of known n-grams (unknown ones are skipped: they match nothing). */
  gramId(gram: string): number | undefined {
    return this.gramIds.get(gram);
  }

  private internGrams(tokens: readonly AnalyzedToken[]): Uint32Array {
    const perToken = tokens.map((token) => this.gramsOfSurface(token));
    const ids = this.phrasingIds.allocate(perToken.reduce((n, g) => n + g.length, 0));
    let at = 0;
    for (const grams of perToken) {
      ids.set(grams, at);
      at += grams.length;
    }
    return ids.sort();
  }

  private gramsOfSurface(token: AnalyzedToken): Uint32Array {
    let ids = this.surfaceGrams.get(token.surface);
    if (ids) return ids;
    ids = this.surfaceIds.allocate(token.grams.length);
    for (let i = 0; i < token.grams.length; i += 1) {
      const gram = token.grams[i] as string;
      let id = this.gramIds.get(gram);
      if (id === undefined) {
        id = this.gramIds.size;
        this.gramIds.set(gram, id);
        this.gramFrequency.push(0);
      }
      ids[i] = id;
    }
    this.surfaceGrams.set(token.surface, ids);
    return ids;
  }

  private post(term: string, indexed: IndexedEntry): void {
    const share = LocaleIndex.share(indexed, term);
    const postings = this.postings.get(term);
    if (!postings) {
      this.postings.set(term, { entries: [indexed], shares: [share] });
      return;
    }
    postings.entries.push(indexed);
    postings.shares.push(share);
  }

  private unpost(term: string, indexed: IndexedEntry): void {
    const postings = this.postings.get(term);
    const at = postings?.entries.indexOf(indexed) ?? -1;
    if (!postings || at < 0) return;
    const last = postings.entries.length - 1;
    postings.entries[at] = postings.entries[last] as IndexedEntry;
    postings.shares[at] = postings.shares[last] as number;
    postings.entries.pop();
    postings.shares.pop();
    if (last === 0) this.postings.delete(term);
  }

  private count(indexed: IndexedEntry, sign: 1 | -1): void {
    this.epoch += 1;
    for (const [term, count] of indexed.terms) {
      if (isBigram(term)) {
        this.bigrams.add(term, sign, sign * count);
        continue;
      }
      const before = this.words.get(term) ?? 0;
      if (before + sign * count <= 0) this.words.delete(term);
      else this.words.set(term, before + sign * count);
      if (sign > 0) {
        this.post(term, indexed);
        this.typos.add(term);
      } else {
        this.unpost(term, indexed);
        this.typos.delete(term);
      }
    }
    this.collectionTotal += sign * indexed.total;
    this.vocabularySize = this.words.size + this.bigrams.distinctEstimate;
    // Entry frequency: each distinct n-gram of the entry once. A stamp per n-gram id marks
    // the ones already counted for this entry (a Set per entry was most of the build time).
    if (this.gramStamps.length < this.gramFrequency.length) {
      const grown = new Int32Array(Math.max(1024, 2 * this.gramFrequency.length));
      grown.set(this.gramStamps);
      this.gramStamps = grown;
    }
    if (this.stamp === 0x7fffffff) [this.stamp, this.gramStamps] = [0, this.gramStamps.fill(0)];
    const stamp = (this.stamp += 1);
    for (const phrasing of indexed.phrasings) {
      const ids = phrasing.gramIds;
      for (let i = 0; i < ids.length; i += 1) {
        const id = ids[i] as number;
        if (this.gramStamps[id] === stamp) continue;
        this.gramStamps[id] = stamp;
        this.gramFrequency[id] = (this.gramFrequency[id] ?? 0) + sign;
      }
    }
  }
}

/**
 * Entry frequency and occurrences of bigrams in fixed-size hashed tables (8 MB). Most bigrams
 * occur once, and a Map of them was the largest and slowest part of the index; a collision
 * only makes two rare bigrams look a little more common (lower idf), never rarer.
 */
class BigramCounts {
  private static readonly BITS = 20;
  private readonly entries = new Int32Array(1 << BigramCounts.BITS);
  private readonly counts = new Int32Array(1 << BigramCounts.BITS);
  /** Non-empty slots: a lower bound of the distinct bigrams. */
  distinctEstimate = 0;

  add(term: string, entryDelta: number, countDelta: number): void {
    const slot = fnv1a(term) >>> (32 - BigramCounts.BITS);
    const before = this.entries[slot] ?? 0;
    this.entries[slot] = before + entryDelta;
    this.counts[slot] = (this.counts[slot] ?? 0) + countDelta;
    if (before === 0 && entryDelta > 0) this.distinctEstimate += 1;
    if (before > 0 && before + entryDelta === 0) this.distinctEstimate -= 1;
  }

  frequency(term: string): number {
    return this.entries[fnv1a(term) >>> (32 - BigramCounts.BITS)] ?? 0;
  }

  occurrences(term: string): number {
    return this.counts[fnv1a(term) >>> (32 - BigramCounts.BITS)] ?? 0;
  }
}

/** Bigram terms are two stems joined by a space (see termsOf). */
export const isBigram = (term: string): boolean => term.includes(' ');
