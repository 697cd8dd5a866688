import restify, { type Request, type Response, type Server } from 'restify';
import type { Logger } from './logger';
import type { BotMetrics } from './metrics';

export interface ServerDeps {
  logger: Logger;
  metrics: BotMetrics;
  /** Rejects when the database does not answer. */
  checkHealth(): Promise<void>;
  /** Largest accepted request body, bytes. */
  maxBodyBytes: number;
  /** Refreshes computed gauges right before each /metrics scrape. */
  beforeScrape?: () => Promise<void>;
}

interface RestifyErrorLike extends Error {
  statusCode?: number;
  body?: unknown;
  toJSON?: () => unknown;
}

/**
 * The restify server with the cross-cutting parts: body and query parsing, request logs and
 * metrics, /healthz and /metrics, and one place that turns unexpected errors into a generic
 * 500 (the cause is logged, never sent).
 */
export function createServer(deps: ServerDeps): Server {
  const server = restify.createServer({ name: 'askdesk', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    restify.plugins.bodyParser({
      mapParams: false,
      maxBodySize: deps.maxBodyBytes,
      rejectUnknown: false,
    }),
  );
  server.on('after', (req: Request, res: Response) => {
    const route = req.getRoute()?.path?.toString() ?? 'unmatched';
    deps.metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
    deps.logger.debug({ method: req.method, route, status: res.statusCode }, 'request');
  });
  server.on(
    'restifyError',
    (req: Request, _res: Response, err: RestifyErrorLike, callback: () => void) => {
      if (!err.statusCode || err.statusCode >= 500) {
        deps.logger.error({ err, method: req.method, url: redactUrl(req.url) }, 'request failed');
        err.toJSON = () => ({ code: 'internal', message: 'Internal error; it has been logged.' });
      }
      callback();
    },
  );

  server.get('/healthz', async (_req, res) => {
    try {
      await deps.checkHealth();
      res.send(200, { status: 'ok' });
    } catch (err) {
      deps.logger.error({ err }, 'health check failed');
      res.send(503, { status: 'unavailable', message: 'the database does not answer' });
    }
  });
  server.get('/metrics', async (_req, res) => {
    try {
      await deps.beforeScrape?.();
    } catch (err) {
      deps.logger.error({ err }, 'computing handoff metrics failed; serving the rest');
    }
    const body = await deps.metrics.registry.metrics();
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.sendRaw(200, body);
  });
  return server;
}

/** Query strings may carry tokens (Direct Line streams); logs never do. */
const redactUrl = (url = ''): string => url.replace(/([?&](t|token)=)[^&]+/gi, '$1[redacted]');
