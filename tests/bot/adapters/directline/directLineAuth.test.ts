import { WebSocket } from 'ws';
import { startDirectLineTestServer, type DirectLineTestServer } from './directLineTestServer';

let server: DirectLineTestServer;
beforeAll(async () => {
  server = await startDirectLineTestServer(undefined, {
    secret: 'website-secret',
    tokenTtlSeconds: 600,
  });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.clock.offsetMs = 0;
});

interface Grant {
  token: string;
  conversationId: string;
  expires_in: number;
  streamUrl?: string;
}

async function call(method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

const errorCode = (body: Record<string, unknown>) => (body.error as { code: string }).code;

async function startedConversation(): Promise<Grant> {
  const issued = await call('POST', '/api/directline/token');
  expect(issued.status).toBe(200);
  const started = await call(
    'POST',
    '/v3/directline/conversations',
    (issued.body as unknown as Grant).token,
    {},
  );
  expect(started.status).toBe(201);
  return started.body as unknown as Grant;
}

describe('Direct Line tokens', () => {
  it('issues a token for one new conversation with the documented shape', async () => {
    const { status, body } = await call('POST', '/api/directline/token');
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['conversationId', 'expires_in', 'token']);
    expect(body.expires_in).toBe(600);
  });

  it('answers 403 when a token is used on another conversation', async () => {
    const a = await startedConversation();
    const b = await startedConversation();
    const read = await call(
      'GET',
      `/v3/directline/conversations/${b.conversationId}/activities`,
      a.token,
    );
    expect(read.status).toBe(403);
    expect(errorCode(read.body)).toBe('WrongConversation');
    const write = await call(
      'POST',
      `/v3/directline/conversations/${b.conversationId}/activities`,
      a.token,
      {
        type: 'message',
        text: 'hi',
      },
    );
    expect(write.status).toBe(403);
  });

  it('answers 401 without a token and 403 for a forged one', async () => {
    const a = await startedConversation();
    expect(
      (await call('GET', `/v3/directline/conversations/${a.conversationId}/activities`)).status,
    ).toBe(401);
    const forged = `${a.token.slice(0, -4)}AAAA`;
    const res = await call(
      'GET',
      `/v3/directline/conversations/${a.conversationId}/activities`,
      forged,
    );
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe('BadToken');
  });

  it('expires tokens after their lifetime, and refresh gives a working new one before that', async () => {
    const a = await startedConversation();
    server.clock.offsetMs = 300_000;
    const refreshed = await call('POST', '/v3/directline/tokens/refresh', a.token);
    expect(refreshed.status).toBe(200);
    const fresh = refreshed.body as unknown as Grant;
    expect(fresh.conversationId).toBe(a.conversationId);
    server.clock.offsetMs = 601_000;
    const expired = await call(
      'GET',
      `/v3/directline/conversations/${a.conversationId}/activities`,
      a.token,
    );
    expect(expired.status).toBe(403);
    expect(errorCode(expired.body)).toBe('TokenExpired');
    expect((await call('POST', '/v3/directline/tokens/refresh', a.token)).status).toBe(403);
    const stillValid = await call(
      'GET',
      `/v3/directline/conversations/${a.conversationId}/activities`,
      fresh.token,
    );
    expect(stillValid.status).toBe(200);
  });

  it('generates tokens only with the website secret', async () => {
    const generated = await call('POST', '/v3/directline/tokens/generate', 'website-secret', {
      user: { id: 'u-42' },
    });
    expect(generated.status).toBe(200);
    const grant = generated.body as unknown as Grant;
    const a = await startedConversation();
    const withToken = await call('POST', '/v3/directline/tokens/generate', a.token);
    expect(withToken.status).toBe(403);
    expect((await call('POST', '/v3/directline/tokens/generate', 'wrong-secret')).status).toBe(403);
    const started = await call('POST', '/v3/directline/conversations', grant.token);
    expect(started.status).toBe(201);
    expect((started.body as unknown as Grant).conversationId).toBe(grant.conversationId);
    const again = await call('POST', '/v3/directline/conversations', grant.token);
    expect(again.status).toBe(200);
  });

  it('keeps the conversation token out of the stream URL', async () => {
    const a = await startedConversation();
    expect(a.streamUrl).toMatch(
      /^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/.+\/stream\?t=/,
    );
    expect(a.streamUrl).not.toContain(a.token);
  });
});

describe('Direct Line input', () => {
  it('rejects a bad watermark and an activity without a type, naming the field', async () => {
    const a = await startedConversation();
    const path = `/v3/directline/conversations/${a.conversationId}/activities`;
    const badMark = await call('GET', `${path}?watermark=abc`, a.token);
    expect(badMark.status).toBe(400);
    expect(JSON.stringify(badMark.body)).toContain('watermark');
    const noType = await call('POST', path, a.token, { text: 'hi' });
    expect(noType.status).toBe(400);
    expect(JSON.stringify(noType.body)).toContain('type');
    expect(
      (await call('GET', `/v3/directline/conversations/unknown/activities`, a.token)).status,
    ).toBe(403);
  });
});

describe('Direct Line stream', () => {
  function openStatus(url: string): Promise<number> {
    return new Promise((resolve) => {
      const ws = new WebSocket(url);
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
  }

  it('refuses a stream ticket for another conversation and a conversation token as ticket', async () => {
    const a = await startedConversation();
    const b = await startedConversation();
    expect(await openStatus(a.streamUrl!)).toBe(101);
    const crossed = a.streamUrl!.replace(a.conversationId, b.conversationId);
    expect(await openStatus(crossed)).toBe(403);
    const withToken = a.streamUrl!.replace(/t=[^&]+/, `t=${a.token}`);
    expect(await openStatus(withToken)).toBe(403);
  });
});

describe('Direct Line connector routes', () => {
  it('accepts a bot reply posted over HTTP from this machine', async () => {
    const a = await startedConversation();
    const sent = await call(
      'POST',
      `/directline-connector/v3/conversations/${a.conversationId}/activities`,
      undefined,
      {
        type: 'message',
        text: 'proactive hello',
        from: { id: 'askdesk', role: 'bot' },
      },
    );
    expect(sent.status).toBe(200);
    const read = await call(
      'GET',
      `/v3/directline/conversations/${a.conversationId}/activities`,
      a.token,
    );
    const activities = read.body.activities as Array<{ text?: string; id: string }>;
    expect(activities.map((x) => x.text)).toContain('proactive hello');
    expect(activities.find((x) => x.text === 'proactive hello')?.id).toBe(
      (sent.body as { id: string }).id,
    );
  });
});

describe('Direct Line from other sites', () => {
  it('answers CORS preflights and marks responses readable by any origin', async () => {
    const a = await startedConversation();
    const path = `${server.url}/v3/directline/conversations/${a.conversationId}/activities`;
    const preflight = await fetch(path, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://shop.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const read = await fetch(path, {
      headers: { Authorization: `Bearer ${a.token}`, Origin: 'https://shop.example' },
    });
    expect(read.headers.get('access-control-allow-origin')).toBe('*');
  });
});
