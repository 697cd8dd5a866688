import { createUser } from '../../bot/users/userStore';
import { callJson, customerSays, findTicket } from '../helpers/askdeskClient';
import { FakeConnector } from '../helpers/fakeConnector';
import { killAllServers, spawnServer, type ServerProcess } from '../helpers/serverProcess';
import { createTestDb, testDialects, type TestDb } from '../helpers/testDb';

const agentCount = 8;
const ticketCount = 4;

/** Issue 4 reliability: two server processes on one database never double-assign. */
describe.each(testDialects())('e2e on %s: two server processes, one database', (dialect) => {
  let testDb: TestDb;
  let servers: ServerProcess[] = [];
  const connector = new FakeConnector();
  const run = `${dialect}-${Date.now()}`;

  beforeAll(async () => {
    await connector.start();
    testDb = await createTestDb(dialect);
    const env: Record<string, string> = testDb.settings.databaseUrl
      ? { DATABASE_URL: testDb.settings.databaseUrl }
      : { SQLITE_FILE: testDb.settings.sqliteFile };
    servers = await Promise.all([spawnServer(env), spawnServer(env)]);
  }, 150_000);
  afterAll(async () => {
    if (process.env.E2E_SERVER_LOG_LEVEL)
      for (const s of servers) console.log(s.url, s.output().slice(-6000));
    await killAllServers();
    await connector.stop();
    await testDb?.destroy();
  });

  it(`${agentCount} agents claiming one ticket at once through both processes: exactly one 200, the rest 409 (${ticketCount} tickets)`, async () => {
    const agents = [];
    for (let i = 0; i < agentCount; i += 1)
      agents.push(await createUser(testDb.db, { name: `Racer ${i}`, role: 'agent' }));
    for (let n = 0; n < ticketCount; n += 1) {
      const conversationId = `race-${n}-${run}`;
      const entry = servers[n % 2]!;
      await customerSays(entry.url, connector.url, conversationId, 'agent');
      await connector.waitFor(conversationId, (m) => /in the queue/.test(m.text ?? ''));
      const ticket = await findTicket(servers[(n + 1) % 2]!.url, agents[0]!.token, conversationId);
      expect(ticket).toBeDefined();

      const claims = await Promise.all(
        agents.map((agent, i) =>
          callJson(servers[i % 2]!.url, 'POST', `/api/handoff/tickets/${ticket.id}/claim`, {
            token: agent.token,
          }),
        ),
      );
      const statuses = claims.map((c) => c.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(agentCount - 1);
      const winnerIndex = statuses.indexOf(200);
      const winner = agents[winnerIndex]!;
      for (const loser of claims.filter((c) => c.status === 409))
        expect(loser.body.code).toBe('conflict');

      for (const s of servers) {
        const seen = await callJson(s.url, 'GET', `/api/handoff/tickets/${ticket.id}`, {
          token: agents[0]!.token,
        });
        expect(seen.body).toMatchObject({
          status: 'assigned',
          assignedAgent: { id: winner.id, name: winner.name },
        });
      }
      await connector.waitFor(conversationId, (m) => /joined/.test(m.text ?? ''));
      const joined = connector
        .messagesFor(conversationId)
        .filter((m) => /joined/.test(m.text ?? ''));
      expect(joined).toHaveLength(1);
      expect(joined[0]!.text).toContain(winner.name);
    }
  }, 120_000);

  it('one customer asking for a person through both processes at once gets exactly one ticket', async () => {
    const watcher = await createUser(testDb.db, { name: 'Watcher', role: 'agent' });
    for (let n = 0; n < 3; n += 1) {
      const conversationId = `double-${n}-${run}`;
      await Promise.all(
        servers.map((s) => customerSays(s.url, connector.url, conversationId, 'agent')),
      );
      const open = await callJson(servers[0]!.url, 'GET', '/api/handoff/tickets?status=waiting', {
        token: watcher.token,
      });
      const mine = open.body.tickets.filter(
        (t: { conversationId: string }) => t.conversationId === conversationId,
      );
      expect(mine).toHaveLength(1);
      const said = connector.messagesFor(conversationId).map((m) => m.text ?? '');
      expect(said.filter((t) => /I'm connecting you/.test(t))).toHaveLength(1);
      // The other turn is answered too (already queued, or the waiting acknowledgement).
      expect(said.length).toBeGreaterThanOrEqual(2);
      expect(said.join('\n')).not.toContain('something went wrong');
    }
  }, 60_000);
});
