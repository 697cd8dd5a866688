import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import restify, { type Server } from 'restify';
import { editorPage, editorPageCsp } from '../../../knowledge/editor/editorPage';
import { registerWebPage } from '../../../bot/adapters/webPage';

async function serve(webDir: string): Promise<{ url: string; server: Server }> {
  const server = restify.createServer();
  registerWebPage(server, webDir, editorPage);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, server };
}

describe('the editor page route', () => {
  let dir: string;
  let url: string;
  let server: Server;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askdesk-editor-'));
    fs.writeFileSync(path.join(dir, 'editor.html'), '<!doctype html><title>editor</title>');
    fs.writeFileSync(path.join(dir, 'editor.js'), 'void 0;');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'not for the browser');
    ({ url, server } = await serve(dir));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page with a strict Content-Security-Policy that allows no inline script', async () => {
    const res = await fetch(`${url}/editor`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(editorPageCsp);
    expect(editorPageCsp).toContain("script-src 'self'");
    expect(editorPageCsp).not.toContain('unsafe');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('serves the bundle with its type and nosniff', async () => {
    const res = await fetch(`${url}/editor/assets/editor.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('void 0;');
  });

  it.each(['secret.txt', '..%2Fpackage.json', 'editor.html', 'constructor'])(
    'answers 404 for the unlisted asset %p',
    async (file) => {
      const res = await fetch(`${url}/editor/assets/${file}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'not_found' });
    },
  );

  it('answers 503 with "run npm run build" when a listed asset was not built', async () => {
    const res = await fetch(`${url}/editor/assets/editor.css`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      code: 'not_built',
      message: 'editor.css is missing: run "npm run build"',
    });
  });
});
