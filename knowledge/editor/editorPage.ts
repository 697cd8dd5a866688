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

/** The knowledge editor at `/editor`, as built by scripts/buildWeb.mjs; bot/ serves it. */
export const editorPage = Object.freeze({
  route: '/editor',
  file: 'editor.html',
  assetRoute: '/editor/assets',
  assets: Object.freeze({
    'editor.js': 'application/javascript; charset=utf-8',
    'editor.css': 'text/css; charset=utf-8',
  }),
  csp: editorPageCsp,
  frameable: false,
  assetCaching: 'no-cache',
});
