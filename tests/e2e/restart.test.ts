import { createUser } from '../../bot/users/userStore';
import { callJson, customerSays, findTicket } from '../helpers/askdeskClient';
import { FakeConnector } from '../helpers/fakeConnector';
import { killAllServers, spawnServer, type ServerProcess } from '../helpers/serverProcess';
import { createTestDb, testDialects, type TestDb } from '../helpers/testDb';

interface Snapshot {
  id: string;
  status: string;
  waitingSince: string;
  position: number | null;
  assignedAgent: { id: string; name: string } | null;
  transcriptLength: number;
}

/** Issue 4 "Done when": tickets surviving `kill -9` of the real server process. */
describe.each(testDialects())('e2e on %s: tickets survive kill -9 of the server', (dialect) => {
  let testDb: TestDb;
  const connector = new FakeConnector();
  const run = `${dialect}-${Date.now()}`;
  const [waitingA, waitingB, assignedC] = [`kill-a-${run}`, `kill-b-${run}`, `kill-c-${run}`];
  const dbEnv = (): Record<string, string> =>
    testDb.settings.databaseUrl
      ? { DATABASE_URL: testDb.settings.databaseUrl }
      : { SQLITE_FILE: testDb.settings.sqliteFile };

  beforeAll(async () => {
    await connector.start();
    testDb = await createTestDb(dialect);
  });
  afterAll(async () => {
    await killAllServers();
    await connector.stop();
    await testDb?.destroy();
  });

  const snapshot = async (s: ServerProcess, token: string, id: string): Promise<Snapshot> => {
    const got = await callJson(s.url, 'GET', `/api/handoff/tickets/${id}`, { token });
    expect(got.status).toBe(200);
    const t = got.body;
    return {
      id: t.id,
      status: t.status,
      waitingSince: t.waitingSince,
      position: t.position,
      assignedAgent: t.assignedAgent,
      transcriptLength: t.transcript.length,
    };
  };

  it('keeps waiting and assigned tickets (same waitingSince, status, position); the agent still replies and resolves', async () => {
    const agent = await createUser(testDb.db, { name: 'Rafael Restart', role: 'agent' });
    const first = await spawnServer(dbEnv());
    for (const c of [assignedC, waitingA, waitingB]) {
      await customerSays(first.url, connector.url, c, 'agent');
      await connector.waitFor(c, (m) => /in the queue/.test(m.text ?? ''));
    }
    const ticketC = await findTicket(first.url, agent.token, assignedC);
    const claim = await callJson(first.url, 'POST', `/api/handoff/tickets/${ticketC.id}/claim`, {
      token: agent.token,
    });
    expect(claim.status).toBe(200);
    await connector.waitFor(assignedC, (m) => /Rafael Restart/.test(m.text ?? ''));
    const ids = {
      a: (await findTicket(first.url, agent.token, waitingA)).id as string,
      b: (await findTicket(first.url, agent.token, waitingB)).id as string,
      c: ticketC.id as string,
    };
    const before = await Promise.all(
      [ids.a, ids.b, ids.c].map((id) => snapshot(first, agent.token, id)),
    );
    expect(before.map((t) => [t.status, t.position])).toEqual([
      ['waiting', 1],
      ['waiting', 2],
      ['assigned', null],
    ]);

    await first.kill9();
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();
    const second = await spawnServer(dbEnv());

    const after = await Promise.all(
      [ids.a, ids.b, ids.c].map((id) => snapshot(second, agent.token, id)),
    );
    expect(after).toEqual(before);
    const listed = await callJson(second.url, 'GET', '/api/handoff/tickets?status=waiting', {
      token: agent.token,
    });
    expect(listed.body.tickets.map((t: { id: string }) => t.id)).toEqual([ids.a, ids.b]);

    const reply = await callJson(second.url, 'POST', `/api/handoff/tickets/${ids.c}/messages`, {
      token: agent.token,
      body: { text: 'Sorry, we had a short outage. Your order ships today.' },
    });
    expect(reply.status).toBe(201);
    await connector.waitFor(assignedC, (m) => (m.text ?? '').includes('Your order ships today'));
    const resolved = await callJson(second.url, 'POST', `/api/handoff/tickets/${ids.c}/resolve`, {
      token: agent.token,
    });
    expect(resolved.status).toBe(200);
    const summary = await connector.waitFor(assignedC, (m) => /is resolved/.test(m.text ?? ''));
    expect(summary.text).toContain(ticketC.reference);
    expect(summary.text).toContain('Rafael Restart');

    // A ticket that waited through the crash is served by the new process too.
    const claimA = await callJson(second.url, 'POST', `/api/handoff/tickets/${ids.a}/claim`, {
      token: agent.token,
    });
    expect(claimA.status).toBe(200);
    expect(claimA.body.waitingSince).toBe(before[0]!.waitingSince);
    await connector.waitFor(waitingA, (m) => /Rafael Restart/.test(m.text ?? ''));
    const b = await snapshot(second, agent.token, ids.b);
    expect(b).toMatchObject({
      status: 'waiting',
      position: 1,
      waitingSince: before[1]!.waitingSince,
    });
    await second.stop();
  }, 150_000);
});
