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

/** The agent console at `/agent`, as built by scripts/buildWeb.mjs; bot/ serves it. */
export const consolePage = Object.freeze({
  route: '/agent',
  file: 'agent.html',
  assetRoute: '/agent/assets',
  assets: Object.freeze({
    'agent.js': 'application/javascript; charset=utf-8',
    'agent.css': 'text/css; charset=utf-8',
  }),
  csp: agentConsoleCsp,
  frameable: false,
  assetCaching: 'no-cache',
});
