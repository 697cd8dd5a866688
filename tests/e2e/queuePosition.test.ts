import { startAppHarness, type AppHarness } from '../helpers/appHarness';
import { customerSays } from '../helpers/askdeskClient';
import { FakeConnector } from '../helpers/fakeConnector';
import { testDialects } from '../helpers/testDb';

interface ListedTicket {
  id: string;
  conversationId: string;
  status: string;
  position: number | null;
  etaSeconds: number | null;
  waitingSince: string;
  reference: string;
}

/** Issue 4 "Done when": a ticket's position/etaSeconds, and the customer receiving their position. */
describe.each(testDialects())('e2e on %s: queue position and ETA over HTTP', (dialect) => {
  let h: AppHarness;
  const connector = new FakeConnector();
  let agent: { token: string };
  const run = `${dialect}-${Date.now()}`;
  const [c1, c2, c3] = [`pos-1-${run}`, `pos-2-${run}`, `pos-3-${run}`] as const;
  const say = (conversationId: string, text: string) =>
    customerSays(h.app.url, connector.url, conversationId, text);
  const texts = (conversationId: string) =>
    connector.messagesFor(conversationId).map((a) => a.text ?? '');
  const waiting = async (): Promise<ListedTicket[]> => {
    // The watcher's console keeps them present, as its heartbeat would.
    await h.call('POST', '/api/handoff/agents/me/heartbeat', { token: agent.token });
    const list = await h.call('GET', '/api/handoff/tickets?status=waiting', {
      token: agent.token,
    });
    expect(list.status).toBe(200);
    return list.body.tickets as ListedTicket[];
  };
  const byConversation = (tickets: ListedTicket[], conversationId: string): ListedTicket => {
    const found = tickets.find((t) => t.conversationId === conversationId);
    if (!found) throw new Error(`no waiting ticket for ${conversationId}`);
    return found;
  };

  beforeAll(async () => {
    await connector.start();
    h = await startAppHarness({ dialect });
    agent = await h.addUser('Queue Watcher', 'agent');
    // Estimates count only agents who are present: one is online from the start.
    const presence = await h.call('PUT', '/api/handoff/agents/me/presence', {
      token: agent.token,
      body: { status: 'online', capacity: 1 },
    });
    expect(presence.status).toBe(200);
  });
  afterAll(async () => {
    await h?.close();
    await connector.stop();
  });

  it('three customers who type "agent" are told places 1, 2, 3; the API lists them with etaSeconds', async () => {
    for (const [i, c] of [c1, c2, c3].entries()) {
      await say(c, 'agent');
      const told = await connector.waitFor(c, (a) => /number \d+ in the queue/.test(a.text ?? ''));
      expect(told.text).toContain(`You are number ${i + 1} in the queue`);
    }
    const tickets = await waiting();
    expect(tickets.map((t) => t.conversationId)).toEqual([c1, c2, c3]);
    expect(tickets.map((t) => t.position)).toEqual([1, 2, 3]);
    const etas = tickets.map((t) => t.etaSeconds);
    for (const eta of etas) expect(typeof eta).toBe('number');
    // position × median handle time ÷ online capacity: linear in the position.
    const unit = etas[0]!;
    expect(unit).toBeGreaterThan(0);
    expect(etas).toEqual([unit, 2 * unit, 3 * unit]);
    for (const t of tickets) {
      expect(t.status).toBe('waiting');
      expect(texts(t.conversationId).join('\n')).toContain(t.reference);
    }
  });

  it('when the second customer cancels, the third moves up (API) and is told; the first hears nothing new', async () => {
    await say(c2, 'cancel');
    await connector.waitFor(c2, (a) => /is cancelled/.test(a.text ?? ''));
    const tickets = await waiting();
    expect(tickets.map((t) => [t.conversationId, t.position])).toEqual([
      [c1, 1],
      [c3, 2],
    ]);
    const first = byConversation(tickets, c1);
    expect(byConversation(tickets, c3).etaSeconds).toBe(2 * first.etaSeconds!);

    const firstBefore = texts(c1).length;
    await h.app.worker.tick();
    const update = await connector.waitFor(c3, (a) => /^Update:/.test(a.text ?? ''));
    expect(update.text).toContain('you are now number 2 in the queue');
    await h.app.worker.tick();
    expect(texts(c3).filter((t) => t.startsWith('Update:'))).toHaveLength(1);
    expect(texts(c1)).toHaveLength(firstBefore);

    await say(c3, 'status');
    const status = await connector.waitFor(c3, (a) => /is waiting/.test(a.text ?? ''));
    expect(status.text).toContain('you are number 2 in the queue');
  });

  it('online agent capacity divides the ETA, and the changed ETA is news to waiting customers', async () => {
    const before = await waiting();
    for (const name of ['Online One', 'Online Two']) {
      const online = await h.addUser(name, 'agent');
      const presence = await h.call('PUT', '/api/handoff/agents/me/presence', {
        token: online.token,
        body: { status: 'online', capacity: 1 },
      });
      expect(presence.status).toBe(200);
    }
    const after = await waiting();
    for (const c of [c1, c3]) {
      expect(byConversation(after, c).position).toBe(byConversation(before, c).position);
      expect(byConversation(after, c).etaSeconds).toBe(byConversation(before, c).etaSeconds! / 3);
    }
    await h.app.worker.tick();
    const update = await connector.waitFor(c1, (a) => /^Update:/.test(a.text ?? ''));
    expect(update.text).toContain('you are now number 1 in the queue');
  });
});
