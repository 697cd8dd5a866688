import crypto from 'node:crypto';
import { ZodError } from 'zod';
import { DirectLineError, statusOf as directLineStatusOf } from '../adapters/directline/errors';

/**
 * A problem the HTTP edge itself finds (the body, the headers) before any route runs. Its
 * `code` is one of the codes below; `field` names what to fix.
 */
export class HttpEdgeError extends Error {
  constructor(
    readonly code: EdgeErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HttpEdgeError';
  }
}

export type EdgeErrorCode =
  | 'invalid_body'
  | 'invalid_json'
  | 'body_too_large'
  | 'unsupported_encoding'
  | 'unsupported_charset'
  | 'unsupported_media_type';

/**
 * Every stable error code any module throws, and its HTTP status. Domain code knows only the
 * codes; this table is the one place that knows statuses.
 */
const statusOfCode: Readonly<Record<string, number>> = Object.freeze({
  invalid_input: 400,
  invalid_activity: 400,
  invalid_body: 400,
  invalid_json: 400,
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  golden_broken: 409,
  idempotency_key_reused: 422,
  body_too_large: 413,
  unsupported_encoding: 415,
  unsupported_charset: 415,
  unsupported_media_type: 415,
  database_unavailable: 503,
});

/** Public fields a coded error may carry besides its message (never the stack or the cause). */
const publicFields = ['field', 'details', 'broken'] as const;

export interface HttpErrorReply {
  status: number;
  body: Record<string, unknown>;
  /** Set for 5xx: the error to log with `ref`, since the body says nothing about it. */
  logged?: { ref: string; err: unknown };
  /** Seconds a client should wait before retrying (503). */
  retryAfterSeconds?: number;
}

/**
 * Turns anything a handler throws into a status and a body. Known codes keep their message,
 * which names the field and the fix; zod failures list each field; restify's own 4xx (unknown
 * route, wrong method) keep theirs. The database being unreachable is a retryable 503. Anything
 * else is `500 {"code":"internal","ref":…}`: the ref is logged with the cause, and the body
 * never carries internal text. `envelope: 'directline'` uses Direct Line's `{error:{code,message}}`.
 */
export function httpErrorOf(
  err: unknown,
  envelope: 'askdesk' | 'directline' = 'askdesk',
): HttpErrorReply {
  const reply = classify(err);
  if (envelope === 'askdesk') return reply;
  const { code, message, ...rest } = reply.body;
  return { ...reply, body: { error: { code, message, ...rest } } };
}

function classify(thrown: unknown): HttpErrorReply {
  const err = unwrapAsyncError(thrown);
  if (err instanceof DirectLineError) {
    return { status: directLineStatusOf[err.code], body: { code: err.code, message: err.message } };
  }
  if (err instanceof ZodError) return zodReply(err);
  const code = (err as { code?: unknown } | null)?.code;
  const status = typeof code === 'string' ? statusOfCode[code] : undefined;
  const message = (err as { message?: unknown } | null)?.message;
  if (status !== undefined && typeof message === 'string') {
    const body: Record<string, unknown> = { code, message };
    for (const field of publicFields) {
      const value = (err as Record<string, unknown>)[field];
      if (value !== undefined) body[field] = value;
    }
    return { status, body };
  }
  const restifyStatus = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof restifyStatus === 'number' && restifyStatus >= 400 && restifyStatus < 500) {
    return {
      status: restifyStatus,
      body: { code: restifyCodeOf(restifyStatus), message: (err as Error).message },
    };
  }
  if (isDatabaseUnavailable(err)) {
    const ref = newRef();
    return {
      status: 503,
      body: {
        code: 'database_unavailable',
        message: 'Askdesk cannot reach its database right now; try again in a few seconds',
        retryable: true,
        ref,
      },
      logged: { ref, err },
      retryAfterSeconds: 5,
    };
  }
  const ref = newRef();
  return { status: 500, body: { code: 'internal', ref }, logged: { ref, err } };
}

/**
 * restify wraps a rejection that is not an `Error` of its own realm (a plain object, or an
 * Error from another realm, as under jest) in an AsyncError carrying the value as its cause.
 */
function unwrapAsyncError(err: unknown): unknown {
  const info = (err as { name?: unknown; jse_info?: { cause?: unknown } } | null) ?? undefined;
  return info?.name === 'AsyncError' && info.jse_info?.cause !== undefined
    ? info.jse_info.cause
    : err;
}

function zodReply(err: ZodError): HttpErrorReply {
  const details = err.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : 'body',
    message: issue.message,
  }));
  return {
    status: 400,
    body: {
      code: 'invalid_input',
      message: details.map((d) => `${d.field}: ${d.message}`).join('; '),
      field: details[0]?.field ?? 'body',
      details,
    },
  };
}

const restifyCodes: Readonly<Record<number, string>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
};
const restifyCodeOf = (status: number): string => restifyCodes[status] ?? 'invalid_request';

/** Short, unguessable enough to find one log line; not a secret. */
const newRef = (): string => crypto.randomBytes(6).toString('hex');

/** Node and PostgreSQL codes meaning "the database cannot be reached now", not "the query is wrong". */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300', // too_many_connections
  'SQLITE_BUSY',
]);

/**
 * True when the error (or its cause, or one of an AggregateError's errors) says the database
 * is unreachable: refused or dropped connections, a server shutting down, or knex giving up
 * waiting for a pooled connection.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const { code, name, message, cause, errors } = err as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && unavailableCodes.has(code)) return true;
  if (name === 'KnexTimeoutError') return true;
  if (
    typeof message === 'string' &&
    /Connection terminated|Client has encountered a connection error/.test(message)
  ) {
    return true;
  }
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
