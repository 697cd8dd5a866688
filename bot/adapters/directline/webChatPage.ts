import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { localesDir, t } from '../../conversation/replies';
import { registerWebPage, type WebPage } from '../webPage';

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

/** Web Chat at `/`, from the build output (scripts/buildWeb.mjs). */
export const customerPage: WebPage = Object.freeze({
  route: '/',
  file: 'customer.html',
  assetRoute: '/web',
  assets: Object.freeze({
    'webchat.js': 'application/javascript; charset=utf-8',
    'customer.js': 'application/javascript; charset=utf-8',
    'customer.css': 'text/css; charset=utf-8',
    'embed.js': 'application/javascript; charset=utf-8',
  }),
  csp: customerPageCsp,
  // The embed snippet shows the page in an iframe on the customer's website.
  frameable: true,
  assetCaching: 'public, max-age=300',
});

export interface WebChatPageDeps {
  /** The build output directory holding customer.html and its assets. */
  webDir: string;
  /** Locales offered by the picker, e.g. config.SUPPORTED_LOCALES; the first is the default. */
  locales: readonly string[];
}

/** The page's own words in one locale, and Web Chat's strings in the bot's informal register. */
export interface PageTexts {
  pageTitle: string;
  languageLabel: string;
  webChat: Record<string, string>;
}

export function pageTexts(locales: readonly string[]): Record<string, PageTexts> {
  const file = path.join(localesDir(), 'webchat.json');
  const overrides = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, string>>)
    : {};
  return Object.fromEntries(
    locales.map((locale) => [
      locale,
      {
        pageTitle: t(locale, 'pageTitle'),
        languageLabel: t(locale, 'languageLabel'),
        webChat: overrides[locale] ?? {},
      },
    ]),
  );
}

/** Registers `/` (Web Chat), its assets under `/web/`, and `/web/settings.json` for the picker. */
export function registerWebChatPage(server: Server, deps: WebChatPageDeps): void {
  // Browsers ask for it on every page; an empty answer beats a 404 in every console.
  server.get('/favicon.ico', async (_req: Request, res: Response) => {
    await Promise.resolve();
    res.send(204);
  });
  const texts = pageTexts(deps.locales);
  server.get('/web/settings.json', async (_req: Request, res: Response) => {
    await Promise.resolve();
    res.send(200, { locales: deps.locales, texts });
  });
  registerWebPage(server, deps.webDir, customerPage);
}
