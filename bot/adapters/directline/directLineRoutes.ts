import type { Request, Response, Server } from 'restify';
import type { Logger } from 'pino';
import type { DirectLineAdapter } from './directLineAdapter';
import type { DirectLineService } from './directLineService';
import { DirectLineError } from './errors';

export interface DirectLineRoutesDeps {
  service: DirectLineService;
  adapter: DirectLineAdapter;
  logger: Logger;
  /** Base URL for stream and service URLs; derived from the request's Host when absent. */
  publicUrl?: string;
}

type Handler = (req: Request, res: Response) => Promise<void>;

const base = '/v3/directline';
const conversation = `${base}/conversations/:conversationId`;

/** Registers the Direct Line 3.0 subset that DirectLineJS and Web Chat use, plus our token route. */
export function registerDirectLineRoutes(server: Server, deps: DirectLineRoutesDeps): void {
  const { service } = deps;
  const wrap = (handler: Handler): Handler => withCors(handler);
  const caller = (req: Request) => service.authenticate(req.header('authorization'));
  const baseUrl = (req: Request) => baseUrlOf(req, deps.publicUrl);

  // Open on purpose: this server is the website back end of its own Web Chat page.
  server.post(
    '/api/directline/token',
    wrap(async (_req, res) => {
      const grant = await service.issueToken();
      res.send(200, {
        token: grant.token,
        conversationId: grant.conversationId,
        expires_in: grant.expires_in,
      });
    }),
  );
  server.post(
    `${base}/tokens/generate`,
    wrap(async (req, res) => {
      res.send(200, await service.generate(await caller(req), req.body));
    }),
  );
  server.post(
    `${base}/tokens/refresh`,
    wrap(async (req, res) => {
      res.send(200, await service.refresh(await caller(req)));
    }),
  );
  server.post(
    `${base}/conversations`,
    wrap(async (req, res) => {
      const { created, grant } = await service.start(await caller(req), req.body, baseUrl(req));
      res.send(created ? 201 : 200, grant);
    }),
  );
  server.get(
    conversation,
    wrap(async (req, res) => {
      const watermark = queryOf(req, 'watermark');
      res.send(
        200,
        await service.reconnect(await caller(req), param(req), watermark, baseUrl(req)),
      );
    }),
  );
  server.get(
    `${conversation}/activities`,
    wrap(async (req, res) => {
      const watermark = queryOf(req, 'watermark');
      res.send(200, await service.activitiesAfter(await caller(req), param(req), watermark));
    }),
  );
  server.post(
    `${conversation}/activities`,
    wrap(async (req, res) => {
      res.send(200, await service.post(await caller(req), param(req), req.body, baseUrl(req)));
    }),
  );
  server.post(
    `${conversation}/upload`,
    wrap(async (_req, res) => {
      await Promise.resolve();
      res.send(
        400,
        errorBody('InvalidInput', 'File upload is not supported by this Direct Line endpoint'),
      );
    }),
  );
}

/**
 * Pages on other sites may run their own Web Chat against this endpoint. Any origin is fine:
 * requests carry a bearer token, never cookies, so CORS protects nothing here.
 */
function withCors(handler: Handler): Handler {
  return async (req, res) => {
    res.header('Access-Control-Allow-Origin', '*');
    await handler(req, res);
  };
}

const corsPaths = [
  '/api/directline/token',
  `${base}/tokens/generate`,
  `${base}/tokens/refresh`,
  `${base}/conversations`,
  conversation,
  `${conversation}/activities`,
  `${conversation}/upload`,
];

/** Answers CORS preflights (Authorization and JSON bodies make every call "non-simple"). */
export function registerCorsPreflight(server: Server): void {
  for (const path of corsPaths) {
    server.opts(path, async (_req: Request, res: Response) => {
      await Promise.resolve();
      res.writeHead(204, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers':
          'Authorization, Content-Type, X-Requested-With, x-ms-bot-agent',
        'Access-Control-Max-Age': '600',
      });
      res.end();
    });
  }
}

/** Direct Line's error shape. */
const errorBody = (code: string, message: string) => ({ error: { code, message } });

function param(req: Request): string {
  const value: unknown = (req.params as Record<string, unknown> | undefined)?.conversationId;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    throw new DirectLineError('InvalidInput', 'conversationId in the URL is missing or too long');
  }
  return value;
}

function queryOf(req: Request, name: string): string | undefined {
  return new URL(req.url ?? '/', 'http://local').searchParams.get(name) ?? undefined;
}

/** The configured public URL, else what the client used to reach us (so a browser gets a reachable stream URL). */
export function baseUrlOf(req: Request, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const proto = req.header('x-forwarded-proto') === 'https' ? 'https' : 'http';
  const given = req.header('host');
  const host = given && /^[A-Za-z0-9.\-:[\]]{1,255}$/.test(given) ? given : 'localhost';
  return `${proto}://${host}`;
}
