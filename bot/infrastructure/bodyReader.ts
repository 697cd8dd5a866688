import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import getRawBody from 'raw-body';
import type { Request } from 'restify';
import { HttpEdgeError } from './httpErrors';

/**
 * Reads and parses request bodies without ever letting a stream error escape: a gzip body
 * that is not gzip, a broken JSON text, an unknown charset or too many bytes each become a
 * 4xx naming the header or body, and the process keeps serving.
 *
 * - `limit` counts decoded bytes, so a small gzip that inflates past it (a "zip bomb") is a
 *   413 too; reading stops at the limit.
 * - JSON (`application/json`, `…+json`) lands parsed in `req.body`; any other type lands as
 *   text. `req.rawBody` always keeps the text (the KB import reports JSON line numbers from it).
 * - Charsets other than UTF-8 are decoded when the platform knows them; UTF-8 must be valid.
 */
export function bodyReader(limitBytes: number) {
  return async (req: Request): Promise<void> => {
    if (!hasBody(req)) return;
    const text = decode(await readBytes(req, limitBytes), charsetOf(req));
    const withRaw = req as Request & { rawBody?: string };
    withRaw.rawBody = text;
    if (!isJson(req.header('content-type') ?? '')) {
      req.body = text;
      return;
    }
    if (text.trim() === '') {
      req.body = undefined;
      return;
    }
    try {
      req.body = JSON.parse(text) as unknown;
    } catch (err) {
      throw new HttpEdgeError(
        'invalid_json',
        `body is not valid JSON (${(err as Error).message.slice(0, 120)}) — send one JSON value`,
        'body',
      );
    }
  };
}

const hasBody = (req: Request): boolean =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

const isJson = (contentType: string): boolean =>
  /^\s*application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType);

function charsetOf(req: Request): string {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(req.header('content-type') ?? '');
  return (match?.[1] ?? 'utf-8').toLowerCase();
}

async function readBytes(req: Request, limitBytes: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let source: Readable = req;
  let length: string | undefined = req.headers['content-length'];
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
    const inflate = encoding === 'deflate' ? zlib.createInflate() : zlib.createGunzip();
    // pipeline() routes an error on either side to both (and to raw-body through `inflate`),
    // so a body that is not what its header says is a rejected promise, not a crash.
    pipeline(req, inflate, () => undefined);
    source = inflate;
    length = undefined;
  } else if (encoding !== 'identity') {
    req.resume();
    throw new HttpEdgeError(
      'unsupported_encoding',
      `Content-Encoding "${encoding.slice(0, 40)}" is not supported — send gzip, deflate or none`,
      'Content-Encoding',
    );
  }
  try {
    return await getRawBody(source, { limit: limitBytes, ...(length && { length }) });
  } catch (err) {
    req.resume();
    throw readError(err, encoding, limitBytes);
  }
}

function readError(err: unknown, encoding: string, limitBytes: number): HttpEdgeError {
  const type = (err as { type?: unknown }).type;
  if (type === 'entity.too.large') {
    return new HttpEdgeError(
      'body_too_large',
      `body is larger than ${limitBytes} bytes${encoding === 'identity' ? '' : ' once decompressed'} — send less`,
      'body',
    );
  }
  if (type === 'request.size.invalid') {
    return new HttpEdgeError(
      'invalid_body',
      'body length does not match Content-Length — send the whole body',
      'Content-Length',
    );
  }
  if (encoding !== 'identity' && (err as { code?: unknown }).code?.toString().startsWith('Z_')) {
    return new HttpEdgeError(
      'invalid_body',
      `body is not valid ${encoding} data — compress it, or drop the Content-Encoding header`,
      'Content-Encoding',
    );
  }
  return new HttpEdgeError(
    'invalid_body',
    'the body could not be read completely — send it again',
    'body',
  );
}

function decode(bytes: Buffer, charset: string): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    throw new HttpEdgeError(
      'unsupported_charset',
      `charset "${charset.slice(0, 40)}" is not supported — send UTF-8`,
      'Content-Type',
    );
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new HttpEdgeError(
      'invalid_body',
      `body is not valid ${charset} text — send UTF-8 or name the right charset in Content-Type`,
      'body',
    );
  }
}
