import restify, { type Request, type Response, type Server } from 'restify';
import { bodyReader } from './bodyReader';
import { httpErrorOf } from './httpErrors';
import type { Logger } from './logger';

export interface HttpEdgeDeps {
  logger: Logger;
  /** Largest accepted request body once decompressed, bytes. */
  maxBodyBytes: number;
}

/** Paths that speak Direct Line or the Bot Connector API, whose errors are `{error:{code,message}}`. */
const directLinePath = /^\/(v3\/directline|api\/directline|directline-connector)(\/|$)/;

/**
 * A restify server with the parts every route shares: query and body parsing that turn any
 * malformed request into a 4xx, and the one error mapper (httpErrorOf) for whatever a handler
 * throws. Routes throw errors with a `code`; they never choose statuses for failures.
 */
export function createHttpEdge(deps: HttpEdgeDeps): Server {
  const server = restify.createServer({ name: 'askdesk', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(bodyReader(deps.maxBodyBytes));
  server.on('restifyError', (req: Request, res: Response, err: unknown, callback: () => void) => {
    const path = req.getPath?.() ?? '';
    const reply = httpErrorOf(err, directLinePath.test(path) ? 'directline' : 'askdesk');
    if (reply.logged) {
      deps.logger.error(
        {
          err: reply.logged.err,
          ref: reply.logged.ref,
          method: req.method,
          url: redactUrl(req.url),
        },
        reply.status === 503 ? 'request failed: database unavailable' : 'request failed',
      );
    }
    if (!res.headersSent) {
      if (reply.retryAfterSeconds) res.header('Retry-After', String(reply.retryAfterSeconds));
      res.send(reply.status, reply.body);
    } else if (!res.writableEnded) {
      // A stream (SSE) had started: there is no status left to send, only an end.
      res.end();
    }
    callback();
  });
  return server;
}

/** Query strings may carry tokens (Direct Line streams); logs never do. */
export const redactUrl = (url = ''): string =>
  url.replace(/([?&](t|token)=)[^&]+/gi, '$1[redacted]');
