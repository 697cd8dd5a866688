import fs from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';

/**
 * Strict: only our own bundle runs (no inline scripts, no eval), the page cannot be framed, and
 * it talks only to this origin. Customer text is rendered by preact as text, never as HTML.
 */
export const agentConsoleCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const assets: Readonly<Record<string, string>> = Object.freeze({
  'agent.js': 'application/javascript; charset=utf-8',
  'agent.css': 'text/css; charset=utf-8',
});

export interface ConsolePageDeps {
  /** The build output directory (scripts/buildWeb.mjs writes agent.html, agent.js, agent.css). */
  webDir: string;
}

/** Registers the agent console at `/agent` and its assets under `/agent/assets/`. */
export function registerConsolePage(server: Server, deps: ConsolePageDeps): void {
  server.get('/agent', async (_req: Request, res: Response) => {
    await sendFile(res, path.join(deps.webDir, 'agent.html'), 'text/html; charset=utf-8', true);
  });
  server.get('/agent/assets/:file', async (req: Request, res: Response) => {
    const param: unknown = (req.params as Record<string, unknown>).file;
    const file = typeof param === 'string' ? param : '';
    const type = Object.hasOwn(assets, file) ? assets[file] : undefined;
    if (!type) {
      res.send(404, { code: 'not_found', message: `No console asset named "${file}"` });
      return;
    }
    await sendFile(res, path.join(deps.webDir, file), type, false);
  });
}

async function sendFile(res: Response, file: string, type: string, isPage: boolean): Promise<void> {
  let body: Buffer;
  try {
    body = await fs.readFile(file);
  } catch {
    res.send(503, {
      code: 'not_built',
      message: `${path.basename(file)} is missing: run "npm run build"`,
    });
    return;
  }
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.length,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': isPage ? 'no-store' : 'no-cache',
    ...(isPage ? { 'Content-Security-Policy': agentConsoleCsp, 'X-Frame-Options': 'DENY' } : {}),
  });
  res.end(body);
}
