import http from 'node:http';
import { WebSocket } from 'ws';
import { createUser } from '../../bot/users/userStore';
import { callJson } from '../helpers/askdeskClient';
import { killAllServers, spawnServer, type ServerProcess } from '../helpers/serverProcess';
import { createTestDb, type TestDb } from '../helpers/testDb';

/** Opens the agent console's event stream and resolves once the server said "connected". */
async function openConsoleStream(
  url: string,
  token: string,
): Promise<{ ended: Promise<void>; response: http.IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${url}/api/handoff/events`,
      { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`event stream answered ${response.statusCode}`));
          return;
        }
        const ended = new Promise<void>((done) => response.once('close', () => done()));
        response.once('data', () => resolve({ ended, response }));
      },
    );
    req.on('error', reject);
  });
}

/** A Web Chat customer: a Direct Line conversation with its WebSocket open. */
async function openWebChat(url: string): Promise<{ socket: WebSocket; closed: Promise<number> }> {
  const issued = await callJson(url, 'POST', '/api/directline/token');
  expect(issued.status).toBe(200);
  const started = await fetch(`${url}/v3/directline/conversations`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${issued.body.token}` },
  });
  expect(started.status).toBe(201);
  const { streamUrl } = (await started.json()) as { streamUrl: string };
  const socket = new WebSocket(streamUrl);
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, closed };
}

/** A keep-alive connection left idle after one request, as browsers and proxies leave them. */
async function idleKeepAlive(url: string): Promise<{ closed: Promise<void> }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/healthz`, { agent }, (response) => {
      const closed = new Promise<void>((done) => response.socket.once('close', () => done()));
      response.resume();
      response.once('end', () => resolve({ closed }));
    });
    req.on('error', reject);
  });
}

describe('e2e: SIGTERM with consoles and Web Chats open', () => {
  let testDb: TestDb;
  let server: ServerProcess;

  beforeAll(async () => {
    testDb = await createTestDb('sqlite');
  });
  afterAll(async () => {
    await killAllServers();
    await testDb?.destroy();
  });

  it('closes the event stream, the WebSocket and idle connections, then exits with code 0', async () => {
    const agent = await createUser(testDb.db, { name: 'Sigrid Shutdown', role: 'agent' });
    server = await spawnServer(
      {
        SQLITE_FILE: testDb.settings.sqliteFile,
        MATCH_SENTENCE_ENCODER: 'off',
      },
      { startTimeoutMs: 150_000 },
    );
    const consoleStream = await openConsoleStream(server.url, agent.token);
    const webChat = await openWebChat(server.url);
    const keepAlive = await idleKeepAlive(server.url);

    server.signal('SIGTERM');
    const exit = await server.exited;

    expect({ exit, output: server.output().slice(-2000) }).toEqual({
      exit: { code: 0, signal: null },
      output: expect.any(String),
    });
    await consoleStream.ended;
    await keepAlive.closed;
    // 1001 "going away": the Web Chat reconnects elsewhere instead of reporting an error.
    expect(await webChat.closed).toBe(1001);
  }, 180_000); // Starting the server takes most of it on a busy machine.
});
