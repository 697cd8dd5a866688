import fs from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';

/**
 * Strict: only our own bundle runs (no inline scripts, no eval), the page cannot be framed, and
 * it talks only to this origin. Entry text is rendered by preact as text, never as HTML.
 */
export const editorPageCsp = [
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
  'editor.js': 'application/javascript; charset=utf-8',
  'editor.css': 'text/css; charset=utf-8',
});

export interface EditorPageDeps {
  /** The build output directory (scripts/buildWeb.mjs writes editor.html, editor.js, editor.css). */
  webDir: string;
}

/** Registers the knowledge editor at `/editor` and its assets under `/editor/assets/`. */
export function registerEditorPage(server: Server, deps: EditorPageDeps): void {
  server.get('/editor', async (_req: Request, res: Response) => {
    await sendFile(res, path.join(deps.webDir, 'editor.html'), 'text/html; charset=utf-8', true);
  });
  server.get('/editor/assets/:file', async (req: Request, res: Response) => {
    const param: unknown = (req.params as Record<string, unknown>).file;
    const file = typeof param === 'string' ? param : '';
    // Only the listed names: a request can never reach another file in (or outside) webDir.
    const type = Object.hasOwn(assets, file) ? assets[file] : undefined;
    if (!type) {
      res.send(404, { code: 'not_found', message: `No editor asset named "${file}"` });
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
    ...(isPage ? { 'Content-Security-Policy': editorPageCsp, 'X-Frame-Options': 'DENY' } : {}),
  });
  res.end(body);
}
