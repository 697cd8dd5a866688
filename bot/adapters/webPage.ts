import fs from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';

/**
 * A browser page built by scripts/buildWeb.mjs: its HTML, the only assets it may load and its
 * Content-Security-Policy. Modules describe their pages as data (handoff's console, knowledge's
 * editor, the customer chat) and `registerWebPage` serves them all the same way.
 */
export interface WebPage {
  /** Route of the page, e.g. '/agent'. */
  route: string;
  /** The HTML file in the build directory. */
  file: string;
  /** Route prefix of the assets: each one is served at `${assetRoute}/${name}`. */
  assetRoute: string;
  /** Asset file names → content type. Nothing else in (or outside) the build dir is reachable. */
  assets: Readonly<Record<string, string>>;
  csp: string;
  /** May other sites frame the page? Only the embeddable customer chat says yes. */
  frameable: boolean;
  /** Cache-Control for the assets. */
  assetCaching: string;
}

/** Serves `page` and its assets from `webDir`; a missing build answers 503 naming the fix. */
export function registerWebPage(server: Server, webDir: string, page: WebPage): void {
  server.get(page.route, async (_req: Request, res: Response) => {
    await sendFile(res, path.join(webDir, page.file), 'text/html; charset=utf-8', {
      'Cache-Control': 'no-store',
      'Content-Security-Policy': page.csp,
      ...(page.frameable ? {} : { 'X-Frame-Options': 'DENY' }),
    });
  });
  server.get(`${page.assetRoute}/:file`, async (req: Request, res: Response) => {
    const param: unknown = (req.params as Record<string, unknown>).file;
    const file = typeof param === 'string' ? param : '';
    const type = Object.hasOwn(page.assets, file) ? page.assets[file] : undefined;
    if (!type) {
      res.send(404, { code: 'not_found', message: `No asset named "${file}" for ${page.route}` });
      return;
    }
    await sendFile(res, path.join(webDir, file), type, { 'Cache-Control': page.assetCaching });
  });
}

async function sendFile(
  res: Response,
  file: string,
  type: string,
  headers: Record<string, string>,
): Promise<void> {
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
    ...headers,
  });
  res.end(body);
}
