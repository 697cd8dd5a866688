import type { Request, Server } from 'restify';
import pino from 'pino';
import { createHttpEdge } from '../../../bot/infrastructure/httpEdge';
import { registerHandoffRoutes, type RouteAuth } from '../../../handoff/console/routes';
import type { Principal, Role } from '../../../handoff/types';
import type { Harness } from '../handoffHarness';

/** Fake auth port: "Bearer <principal id>" of a known principal; roles enforced like the real one. */
export class FakeAuth implements RouteAuth {
  constructor(private readonly principals: readonly Principal[]) {}
  require(req: Request, roles: Role[]): Promise<Principal> {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const who = this.principals.find((p) => p.id === token);
    if (!who)
      return Promise.reject(
        Object.assign(new Error('missing or unknown token'), { code: 'unauthorized' }),
      );
    if (!roles.includes(who.role))
      return Promise.reject(Object.assign(new Error('role may not'), { code: 'forbidden' }));
    return Promise.resolve(who);
  }
}

export interface RouteServer {
  url: string;
  server: Server;
  call(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** A real restify server on port 0 with the app's HTTP edge (parsing and the error mapper). */
export async function startRouteServer(
  h: Harness,
  principals: readonly Principal[],
  suggestions?: Parameters<typeof registerHandoffRoutes>[1]['suggestions'],
): Promise<RouteServer> {
  const server = createHttpEdge({ logger: pino({ level: 'silent' }), maxBodyBytes: 1024 * 1024 });
  registerHandoffRoutes(server, {
    agents: h.agents,
    auth: new FakeAuth(principals),
    events: h.events,
    ...(suggestions ? { suggestions } : {}),
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    server,
    call: async (method, path, token, body) => {
      const res = await fetch(url + path, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined
          ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
          : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
