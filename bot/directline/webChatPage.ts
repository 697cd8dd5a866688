import fs from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';

/**
 * No inline scripts anywhere: script-src 'self'. Web Chat sets styles at run time (emotion),
 * hence 'unsafe-inline' for styles only. The customer page may be framed by any site, because
 * the embed snippet shows it in an iframe; restrict frame-ancestors at a proxy if needed.
 */
export const customerPageCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' data: blob:",
  "connect-src 'self' ws: wss:",
  "base-uri 'none'",
  "form-action 'none'",
  'frame-ancestors *',
].join('; ');

/** Files the customer page may load, from the build output (scripts/buildWeb.mjs). */
const assets: Readonly<Record<string, string>> = Object.freeze({
  'webchat.js': 'application/javascript; charset=utf-8',
  'customer.js': 'application/javascript; charset=utf-8',
  'customer.css': 'text/css; charset=utf-8',
  'embed.js': 'application/javascript; charset=utf-8',
});

export interface WebChatPageDeps {
  /** The build output directory holding customer.html and the assets above. */
  webDir: string;
  /** Locales offered by the picker, e.g. config.SUPPORTED_LOCALES; the first is the default. */
  locales: readonly string[];
}

/** Registers `/` (Web Chat), its assets under `/web/`, and `/web/settings.json` for the picker. */
export function registerWebChatPage(server: Server, deps: WebChatPageDeps): void {
  server.get('/', async (_req: Request, res: Response) => {
    await sendFile(res, path.join(deps.webDir, 'customer.html'), 'text/html; charset=utf-8', true);
  });
  // Browsers ask for it on every page; an empty answer beats a 404 in every console.
  server.get('/favicon.ico', async (_req: Request, res: Response) => {
    await Promise.resolve();
    res.send(204);
  });
  server.get('/web/settings.json', async (_req: Request, res: Response) => {
    await Promise.resolve();
    res.send(200, { locales: deps.locales });
  });
  server.get('/web/:file', async (req: Request, res: Response) => {
    const param: unknown = (req.params as Record<string, unknown>).file;
    const file = typeof param === 'string' ? param : '';
    const type = Object.hasOwn(assets, file) ? assets[file] : undefined;
    if (!type) {
      res.send(404, { error: { code: 'NotFound', message: `No asset named "${file}"` } });
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
      error: {
        code: 'NotBuilt',
        message: `${path.basename(file)} is missing: run "npm run build"`,
      },
    });
    return;
  }
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.length,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': isPage ? 'no-store' : 'public, max-age=300',
    ...(isPage ? { 'Content-Security-Policy': customerPageCsp } : {}),
  });
  res.end(body);
}
