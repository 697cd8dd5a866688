import zlib from 'node:zlib';
import { Writable } from 'node:stream';
import knex from 'knex';
import pino from 'pino';
import type { Server } from 'restify';
import { createHttpEdge } from '../../../bot/infrastructure/httpEdge';
import { startAppHarness, type AppHarness } from '../../helpers/appHarness';
import { FakeConnector } from '../../helpers/fakeConnector';
import { rawRequest } from '../../helpers/rawHttp';

const json = { 'Content-Type': 'application/json' };
/** Library and runtime text that must never reach a client. */
const internals =
  /must be of type|allowInsecureConnection|ECONNREFUSED|Z_DATA_ERROR|incorrect header|\bat .+\(.+:\d+:\d+\)/;

describe('the HTTP edge of a running Askdesk (real server, CloudAdapter, SQLite)', () => {
  let h: AppHarness;
  const connector = new FakeConnector();
  let n = 0;
  const activity = (extra: Record<string, unknown> = {}) => ({
    type: 'message',
    id: `edge-${++n}`,
    text: 'What are your opening hours?',
    channelId: 'emulator',
    serviceUrl: connector.url,
    conversation: { id: `edge-conv-${n}` },
    from: { id: 'u1', name: 'Customer' },
    recipient: { id: 'askdesk', name: 'Askdesk' },
    locale: 'en-US',
    ...extra,
  });
  const post = (path: string, headers: Record<string, string>, body?: Buffer | string) =>
    rawRequest(h.app.url, 'POST', path, headers, body);

  beforeAll(async () => {
    await connector.start();
    h = await startAppHarness();
  }, 90_000);
  afterAll(async () => {
    await h?.close();
    await connector.stop();
  });

  it.each(['/api/messages', '/api/directline/token', '/api/kb/import'])(
    'answers a gzip header over a body that is not gzip on %s with 400, and keeps serving',
    async (path) => {
      const res = await post(path, { ...json, 'Content-Encoding': 'gzip' }, '{"a":1}');
      expect(res.status).toBe(400);
      // Direct Line paths wrap the same fields in {error: …}.
      expect(res.json.error ?? res.json).toMatchObject({
        code: 'invalid_body',
        field: 'Content-Encoding',
      });
      expect(res.text).not.toMatch(internals);
      expect((await rawRequest(h.app.url, 'GET', '/healthz', {})).status).toBe(200);
    },
  );

  it('reads a real gzip activity and answers it', async () => {
    const body = activity();
    const res = await post(
      '/api/messages',
      { ...json, 'Content-Encoding': 'gzip' },
      zlib.gzipSync(JSON.stringify(body)),
    );
    expect(res.status).toBe(200);
    expect(connector.messagesFor(body.conversation.id).length).toBeGreaterThan(0);
  });

  it.each([
    ['broken JSON', json, '{"type": "message",', 400, 'invalid_json'],
    [
      'an unknown charset',
      { 'Content-Type': 'application/json; charset=klingon' },
      '{}',
      415,
      'unsupported_charset',
    ],
    ['a brotli body', { ...json, 'Content-Encoding': 'br' }, '{}', 415, 'unsupported_encoding'],
    ['bytes that are not UTF-8', json, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 400, 'invalid_body'],
    ['2 MB of JSON', json, `"${'x'.repeat(2 * 1024 * 1024)}"`, 413, 'body_too_large'],
    [
      'a small gzip that inflates past the limit',
      { ...json, 'Content-Encoding': 'gzip' },
      zlib.gzipSync(Buffer.alloc(5 * 1024 * 1024, 0x20)),
      413,
      'body_too_large',
    ],
  ])('answers %s with a 4xx naming the problem', async (_what, headers, body, status, code) => {
    const res = await post('/api/messages', headers, body);
    expect(res.status).toBe(status);
    expect(res.json).toMatchObject({ code });
    expect(res.json.message).toEqual(expect.any(String));
    expect(res.text).not.toMatch(internals);
  });

  it('decodes a body in the charset its Content-Type names', async () => {
    const body = activity({ text: 'Où êtes-vous ?' });
    const res = await post(
      '/api/messages',
      { 'Content-Type': 'application/json; charset=latin1' },
      Buffer.from(JSON.stringify(body), 'latin1'),
    );
    expect(res.status).toBe(200);
  });

  it.each([
    ['from.name', { from: { id: 'u1', name: false } }],
    ['id', { id: 42 }],
    ['serviceUrl', { serviceUrl: 'ftp://example.com/bot' }],
    ['serviceUrl', { serviceUrl: 'javascript:alert(1)' }],
    ['conversation.id', { conversation: { id: 7 } }],
    ['recipient.name', { recipient: { id: 'bot', name: ['x'] } }],
  ])(
    'answers an activity with a bad %s with 400 naming it, never internals',
    async (field, extra) => {
      const res = await post('/api/messages', json, JSON.stringify(activity(extra)));
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: 'invalid_activity', field });
      expect(res.json.message).toContain(field);
      expect(res.text).not.toMatch(internals);
    },
  );

  it('answers an invoke it does not handle with 200 and a 501 invoke response', async () => {
    const res = await post(
      '/api/messages',
      json,
      JSON.stringify(activity({ type: 'invoke', name: 'composeExtension/query', value: {} })),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 501, body: { code: 'invoke_not_supported' } });
  });

  it('answers an unknown route with 404 in the same shape', async () => {
    const res = await rawRequest(h.app.url, 'GET', '/api/nothing-here', {});
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ code: 'not_found', message: expect.any(String) });
  });
});

describe('the one error mapper (createHttpEdge with routes that fail)', () => {
  let server: Server;
  let url: string;
  const lines: string[] = [];
  const unreachable = knex({
    client: 'pg',
    connection: 'postgres://postgres@127.0.0.1:1/none',
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 5000,
  });

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    server = createHttpEdge({ logger: pino({ level: 'info' }, sink), maxBodyBytes: 1024 });
    server.get('/boom', async () => {
      await Promise.resolve();
      throw new TypeError('secret internal detail: cannot read x of undefined');
    });
    server.get('/db', async (_req, res) => {
      await unreachable.raw('select 1');
      res.send(200, {});
    });
    server.get('/v3/directline/boom', async () => {
      await Promise.resolve();
      throw new Error('secret');
    });
    server.post('/conflict', async () => {
      await Promise.resolve();
      throw Object.assign(new Error('ticket t1 is assigned to Avi — reload it'), {
        code: 'conflict',
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${server.address().port}`;
  });
  afterAll(async () => {
    await unreachable.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers an unknown error with 500 {code, ref} and logs the cause under that ref as one JSON line', async () => {
    const res = await rawRequest(url, 'GET', '/boom', {});
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ code: 'internal', ref: expect.stringMatching(/^[0-9a-f]{12}$/) });
    const logged = lines.map((l) => JSON.parse(l) as Record<string, any>);
    const entry = logged.find((l) => l.ref === res.json.ref);
    expect(entry?.err?.message).toContain('secret internal detail');
    expect(entry?.err?.stack).toContain('TypeError');
  });

  it('answers a database that refuses connections with a retryable 503 and no internals', async () => {
    const res = await rawRequest(url, 'GET', '/db', {});
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ code: 'database_unavailable', retryable: true });
    expect(res.headers['retry-after']).toBe('5');
    expect(res.text).not.toMatch(internals);
  });

  it('keeps a coded error’s status and message', async () => {
    const res = await rawRequest(url, 'POST', '/conflict', {});
    expect(res.status).toBe(409);
    expect(res.json).toEqual({
      code: 'conflict',
      message: 'ticket t1 is assigned to Avi — reload it',
    });
  });

  it('uses Direct Line’s {error:{code,message}} shape on Direct Line paths', async () => {
    const res = await rawRequest(url, 'GET', '/v3/directline/boom', {});
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { code: 'internal', ref: expect.any(String) } });
  });
});
