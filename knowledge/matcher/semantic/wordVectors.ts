/**
 * A table of word vectors (e.g. GloVe), held compactly: one int8 row per word with a float
 * scale (each row is a unit vector, quantised), the word's frequency rank in the source, and a
 * Map from word to row. 200k words × 100 dimensions take about 20 MB plus the Map.
 */
export class WordVectors {
  private readonly rows = new Map<string, number>();

  /**
   * @param words the words, most frequent first (row i is words[i])
   * @param dimensions vector length
   * @param quantised words.length × dimensions int8 values; row i times scales[i] is a unit vector
   * @param scales per-row dequantisation scale
   * @param ranks frequency rank of each word in its source (0 = most frequent)
   */
  constructor(
    readonly words: readonly string[],
    readonly dimensions: number,
    readonly quantised: Int8Array,
    readonly scales: Float32Array,
    readonly ranks: Uint32Array,
  ) {
    words.forEach((word, i) => {
      if (!this.rows.has(word)) this.rows.set(word, i);
    });
  }

  get size(): number {
    return this.words.length;
  }

  /** Row of `word`, or -1 when the table does not know it. */
  row(word: string): number {
    return this.rows.get(word) ?? -1;
  }

  /** Adds `weight` × the unit vector of `row` into `into` (length `dimensions`). */
  addRow(row: number, weight: number, into: Float32Array): void {
    const d = this.dimensions;
    const scale = (this.scales[row] ?? 0) * weight;
    const base = row * d;
    for (let i = 0; i < d; i += 1) {
      into[i] = (into[i] as number) + scale * (this.quantised[base + i] as number);
    }
  }

  /** Dot product of the unit vector of `row` with `v[offset…offset+dimensions)`. */
  dotRow(row: number, v: Float32Array, offset: number): number {
    const d = this.dimensions;
    const base = row * d;
    let sum = 0;
    for (let i = 0; i < d; i += 1)
      sum += (this.quantised[base + i] as number) * (v[offset + i] as number);
    return sum * (this.scales[row] ?? 0);
  }

  /** Builds a table from float vectors (tests, small sources); rows are normalised. */
  static fromFloats(entries: readonly (readonly [string, readonly number[]])[]): WordVectors {
    const dimensions = entries[0]?.[1].length ?? 0;
    const quantised = new Int8Array(entries.length * dimensions);
    const scales = new Float32Array(entries.length);
    entries.forEach(([, vector], i) => {
      scales[i] = quantiseRow(vector, quantised, i * dimensions);
    });
    const ranks = Uint32Array.from(entries, (_, i) => i);
    return new WordVectors(
      entries.map(([word]) => word),
      dimensions,
      quantised,
      scales,
      ranks,
    );
  }
}

/**
 * Writes `vector`, normalised to unit length, as int8 at `into[offset…]` and returns the scale
 * that turns those integers back into the unit vector (0 for a zero vector).
 */
export function quantiseRow(vector: ArrayLike<number>, into: Int8Array, offset: number): number {
  let sumSquares = 0;
  let maxAbs = 0;
  for (let i = 0; i < vector.length; i += 1) {
    const v = vector[i] as number;
    sumSquares += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  if (sumSquares === 0 || maxAbs === 0) return 0;
  const length = Math.sqrt(sumSquares);
  const step = maxAbs / length / 127;
  for (let i = 0; i < vector.length; i += 1) {
    into[offset + i] = Math.round((vector[i] as number) / length / step);
  }
  return step;
}
