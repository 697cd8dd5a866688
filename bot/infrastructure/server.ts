import type { Request, Response, Server } from 'restify';
import { createHttpEdge } from './httpEdge';
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

/**
 * The HTTP edge (createHttpEdge: parsing and the one error mapper) with the cross-cutting
 * parts: request logs and metrics, /healthz and /metrics.
 */
export function createServer(deps: ServerDeps): Server {
  const server = createHttpEdge({ logger: deps.logger, maxBodyBytes: deps.maxBodyBytes });
  server.on('after', (req: Request, res: Response) => {
    const route = req.getRoute()?.path?.toString() ?? 'unmatched';
    deps.metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
    deps.logger.debug({ method: req.method, route, status: res.statusCode }, 'request');
  });

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
