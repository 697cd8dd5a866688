import { AgentStore, PRESENCE_TIMEOUT_MS } from '../../../handoff/store/agentStore';
import { testDialects } from '../../helpers/testDb';
import { alice, bob, createHarness, openInput, rejection, type Harness } from '../handoffHarness';
import { startRouteServer, type RouteServer } from '../console/routeServer';

/** Reads an SSE response until the server's greeting, then leaves the stream open. */
async function openStream(url: string, token: string): Promise<AbortController> {
  const abort = new AbortController();
  const res = await fetch(`${url}/api/handoff/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes(': connected')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended early: ${text}`);
    text += new TextDecoder().decode(value);
  }
  return abort;
}

describe.each(testDialects())('agent presence from console heartbeats on %s', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  const statusOf = async (id: string) =>
    (await h.agents.listAgents()).find((a) => a.id === id)?.status;

  it('turns an agent whose console went quiet offline after a minute; a heartbeat keeps them', async () => {
    h = await createHarness(dialect);
    await h.agents.setPresence(alice, { status: 'online' });
    await h.agents.setPresence(bob, { status: 'online' });
    h.clock.advance(40_000);
    await h.agents.heartbeat(alice);
    h.clock.advance(PRESENCE_TIMEOUT_MS - 40_000 + 1);
    expect(await statusOf('u-alice')).toBe('online');
    expect(await statusOf('u-bob')).toBe('offline');
    h.clock.advance(40_000);
    expect(await statusOf('u-alice')).toBe('offline');
    // The console comes back: the agent is present as they chose, without choosing again.
    await h.agents.heartbeat(alice);
    expect(await statusOf('u-alice')).toBe('online');
  });

  it('keeps "away" and "offline" as chosen while seen, and needs a presence before a heartbeat', async () => {
    h = await createHarness(dialect);
    expect((await rejection(h.agents.heartbeat(alice))).code).toBe('not_found');
    await h.agents.setPresence(alice, { status: 'away' });
    await h.agents.setPresence(bob, { status: 'offline' });
    h.clock.advance(30_000);
    await h.agents.heartbeat(alice);
    await h.agents.heartbeat(bob);
    expect(await statusOf('u-alice')).toBe('away');
    expect(await statusOf('u-bob')).toBe('offline');
  });

  it('reads an agent stored "online" but unseen as offline after a restart', async () => {
    h = await createHarness(dialect);
    await h.agents.setPresence(alice, { status: 'online' });
    const later = new Date(h.clock.now().getTime() + 2 * PRESENCE_TIMEOUT_MS);
    const afterRestart = new AgentStore(h.testDb.db, () => later);
    expect(await afterRestart.find('u-alice')).toMatchObject({ status: 'offline' });
    const row = await h.testDb.db('handoff_agents').where({ agent_id: 'u-alice' }).first();
    expect(row).toMatchObject({ status: 'online', last_seen_at: '2026-11-23T10:00:00.000Z' });
  });

  it('estimates waits with present agents only', async () => {
    h = await createHarness(dialect);
    await h.agents.setPresence(alice, { status: 'online', capacity: 3 });
    await h.handoff.openTicket(openInput('waiting-1'));
    await h.agents.setPresence(bob, { status: 'online', capacity: 1 });
    const withBoth = (await h.handoff.status('waiting-1'))!.etaSeconds!;
    h.clock.advance(PRESENCE_TIMEOUT_MS + 1);
    await h.agents.heartbeat(bob);
    const withBob = (await h.handoff.status('waiting-1'))!.etaSeconds!;
    expect(withBob).toBe(withBoth * 4);
    h.clock.advance(PRESENCE_TIMEOUT_MS + 1);
    // Nobody present: no number of minutes is promised.
    expect((await h.handoff.status('waiting-1'))!.etaSeconds).toBeNull();
  });

  it('auto-assigns to present agents only', async () => {
    h = await createHarness(dialect, { autoAssign: true });
    await h.agents.setPresence(alice, { status: 'online' });
    h.clock.advance(PRESENCE_TIMEOUT_MS + 1);
    await h.handoff.openTicket(openInput('auto-1'));
    expect((await h.worker.tick()).autoAssigned).toBe(0);
    await h.agents.heartbeat(alice);
    expect((await h.worker.tick()).autoAssigned).toBe(1);
    expect((await h.handoff.status('auto-1'))?.agentName).toBe('Alice');
  });

  describe('over HTTP', () => {
    let api: RouteServer;
    afterEach(async () => {
      await api.close();
    });

    it('counts an open console event stream and POST …/me/heartbeat as signs of life', async () => {
      h = await createHarness(dialect);
      api = await startRouteServer(h, [alice, bob]);
      expect((await api.call('POST', '/api/handoff/agents/me/heartbeat', 'u-alice')).status).toBe(
        404,
      );
      await h.agents.setPresence(alice, { status: 'online' });
      await h.agents.setPresence(bob, { status: 'online' });
      h.clock.advance(PRESENCE_TIMEOUT_MS + 1);
      expect(await statusOf('u-alice')).toBe('offline');
      const beat = await api.call('POST', '/api/handoff/agents/me/heartbeat', 'u-alice');
      expect(beat).toMatchObject({ status: 200, body: { id: 'u-alice', status: 'online' } });
      const stream = await openStream(api.url, 'u-bob');
      expect(await statusOf('u-bob')).toBe('online');
      stream.abort();
    });
  });
});
