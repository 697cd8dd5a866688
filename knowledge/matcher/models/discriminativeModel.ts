import { fnv1a } from '../index/hash';
import { TypedArena } from '../index/idArena';
import type { IndexedEntry } from '../index/indexedEntry';
import { termsOf, type TermWeighting } from '../index/termFeatures';
import { seededRandom } from './seededRandom';

/** Settings of the discriminative component (see DESIGN.md, "discriminative"). */
export interface DiscriminativeSettings extends TermWeighting {
  /** Passes over the phrasings when the model is fitted (1..50, default 3); cost is linear. */
  discriminativeEpochs: number;
  /** SGD step size (> 0, default 4), decayed as step / (1 + 0.2 · epoch). */
  discriminativeRate: number;
  /** L2 penalty per step (≥ 0, default 1e-4): keeps rare words from dominating. */
  discriminativeL2: number;
  /** Softmax temperature over the candidate pool (> 0, default 1); higher = flatter. */
  discriminativeTemperature: number;
  /** Rival entries per training step, at most (default 50): bounds the cost of a step. */
  discriminativeRivals: number;
  /**
   * Locales with more phrasings than this are not fitted during the build (default 10,000):
   * they are fitted in the background (`discriminativeBackground`) or not at all, and the
   * component is 0 there until then.
   */
  discriminativeMaxPhrasings: number;
  /**
   * Whether larger locales are fitted in the background, in slices of at most
   * `discriminativeSliceMs` between other work (default false = component 0 there, with the
   * `…WithoutDiscriminative` calibrations: at 25k entries the fit costs ~35 s of CPU after
   * every (re)load and ~17 MB of RSS, for +0.2 point of top-1 on dev beside word vectors).
   */
  discriminativeBackground: boolean;
  /** Longest slice of background fitting (ms, 1..100, default 4): a query waits at most this. */
  discriminativeSliceMs: number;
  /** Words in more entries than this find no rivals (cost; default 500). */
  maxPostingsPerTerm: number;
}

/** A sparse example: (term, value) pairs, L2-normalised. */
export type FeatureVector = readonly (readonly [string, number])[];

/** The weighted terms of a phrasing or query as a unit-length sparse vector (pure). */
export function featureVector(terms: ReadonlyMap<string, number>): FeatureVector {
  let sumSquares = 0;
  for (const weight of terms.values()) sumSquares += weight * weight;
  if (sumSquares === 0) return [];
  const scale = 1 / Math.sqrt(sumSquares);
  return [...terms].map(([term, weight]) => [term, weight * scale] as const);
}

/** Σ weight · value over the features the weights know (a linear class score). */
export function linearScore(weights: ReadonlyMap<string, number>, x: FeatureVector): number {
  let sum = 0;
  for (const [term, value] of x) sum += (weights.get(term) ?? 0) * value;
  return sum;
}

/**
 * Softmax probabilities of the scored classes when `unscored` further classes have score 0
 * (they share no feature with the example). Pure; never NaN.
 */
/**
 * Posteriors are normalised as if the locale had at least this many entries (the missing ones
 * scoring 0, like entries the query shares nothing with). With 2 entries a softmax gives the
 * better one at least 0.5 whatever the query, which read as strong evidence and answered
 * unrelated questions ("where is my parcel" → parking, 0.83) in tiny KBs. Locales of 10
 * entries or more are unchanged (every dev set but sib200, 7 topics: top-1 the same or +1
 * query per locale, wrong answers 2.0 % → 0.8 %, answered right 13.3 % → 11.3 %; 20 cost
 * sib200 more: answered right 9.3 %, hu top-1 −2 queries).
 */
export const MIN_POSTERIOR_POPULATION = 10;

export function sparseSoftmax(scores: readonly number[], unscored: number): number[] {
  const max = Math.max(0, ...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const total = exps.reduce((sum, e) => sum + e, 0) + Math.max(0, unscored) * Math.exp(-max);
  return exps.map((e) => e / total);
}

/** What the model needs from the index: the entries sharing a word, and the entry count. */
export interface PostingsSource {
  readonly size: number;
  postings: ReadonlyMap<string, { entries: readonly IndexedEntry[] }>;
  entries: ReadonlyMap<string, IndexedEntry>;
}

interface Example {
  entry: IndexedEntry;
  x: SparseIds;
  /** Stems of the content words (not stop words): they find the rival entries. */
  content: string[];
}

/** A feature vector over interned term ids. */
interface SparseIds {
  ids: Int32Array;
  values: Float64Array;
}

/** One entry's weights on the terms of its own phrasings (its support), ids sorted. */
interface ClassWeights {
  ids: Int32Array;
  values: Float64Array;
}

/**
 * A multinomial logistic regression over all entries of a locale, learned from the entries'
 * own phrasings (each phrasing one example of its entry), L2-regularised, trained by SGD.
 * Unlike the generative components it learns which words tell an entry apart from the
 * entries that share its words ("delivered" for card_arrival vs card_delivery_estimate).
 *
 * Sparse by construction: an entry has weights only on its own terms (stems and stem
 * bigrams) and no bias, so an entry that shares no term with a text scores exactly 0. The
 * softmax of one training example therefore only visits its rivals, the entries in the
 * postings of its content words (stop words and words in more than `maxPostingsPerTerm`
 * entries do not find rivals; the other entries count in the normaliser with score 0).
 *
 * Live updates: `learn(entry)` runs the epochs over that entry's phrasings only (its own
 * weights start at 0, its rivals get the usual negative gradient); `forget(entry)` drops its
 * weights. Neither retrains the rest: other entries keep the weights they had (learned
 * against the old neighbours), the price of an update that costs O(phrasings × rivals).
 * `fit()` (every phrasing, all epochs) runs once when a KB is loaded.
 */
export class DiscriminativeModel {
  private readonly weights = new Map<IndexedEntry, ClassWeights>();
  /**
   * Storage of the weights: views into shared chunks (two typed arrays of their own per
   * entry cost ~0.9 KB besides their data, 23 MB at 25,000 entries).
   */
  private readonly idStore = new TypedArena<Int32Array>((length) => new Int32Array(length));
  private readonly valueStore = new TypedArena<Float64Array>((length) => new Float64Array(length));
  /**
   * Word → id; ids are never reused, so the table only grows with new words. Bigrams are
   * not interned but hashed (`termId`): at 25,000 entries they were 440,000 Map entries.
   */
  private readonly termIds = new Map<string, number>();
  /**
   * `ready`: fitted, scores. `fitting`: a fit is under way (weights are partial, so the
   * model does not score yet, but live updates are learned). `off`: not fitted (too large).
   */
  private state: 'ready' | 'fitting' | 'off' = 'ready';
  /** Scratch of `step`: slot of each example term in each rival's weights (-1: none). */
  private slots = new Int32Array(0);
  /** Bumped by every fit: a stale background fit sees it and stops. */
  private generation = 0;

  constructor(private readonly settings: DiscriminativeSettings) {}

  /** Whether the model scores (false while fitting or when the locale was not fitted). */
  get isActive(): boolean {
    return this.state === 'ready';
  }

  /** Entries with weights. */
  get size(): number {
    return this.weights.size;
  }

  /** Fits every entry of `index` from scratch, now. */
  fit(index: PostingsSource): void {
    const fitting = this.fitting(index);
    while (!fitting.next().done);
  }

  /** Drops the weights and stops scoring (and any fit under way): the component is 0. */
  switchOff(): void {
    this.generation += 1;
    this.clearWeights();
    this.state = 'off';
  }

  /**
   * The fit as a sequence of small steps (one entry prepared or one SGD step each), so that
   * a scheduler can run it in time slices; `fit` runs it at once. The model does not score
   * until the last step (partial weights are not calibrated), but live updates made
   * meanwhile are learned at once; entries removed meanwhile are skipped. Starting another
   * fit (or `switchOff`) ends this one at its next step. Same index, same model, whether run
   * at once or in slices.
   */
  fitting(index: PostingsSource): Generator<void, void, void> {
    const generation = (this.generation += 1);
    this.clearWeights();
    this.state = 'fitting';
    return this.fitSteps(index, generation);
  }

  private *fitSteps(index: PostingsSource, generation: number): Generator<void, void, void> {
    // Examples are (entry, phrasing) pairs, their features computed at each step: holding
    // every phrasing's features for the whole fit cost ~75 MB at 125,000 phrasings.
    const owners: IndexedEntry[] = [];
    const phrasings: number[] = [];
    for (const entry of byKey(index.entries)) {
      if (index.entries.get(entry.key) !== entry || this.weights.has(entry)) continue;
      this.weights.set(entry, this.initialWeights(entry));
      for (let p = 0; p < entry.phrasings.length; p += 1) {
        owners.push(entry);
        phrasings.push(p);
      }
      yield;
      if (generation !== this.generation) return;
    }
    const order = Int32Array.from(owners.keys());
    const next = seededRandom(SEED);
    for (const rate of this.epochRates()) {
      shuffle(order, next);
      for (const at of order) {
        const entry = owners[at] as IndexedEntry;
        if (!this.weights.has(entry)) continue; // removed meanwhile
        this.step(this.exampleOf(entry, phrasings[at] as number), index, rate);
        yield;
        if (generation !== this.generation) return;
      }
    }
    this.state = 'ready';
  }

  /** Adds or re-trains one entry (after it was added to the index). */
  learn(entry: IndexedEntry, index: PostingsSource): void {
    if (this.state === 'off') return;
    this.forget(entry);
    this.weights.set(entry, this.initialWeights(entry));
    this.train(this.examplesOf(entry), index);
  }

  /** Drops an entry's weights (after it was removed from the index). */
  forget(entry: IndexedEntry): void {
    const weights = this.weights.get(entry);
    if (!weights) return;
    this.weights.delete(entry);
    this.idStore.release(weights.ids.length);
    this.valueStore.release(weights.values.length);
    if (this.idStore.needsCompaction) this.compact();
  }

  private clearWeights(): void {
    this.weights.clear();
    this.idStore.reset();
    this.valueStore.reset();
  }

  /** Copies every entry's weights into fresh chunks, freeing the old ones. */
  private compact(): void {
    this.idStore.reset();
    this.valueStore.reset();
    for (const weights of this.weights.values()) {
      weights.ids = this.idStore.copy(weights.ids);
      weights.values = this.valueStore.copy(weights.values);
    }
  }

  /** The entry's learned weight for a term (0 when it has none): for tests and explanations. */
  weightOf(entry: IndexedEntry, term: string): number {
    const weights = this.weights.get(entry);
    const slot = weights ? slotOf(weights.ids, this.termId(term, false) ?? -1) : -1;
    return slot < 0 ? 0 : (weights?.values[slot] ?? 0);
  }

  /**
   * The model's posterior P(entry | query) for each candidate, at `discriminativeTemperature`.
   * The other `population − candidates` entries of the locale count in the normaliser with
   * score 0, as in training: a query that no candidate explains well (only stop words
   * shared, say) gets low posteriors even when the pool holds a single candidate.
   */
  posteriors(
    terms: ReadonlyMap<string, number>,
    candidates: readonly IndexedEntry[],
    population: number,
    normalised = candidates.length,
  ): number[] {
    if (this.state !== 'ready') return candidates.map(() => 0);
    const x = this.sparse(featureVector(terms), false);
    const temperature = this.settings.discriminativeTemperature;
    const scores = candidates.map((entry) => {
      const weights = this.weights.get(entry);
      return weights ? classScore(weights, x) / temperature : 0;
    });
    const reference = Math.max(population, MIN_POSTERIOR_POPULATION);
    if (normalised >= candidates.length)
      return sparseSoftmax(scores, reference - candidates.length);
    // Only the first `normalised` candidates are scored in the normaliser (the rest of the
    // locale at 0); each later one is scored as if it alone joined them.
    const core = scores.slice(0, normalised);
    const max = Math.max(0, ...core);
    const zero = Math.exp(-max);
    let total = Math.max(0, reference - normalised) * zero;
    for (const s of core) total += Math.exp(s - max);
    return scores.map((s, i) => {
      const e = Math.exp(s - max);
      return i < normalised ? e / total : e / (total - zero + e);
    });
  }

  /**
   * A term's feature id: words are interned (unknown ones get a new id when `intern`, else
   * undefined); bigrams (two stems and a space) hash into 2^24 ids above every word id, so
   * two bigrams may share a weight (the hashing trick; rare, as most bigrams are unique).
   */
  private termId(term: string, intern: boolean): number | undefined {
    if (term.includes(' ')) return BIGRAM_IDS + (fnv1a(term) >>> 8);
    let id = this.termIds.get(term);
    if (id === undefined && intern) this.termIds.set(term, (id = this.termIds.size));
    return id;
  }

  /** Interns the terms (or skips unknown ones when `intern` is false). */
  private sparse(x: FeatureVector, intern: boolean): SparseIds {
    const ids: number[] = [];
    const values: number[] = [];
    for (const [term, value] of x) {
      const id = this.termId(term, intern);
      if (id === undefined) continue;
      ids.push(id);
      values.push(value);
    }
    return { ids: Int32Array.from(ids), values: Float64Array.from(values) };
  }

  private initialWeights(entry: IndexedEntry): ClassWeights {
    const ids = this.idStore.allocate(entry.terms.size);
    let at = 0;
    for (const term of entry.terms.keys()) {
      ids[at] = this.termId(term, true) as number;
      at += 1;
    }
    return { ids: ids.sort(), values: this.valueStore.allocate(ids.length) };
  }

  private examplesOf(entry: IndexedEntry): Example[] {
    return entry.phrasings.map((_, p) => this.exampleOf(entry, p));
  }

  /** The entry's phrasing `p` as a training example. */
  private exampleOf(entry: IndexedEntry, p: number): Example {
    const tokens = entry.phrasings[p]?.tokens ?? [];
    return {
      entry,
      x: this.sparse(featureVector(termsOf(tokens, this.settings)), true),
      content: [...new Set(tokens.filter((t) => !t.isStop).map((t) => t.stem))],
    };
  }

  /** The step size of each epoch: `discriminativeRate` decayed as rate / (1 + 0.2 · epoch). */
  private epochRates(): number[] {
    const { discriminativeEpochs, discriminativeRate } = this.settings;
    return Array.from(
      { length: discriminativeEpochs },
      (_, e) => discriminativeRate / (1 + 0.2 * e),
    );
  }

  private train(examples: Example[], index: PostingsSource): void {
    const order = seededRandom(SEED);
    for (const rate of this.epochRates()) {
      shuffle(examples, order);
      for (const example of examples) this.step(example, index, rate);
    }
  }

  /**
   * One SGD step of the softmax loss on one example, over its rival entries. The slots of
   * the example's terms in each rival's weights are found once (binary search) while
   * scoring and reused by the update.
   */
  private step(example: Example, index: PostingsSource, rate: number): void {
    const l2 = this.settings.discriminativeL2;
    const rivals = this.rivals(example, index);
    const classes = rivals.map((entry) => this.weights.get(entry) as ClassWeights);
    const { ids, values } = example.x;
    const width = ids.length;
    if (this.slots.length < classes.length * width) {
      this.slots = new Int32Array(2 * classes.length * width);
    }
    const slots = this.slots;
    const scores = classes.map((weights, c) => {
      let sum = 0;
      for (let k = 0; k < width; k += 1) {
        const slot = slotOf(weights.ids, ids[k] as number);
        slots[c * width + k] = slot;
        if (slot >= 0) sum += (weights.values[slot] as number) * (values[k] as number);
      }
      return sum;
    });
    const probabilities = sparseSoftmax(scores, index.size - classes.length);
    for (let c = 0; c < classes.length; c += 1) {
      const weights = classes[c] as ClassWeights;
      const gradient = (probabilities[c] ?? 0) - (rivals[c] === example.entry ? 1 : 0);
      for (let k = 0; k < width; k += 1) {
        const slot = slots[c * width + k] as number;
        if (slot < 0) continue;
        const w = weights.values[slot] as number;
        weights.values[slot] = w - rate * (gradient * (values[k] as number) + l2 * w);
      }
    }
  }

  /**
   * The example's own entry and at most `discriminativeRivals` trained entries sharing a
   * content word with it, rarest words first (they name the closest neighbours); the cap
   * bounds the cost of a step whatever the size of the KB.
   */
  private rivals(example: Example, index: PostingsSource): IndexedEntry[] {
    const found = new Set<IndexedEntry>([example.entry]);
    const limit = this.settings.discriminativeRivals + 1;
    const lists = example.content
      .map((term) => index.postings.get(term)?.entries ?? [])
      .filter((entries) => entries.length <= this.settings.maxPostingsPerTerm)
      .sort((a, b) => a.length - b.length);
    for (const entries of lists) {
      for (const entry of entries) {
        if (found.size >= limit) return [...found];
        if (this.weights.has(entry)) found.add(entry);
      }
    }
    return [...found];
  }
}

/** Fisher-Yates shuffle in place with `next` as the random source. */
function shuffle<T>(items: { [i: number]: T; length: number }, next: () => number): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

/** First bigram feature id (word ids stay below it). */
const BIGRAM_IDS = 1 << 30;

/** Seed of the training order. */
const SEED = 20261123;

/** Σ weight · value over the example's terms that the entry has. */
function classScore(weights: ClassWeights, x: SparseIds): number {
  let sum = 0;
  for (let k = 0; k < x.ids.length; k += 1) {
    const slot = slotOf(weights.ids, x.ids[k] as number);
    if (slot >= 0) sum += (weights.values[slot] as number) * (x.values[k] as number);
  }
  return sum;
}

/** Position of `id` in the sorted `ids` (binary search), or -1. */
export function slotOf(ids: Int32Array, id: number): number {
  let low = 0;
  let high = ids.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = ids[mid] as number;
    if (value === id) return mid;
    if (value < id) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/**
 * The entries in key order: a full fit depends on which entries there are, not on the order
 * they were added or updated in, so a fresh load and a refit after live edits agree.
 */
function byKey(entries: ReadonlyMap<string, IndexedEntry>): IndexedEntry[] {
  return [...entries.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
