import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EncoderModel } from './encoderModel';

/**
 * A sentence encoder the operator brings: a folder with an ONNX sentence-embedding model
 * (`model.onnx`, or `onnx/model.onnx` as Hugging Face repositories lay it out) and its
 * `tokenizer.json`, e.g. multilingual-e5-small or paraphrase-multilingual-MiniLM-L12-v2. It
 * runs on onnxruntime-node's CPU library (inside the npm package) on a worker thread; texts
 * are tokenised here with @huggingface/tokenizers, which reads `tokenizer.json` offline
 * (WordPiece, Unigram and BPE alike). The model's token vectors are averaged over the real
 * tokens (the attention mask), and `CachingEncoder` scales the result to unit length.
 *
 * Optional files read from the folder, as sentence-transformers writes them:
 * `tokenizer_config.json` (`model_max_length`), `config_sentence_transformers.json`
 * (`prompts.query`, a prefix such as e5's "query: " put before every text) and
 * `1_Pooling/config.json` (the pooling must be the mean of the tokens).
 */

/** What the encoder uses of @huggingface/tokenizers' `Tokenizer`. */
interface Tokenizer {
  encode(text: string): { ids: number[] };
  token_to_id(token: string): number | undefined;
}

/** Most tokens per text (longer texts are cut, keeping the closing special token). */
export const MAX_TOKENS = 256;

/** A folder that cannot serve as an encoder, with a one-line message saying what to fix. */
export class EncoderFolderError extends Error {
  override readonly name = 'EncoderFolderError';
}

/** What `loadOnnxEncoderModel` gives: the model, its vector size and how it was set up. */
export interface OnnxEncoderModel extends EncoderModel {
  readonly dimensions: number;
  /** Prefix put before every text ("" when none). */
  readonly prefix: string;
  /** Ends the worker thread (if any); later calls fail. */
  close(): Promise<void>;
}

/** A tensor as it crosses to the worker: typed data and its shape. */
interface WireTensor {
  type: 'int64' | 'int32';
  data: BigInt64Array | Int32Array;
  dims: number[];
}

/** The ONNX session: input names, and a run giving the chosen output's data and shape. */
interface SessionRunner {
  readonly inputs: readonly { name: string; type: string }[];
  readonly outputs: readonly string[];
  /** Settles once the session is open (rejects when it cannot be). */
  ready(): Promise<void>;
  run(feeds: Record<string, WireTensor>, output: string): Promise<RunResult>;
  close(): Promise<void>;
}

interface RunResult {
  data: Float32Array;
  dims: number[];
}

const requireLazily = createRequire(__filename);

/** Inputs the encoder knows how to fill. */
const KNOWN_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'];
/** Outputs tried in this order: already pooled, then token vectors. */
const PREFERRED_OUTPUTS = ['sentence_embedding', 'last_hidden_state', 'token_embeddings'];

/**
 * Loads the model in `folder` and checks it on two probe texts; throws `EncoderFolderError`
 * (one line naming the file and the fix) when a file is missing or unreadable, or when the
 * model's inputs or output are not those of a sentence-embedding model.
 *
 * The model runs on a worker thread (onnxruntime-node's `run` computes on the calling
 * thread), so the event loop stays free meanwhile.
 *
 * @param threads onnxruntime's intra-op threads (default: its own choice, one per core)
 */
export async function loadOnnxEncoderModel(
  folder: string,
  { threads }: { threads?: number } = {},
): Promise<OnnxEncoderModel> {
  const setup = readFolder(folder);
  const runner = new ThreadRunner(setup.modelFile, threads);
  try {
    await runner.ready();
    const model = new OnnxModel(setup, runner);
    await model.probe();
    return model;
  } catch (error) {
    await runner.close();
    if (error instanceof EncoderFolderError) throw error;
    throw new EncoderFolderError(`${setup.modelFile} cannot be run: ${oneLine(error)}`);
  }
}

interface FolderSetup {
  folder: string;
  modelFile: string;
  tokenizer: Tokenizer;
  maxTokens: number;
  prefix: string;
  padId: number;
}

function readFolder(folder: string): FolderSetup {
  const dir = resolve(folder);
  const fix = 'see "Bringing a sentence encoder" in the README';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new EncoderFolderError(`sentence encoder folder ${dir} does not exist (${fix})`);
  }
  const modelFile = [join(dir, 'model.onnx'), join(dir, 'onnx', 'model.onnx')].find((f) =>
    existsSync(f),
  );
  if (!modelFile) {
    throw new EncoderFolderError(
      `${dir} has no model.onnx (copy the model's ONNX export there as model.onnx; ${fix})`,
    );
  }
  const tokenizerFile = join(dir, 'tokenizer.json');
  if (!existsSync(tokenizerFile)) {
    throw new EncoderFolderError(
      `${dir} has no tokenizer.json (copy the model's tokenizer.json beside model.onnx; ${fix})`,
    );
  }
  const config = readJson(join(dir, 'tokenizer_config.json')) ?? {};
  // The package's CommonJS build (its own types are declared for ES modules only).
  const { Tokenizer: TokenizerClass } = requireLazily('@huggingface/tokenizers') as {
    Tokenizer: new (json: object, config: object) => Tokenizer;
  };
  const tokenizerJson = readJson(tokenizerFile) ?? {};
  let tokenizer: Tokenizer;
  try {
    tokenizer = new TokenizerClass(tokenizerJson, config);
  } catch (error) {
    throw new EncoderFolderError(`${tokenizerFile} cannot be read: ${oneLine(error)}`);
  }
  const pooling = readJson(join(dir, '1_Pooling', 'config.json'));
  if (pooling && pooling['pooling_mode_mean_tokens'] === false) {
    throw new EncoderFolderError(
      `${join(dir, '1_Pooling', 'config.json')} asks for pooling other than the mean of the tokens, which this encoder does not do (use a mean-pooled model)`,
    );
  }
  const prompts = readJson(join(dir, 'config_sentence_transformers.json'))?.['prompts'];
  const query = (prompts as Record<string, unknown> | undefined)?.['query'];
  const declared = Number(config['model_max_length']);
  const padding = (tokenizerJson['padding'] as { pad_id?: number } | null)?.pad_id;
  return {
    folder: dir,
    modelFile,
    tokenizer,
    maxTokens: declared > 2 ? Math.min(declared, MAX_TOKENS) : MAX_TOKENS,
    prefix: typeof query === 'string' ? query : '',
    padId: padding ?? tokenizer.token_to_id('<pad>') ?? tokenizer.token_to_id('[PAD]') ?? 0,
  };
}

function readJson(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new EncoderFolderError(`${file} is not valid JSON: ${oneLine(error)}`);
  }
}

const oneLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() ?? '';

/** Tokenising, the model call and mean pooling for a batch of texts. */
class OnnxModel implements OnnxEncoderModel {
  dimensions = 0;
  private output = '';
  private idType: 'int64' | 'int32' = 'int64';

  constructor(
    private readonly setup: FolderSetup,
    private readonly runner: SessionRunner,
  ) {}

  get prefix(): string {
    return this.setup.prefix;
  }

  /** Checks the inputs and output on two texts of different lengths (so, with padding). */
  async probe(): Promise<void> {
    const { modelFile } = this.setup;
    const names = this.runner.inputs.map((i) => i.name);
    const unknown = names.find((name) => !KNOWN_INPUTS.includes(name));
    if (unknown !== undefined || !names.includes('input_ids')) {
      throw new EncoderFolderError(
        `${modelFile} takes inputs ${names.join(', ')}; a sentence-embedding model takes input_ids (and attention_mask, token_type_ids) only`,
      );
    }
    this.idType = this.runner.inputs[0]?.type === 'int32' ? 'int32' : 'int64';
    this.output =
      PREFERRED_OUTPUTS.find((name) => this.runner.outputs.includes(name)) ??
      this.runner.outputs[0] ??
      '';
    const texts = ['ready?', 'is the model ready for a longer sentence?'];
    const { cols } = this.tokenize(texts);
    const { dims } = await this.runner.run(this.feeds(texts).feeds, this.output);
    const tokens = dims.length === 3 && dims[0] === 2 && dims[1] === cols && (dims[2] ?? 0) > 0;
    const pooled = dims.length === 2 && dims[0] === 2 && (dims[1] ?? 0) > 0;
    if (!tokens && !pooled) {
      throw new EncoderFolderError(
        `${modelFile} gives output "${this.output}" of shape [${dims.join(', ')}] for 2 texts of ${cols} tokens; expected [texts, tokens, dimensions] or [texts, dimensions]`,
      );
    }
    this.dimensions = dims[dims.length - 1] as number;
  }

  async embed(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const { feeds, mask, cols } = this.feeds(texts);
    const { data, dims } = await this.runner.run(feeds, this.output);
    const d = this.dimensions;
    if (dims[dims.length - 1] !== d || dims[0] !== texts.length) {
      throw new Error(`model output of shape [${dims.join(', ')}] for ${texts.length} texts`);
    }
    if (dims.length === 2) {
      return texts.map((_, row) => Array.from(data.subarray(row * d, (row + 1) * d)));
    }
    return texts.map((_, row) => meanOfTokens(data, mask, row, cols, d));
  }

  close(): Promise<void> {
    return this.runner.close();
  }

  private tokenize(texts: readonly string[]): { ids: number[][]; cols: number } {
    const { tokenizer, maxTokens, prefix } = this.setup;
    const ids = texts.map((text) => {
      const encoded = tokenizer.encode(prefix + text).ids;
      // Too long: keep the start and the closing special token the model expects.
      return encoded.length > maxTokens
        ? [...encoded.slice(0, maxTokens - 1), encoded[encoded.length - 1] as number]
        : encoded;
    });
    return { ids, cols: Math.max(1, ...ids.map((row) => row.length)) };
  }

  private feeds(texts: readonly string[]): {
    feeds: Record<string, WireTensor>;
    mask: Uint8Array;
    cols: number;
  } {
    const { ids, cols } = this.tokenize(texts);
    const rows = texts.length;
    const tensor = (fill: (row: number, col: number) => number): WireTensor => {
      const dims = [rows, cols];
      if (this.idType === 'int32') {
        const data = new Int32Array(rows * cols);
        for (let r = 0; r < rows; r += 1)
          for (let c = 0; c < cols; c += 1) data[r * cols + c] = fill(r, c);
        return { type: 'int32', data, dims };
      }
      const data = new BigInt64Array(rows * cols);
      for (let r = 0; r < rows; r += 1)
        for (let c = 0; c < cols; c += 1) data[r * cols + c] = BigInt(fill(r, c));
      return { type: 'int64', data, dims };
    };
    const mask = new Uint8Array(rows * cols);
    ids.forEach((row, r) => mask.fill(1, r * cols, r * cols + row.length));
    const feeds: Record<string, WireTensor> = {};
    for (const { name } of this.runner.inputs) {
      if (name === 'input_ids') {
        feeds[name] = tensor((r, c) => ids[r]?.[c] ?? this.setup.padId);
      } else if (name === 'attention_mask') {
        feeds[name] = tensor((r, c) => mask[r * cols + c] as number);
      } else {
        feeds[name] = tensor(() => 0); // token_type_ids: one segment
      }
    }
    return { feeds, mask, cols };
  }
}

/** Mean of row `row`'s token vectors where the mask is 1 ([rows, cols, d] data). */
export function meanOfTokens(
  data: Float32Array,
  mask: Uint8Array,
  row: number,
  cols: number,
  d: number,
): number[] {
  const sum = new Float64Array(d);
  let count = 0;
  for (let c = 0; c < cols; c += 1) {
    if (mask[row * cols + c] !== 1) continue;
    count += 1;
    const at = (row * cols + c) * d;
    for (let i = 0; i < d; i += 1) sum[i] = (sum[i] as number) + (data[at + i] as number);
  }
  return Array.from(sum, (x) => (count > 0 ? x / count : 0));
}

/**
 * The worker's program, plain CommonJS (it runs as given, no build step): it opens the
 * session, reports its inputs and outputs, then answers `{ id, feeds, output }` with
 * `{ id, data, dims }` or `{ id, error }`, one request at a time.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.runtime);
const options = { logSeverityLevel: 3, ...(workerData.threads && { intraOpNumThreads: workerData.threads, interOpNumThreads: 1 }) };
const session = ort.InferenceSession.create(workerData.modelFile, options);
session.then(
  (s) => parentPort.postMessage({ id: -1, inputs: s.inputMetadata.map((m) => ({ name: m.name, type: m.isTensor ? m.type : 'other' })), outputs: s.outputNames }),
  (error) => parentPort.postMessage({ id: -1, error: String((error && error.message) || error) }),
);
parentPort.on('message', async ({ id, feeds, output }) => {
  try {
    const tensors = {};
    for (const [name, t] of Object.entries(feeds)) tensors[name] = new ort.Tensor(t.type, t.data, t.dims);
    const result = (await (await session).run(tensors))[output];
    if (!result || result.type !== 'float32') throw new Error('output "' + output + '" is ' + (result ? result.type : 'missing') + ', not float32');
    parentPort.postMessage({ id, data: result.data, dims: result.dims });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

interface Reply {
  id: number;
  data?: Float32Array;
  dims?: number[];
  inputs?: { name: string; type: string }[];
  outputs?: string[];
  error?: string;
}

/**
 * onnxruntime-node on a worker thread: the model's computation (milliseconds to tens of
 * milliseconds a batch for a real model) does not hold up the event loop. The thread keeps
 * the process alive only while a request is pending.
 */
class ThreadRunner implements SessionRunner {
  inputs: { name: string; type: string }[] = [];
  outputs: string[] = [];
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(r: Reply): void; reject(e: Error): void }>();
  private nextId = 0;
  private failure: Error | undefined;
  private readonly opened: Promise<void>;

  constructor(modelFile: string, threads?: number) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { runtime: requireLazily.resolve('onnxruntime-node'), modelFile, threads },
    });
    this.opened = this.request(-1).then(({ inputs, outputs }) => {
      this.inputs = inputs ?? [];
      this.outputs = outputs ?? [];
    });
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`encoder thread exited (${code})`)));
  }

  ready(): Promise<void> {
    return this.opened;
  }

  async run(feeds: Record<string, WireTensor>, output: string): Promise<RunResult> {
    const id = this.nextId++;
    const reply = this.request(id);
    this.worker.postMessage({ id, feeds, output });
    const { data, dims } = await reply;
    if (!data || !dims) throw new Error('the encoder thread sent no vectors');
    return { data, dims };
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private request(id: number): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const reply = new Promise<Reply>((resolve, reject) =>
      this.pending.set(id, { resolve, reject }),
    );
    this.worker.ref();
    return reply;
  }

  private settle(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.error !== undefined) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    this.worker.unref();
  }
}
