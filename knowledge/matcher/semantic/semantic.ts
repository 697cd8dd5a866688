import type { AnalyzedToken } from '../text/normalize';
import { quantiseRow, type WordVectors } from './wordVectors';

/**
 * The semantic component: word vectors (GloVe and the like) turned into sentence vectors and
 * word-to-word similarities, so that "When will my card arrive?" meets "card delivery" even
 * though no stem is shared. Everything here is pure given the vector table.
 *
 * Sentence vector (SIF, Arora et al. 2017): Σ a / (a + p(w)) · v(w) over the text's words,
 * with p(w) estimated from the word's frequency rank in the vector source (Zipf: p ∝ 1/rank)
 * and the common direction of the table (the weighted mean of its most frequent words, which
 * every GloVe vector shares and which makes unrelated texts look similar) projected out.
 * Because the weights come from the vector source, not from the KB, an entry's vectors are
 * computed once at upsert and never go stale.
 */

/**
 * An entry's semantic representation, computed at indexing time: the unit mean of its
 * phrasings' sentence vectors, int8-quantised (100 bytes for 100 dimensions), and its words.
 */
export interface EntryEmbedding {
  centroid: Int8Array;
  /** Dequantisation scale of `centroid` (0 when the entry has no known word). */
  scale: number;
  /** Rows (in the vector table) of the distinct known content words of the entry. */
  words: Int32Array;
}

/** The query side: its sentence vector and its known content words. */
export interface QueryEmbedding {
  sentence: Float32Array;
  /** Unit vectors of the query's known content words (words × dimensions, common part removed). */
  words: Float32Array;
  /** Weight of each word in `words`. */
  weights: Float64Array;
  /** Rows of the query's known words, parallel to `weights`. */
  rows: Int32Array;
}

/** Settings of the semantic component. */
export interface SemanticSettings {
  /** SIF smoothing a (> 0, default 1e-3): words more frequent than about 1/a are damped. */
  sifSmoothing: number;
  /** Most frequent words whose weighted mean is the common direction (0 = keep it). */
  commonWords: number;
  /**
   * Directions removed (≥ 1 when `commonWords` > 0): the common direction plus the
   * `commonComponents − 1` top principal components of the same words with it removed
   * ("all-but-the-top", Mu & Viswanath 2018). Default 1 (the mean only).
   */
  commonComponents?: number;
  /**
   * Words kept per entry for the soft word match (the soft match costs entry words × query
   * words × dimensions): those in most of the entry's phrasings, rarer words first on ties.
   */
  maxEntryWords: number;
}

/** Word vectors plus what the sentence vectors need: SIF weights and the common direction. */
export class SemanticSpace {
  readonly common: Float32Array;
  /** The orthonormal directions removed from every vector: `common` first. */
  readonly directions: readonly Float32Array[];
  /**
   * Each row's length once the removed directions are projected out (it is a unit vector
   * before): word cosines are taken without them. Computed per row on first use.
   */
  private readonly residual: Float32Array;
  private readonly zipfNorm: number;
  /** Table row of each token object seen (see `rowsOf`); entries go with their tokens. */
  private readonly rowOfToken = new WeakMap<AnalyzedToken, number>();

  constructor(
    readonly vectors: WordVectors,
    readonly settings: SemanticSettings,
  ) {
    // Σ 1/r over the source's ranks ≈ ln(N) + γ; the largest rank stands for N.
    const largest = vectors.size > 0 ? (vectors.ranks[vectors.size - 1] ?? 0) + 1 : 1;
    this.zipfNorm = Math.log(largest) + 0.5772;
    const commonWords = Math.min(settings.commonWords, vectors.size);
    const weightOf = (row: number): number => this.sifWeight(row);
    this.common = commonDirection(vectors, commonWords, weightOf);
    const extra = commonWords > 0 ? Math.max(0, (settings.commonComponents ?? 1) - 1) : 0;
    this.directions = [
      this.common,
      ...principalDirections(vectors, commonWords, weightOf, this.common, extra),
    ];
    // Filled on first use (0 = not yet): the soft word match meets only a few thousand rows.
    this.residual = new Float32Array(vectors.size);
  }

  /** Length of table row `row` (a unit vector) without the removed directions. */
  residualOf(row: number): number {
    const cached = this.residual[row] as number;
    if (cached > 0) return cached;
    const { quantised, scales, dimensions: d } = this.vectors;
    const base = row * d;
    let removed = 0;
    for (const direction of this.directions) {
      let sum = 0;
      for (let i = 0; i < d; i += 1)
        sum += (quantised[base + i] as number) * (direction[i] as number);
      const share = sum * (scales[row] as number);
      removed += share * share;
    }
    // Return the stored (float32) value: the first query must score like later ones.
    this.residual[row] = Math.sqrt(Math.max(1e-6, 1 - removed));
    return this.residual[row];
  }

  /** Projects the removed directions out of `v`, in place. */
  removeCommon(v: Float32Array): void {
    for (const direction of this.directions) removeDirection(v, direction);
  }

  get dimensions(): number {
    return this.vectors.dimensions;
  }

  /** SIF weight a / (a + p) of a table row, p from its frequency rank (Zipf). */
  sifWeight(row: number): number {
    const rank = (this.vectors.ranks[row] ?? 0) + 1;
    const p = 1 / (rank * this.zipfNorm);
    return this.settings.sifSmoothing / (this.settings.sifSmoothing + p);
  }

  /**
   * Rows of the tokens' surfaces; -1 for words the table does not know. Memoised per token
   * object (the pipeline hands out one object per distinct word): a lookup in the 100k-word
   * Map was a quarter of the entry embedding time at build.
   */
  rowsOf(tokens: readonly AnalyzedToken[]): number[] {
    return tokens.map((token) => {
      let row = this.rowOfToken.get(token);
      if (row === undefined) this.rowOfToken.set(token, (row = this.vectors.row(token.surface)));
      return row;
    });
  }

  /** Unit SIF sentence vector of the given rows (all zero when none is known). */
  sentence(rows: readonly number[], into = new Float32Array(this.dimensions)): Float32Array {
    into.fill(0);
    for (const row of rows) if (row >= 0) this.vectors.addRow(row, this.sifWeight(row), into);
    this.removeCommon(into);
    return normalize(into);
  }

  /** The entry's centroid (unit mean of its phrasings' sentence vectors) and content words. */
  embedEntry(phrasings: readonly (readonly AnalyzedToken[])[]): EntryEmbedding {
    const d = this.dimensions;
    const sentence = new Float32Array(d);
    const sum = new Float32Array(d);
    // Content word → [phrasings containing it, last phrasing counted]: no Set per phrasing.
    const phrasingsWith = new Map<number, [number, number]>();
    for (let p = 0; p < phrasings.length; p += 1) {
      const tokens = phrasings[p] as readonly AnalyzedToken[];
      const rows = this.rowsOf(tokens);
      for (let j = 0; j < tokens.length; j += 1) {
        const row = rows[j] as number;
        if (row < 0 || (tokens[j] as AnalyzedToken).isStop) continue;
        const seen = phrasingsWith.get(row);
        if (!seen) phrasingsWith.set(row, [1, p]);
        else if (seen[1] !== p) [seen[0], seen[1]] = [seen[0] + 1, p];
      }
      this.sentence(rows, sentence);
      for (let j = 0; j < d; j += 1) sum[j] = (sum[j] as number) + (sentence[j] as number);
    }
    let words = [...phrasingsWith.keys()];
    if (words.length > this.settings.maxEntryWords) {
      const rank = (row: number): number =>
        (phrasingsWith.get(row)?.[0] ?? 0) + this.sifWeight(row) / 2; // ties: rarer first
      words = words.sort((a, b) => rank(b) - rank(a)).slice(0, this.settings.maxEntryWords);
    }
    const centroid = new Int8Array(d);
    const scale = quantiseRow(sum, centroid, 0);
    return { centroid, scale, words: Int32Array.from(words) };
  }

  /** The query's sentence vector and its content words; `weightOf` weighs each token. */
  embedQuery(
    tokens: readonly AnalyzedToken[],
    weightOf: (token: AnalyzedToken) => number,
  ): QueryEmbedding {
    const d = this.dimensions;
    const rows = this.rowsOf(tokens);
    const kept: number[] = [];
    const weights: number[] = [];
    const seen = new Set<number>();
    tokens.forEach((token, i) => {
      const row = rows[i] as number;
      if (row < 0 || token.isStop || seen.has(row)) return;
      seen.add(row);
      kept.push(row);
      weights.push(weightOf(token));
    });
    const words = new Float32Array(kept.length * d);
    kept.forEach((row, i) => {
      const word = words.subarray(i * d, (i + 1) * d);
      this.vectors.addRow(row, 1, word);
      this.removeCommon(word);
      normalize(word);
    });
    return {
      sentence: this.sentence(rows),
      words,
      weights: Float64Array.from(weights),
      rows: Int32Array.from(kept),
    };
  }
}

/** Cosine (≥ 0) of the query's sentence vector with the entry's centroid: d multiplications. */
export function centroidSimilarity(
  space: SemanticSpace,
  query: QueryEmbedding,
  entry: EntryEmbedding,
): number {
  let dot = 0;
  for (let i = 0; i < space.dimensions; i += 1) {
    dot += (query.sentence[i] as number) * (entry.centroid[i] as number);
  }
  return Math.max(0, dot * entry.scale);
}

/**
 * For each query word, its best cosine to any of the entry's words (1 when the entry has the
 * word itself), weighted by the query word's weight: "arrive" finds "delivered". Cost: entry
 * words × query words × dimensions multiplications, in one tight loop without allocation
 * beyond one small array.
 */
export function softMatch(
  space: SemanticSpace,
  query: QueryEmbedding,
  entryWords: Int32Array,
): number {
  const count = query.weights.length;
  if (count === 0 || entryWords.length === 0) return 0;
  const best = new Float64Array(count);
  const { quantised, scales } = space.vectors;
  const d = space.dimensions;
  const qwords = query.words;
  for (const row of entryWords) {
    // Cosine without the removed directions C: (q · e) / |e − C Cᵀ e| for q ⟂ C.
    const scale = (scales[row] as number) / space.residualOf(row);
    const base = row * d;
    for (let w = 0, offset = 0; w < count; w += 1, offset += d) {
      let cosine: number;
      if (query.rows[w] === row) cosine = 1;
      else {
        let dot = 0;
        for (let i = 0; i < d; i += 1) {
          dot += (quantised[base + i] as number) * (qwords[offset + i] as number);
        }
        cosine = dot * scale;
      }
      if (cosine > (best[w] as number)) best[w] = cosine;
    }
  }
  let total = 0;
  let matched = 0;
  for (let w = 0; w < count; w += 1) {
    total += query.weights[w] as number;
    matched += (query.weights[w] as number) * (best[w] as number);
  }
  return total > 0 ? matched / total : 0;
}

function dot(a: Float32Array, b: Float32Array, offset: number, d: number): number {
  let sum = 0;
  for (let i = 0; i < d; i += 1) sum += (a[i] as number) * (b[offset + i] as number);
  return sum;
}

/** Scales `v` to unit length in place (a zero vector stays zero). */
export function normalize(v: Float32Array): Float32Array {
  let sumSquares = 0;
  for (const x of v) sumSquares += x * x;
  if (sumSquares === 0) return v;
  const inverse = 1 / Math.sqrt(sumSquares);
  for (let i = 0; i < v.length; i += 1) v[i] = (v[i] as number) * inverse;
  return v;
}

/** Removes from `v` its projection on the unit vector `direction`, in place. */
export function removeDirection(v: Float32Array, direction: Float32Array): void {
  const projection = dot(v, direction, 0, v.length);
  for (let i = 0; i < v.length; i += 1)
    v[i] = (v[i] as number) - projection * (direction[i] as number);
}

/** Unit weighted mean of the first `count` rows: the direction all vectors share. */
export function commonDirection(
  vectors: WordVectors,
  count: number,
  weightOf: (row: number) => number,
): Float32Array {
  const mean = new Float32Array(vectors.dimensions);
  for (let row = 0; row < count; row += 1) vectors.addRow(row, weightOf(row), mean);
  return normalize(mean);
}

/**
 * The `count` top principal directions (by power iteration with deflation) of the first
 * `words` rows, each weighted by `weightOf` and with `mean` projected out; every direction is
 * orthogonal to `mean` and to the others. Cost: words × dimensions² once, plus
 * count × 50 iterations of a dimensions² product.
 */
export function principalDirections(
  vectors: WordVectors,
  words: number,
  weightOf: (row: number) => number,
  mean: Float32Array,
  count: number,
): Float32Array[] {
  const d = vectors.dimensions;
  if (count <= 0 || words <= 0) return [];
  // Weighted covariance, upper triangle first (it is symmetric), then mirrored.
  const covariance = new Float64Array(d * d);
  const v = new Float32Array(d);
  const x64 = new Float64Array(d);
  for (let row = 0; row < words; row += 1) {
    v.fill(0);
    vectors.addRow(row, 1, v);
    removeDirection(v, mean);
    const weight = weightOf(row);
    for (let i = 0; i < d; i += 1) x64[i] = v[i] as number;
    for (let i = 0; i < d; i += 1) {
      const wi = weight * (x64[i] as number);
      const offset = i * d;
      for (let j = i; j < d; j += 1) {
        covariance[offset + j] = (covariance[offset + j] as number) + wi * (x64[j] as number);
      }
    }
  }
  for (let i = 0; i < d; i += 1) {
    for (let j = 0; j < i; j += 1) covariance[i * d + j] = covariance[j * d + i] as number;
  }
  const found: Float32Array[] = [mean];
  const result: Float32Array[] = [];
  for (let k = 0; k < count; k += 1) {
    // A fixed, non-degenerate start: the same vectors always give the same directions.
    let x: Float32Array = Float32Array.from({ length: d }, (_, i) => 1 + ((i * 7919) % 13) / 13);
    for (const f of found) removeDirection(x, f);
    normalize(x);
    for (let iteration = 0; iteration < 50; iteration += 1) {
      const y = new Float32Array(d);
      for (let i = 0; i < d; i += 1) {
        let sum = 0;
        for (let j = 0; j < d; j += 1) sum += (covariance[i * d + j] as number) * (x[j] as number);
        y[i] = sum;
      }
      for (const f of found) removeDirection(y, f);
      x = normalize(y);
    }
    found.push(x);
    result.push(x);
  }
  return result;
}
