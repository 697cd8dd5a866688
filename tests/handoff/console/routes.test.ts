import type { HandoffTicket } from '../../../handoff/types';
import { testDialects } from '../../helpers/testDb';
import { alice, bob, createHarness, openInput, sam, type Harness } from '../handoffHarness';
import { startRouteServer, type RouteServer } from './routeServer';

const errorOf = (res: { body: unknown }) => res.body as { code: string; message: string };

const editor = { id: 'u-ed', name: 'Ed', role: 'editor' as const };

describe.each(testDialects())('handoff routes on %s', (dialect) => {
  let h: Harness;
  let api: RouteServer;
  beforeEach(async () => {
    h = await createHarness(dialect);
    api = await startRouteServer(h, [alice, bob, sam, editor], {
      suggest: (text, locale) =>
        Promise.resolve(
          [{ id: 'kb1', question: `about ${text}`, answer: 'A', confidence: 0.9 }].map((s) => ({
            ...s,
            question: `${s.question} (${locale})`,
          })),
        ),
    });
  });
  afterEach(async () => {
    await api.close();
    await h.close();
  });

  it('answers 401 without a token and 403 for an editor', async () => {
    expect((await api.call('GET', '/api/handoff/tickets')).status).toBe(401);
    expect((await api.call('GET', '/api/handoff/tickets', editor.id)).status).toBe(403);
  });

  it('lists waiting tickets oldest first in the documented shape', async () => {
    await h.handoff.recordLine('c1', { role: 'customer', text: 'I need a human' });
    await h.handoff.openTicket(openInput('c1'));
    h.clock.advanceMinutes(2);
    await h.handoff.openTicket(openInput('c2'));
    const res = await api.call('GET', '/api/handoff/tickets?status=waiting', alice.id);
    expect(res.status).toBe(200);
    const { tickets } = res.body as { tickets: HandoffTicket[] };
    expect(tickets.map((t) => t.conversationId)).toEqual(['c1', 'c2']);
    // Nobody is present, so there is no number to promise.
    expect(tickets.map((t) => t.etaSeconds)).toEqual([null, null]);
    expect(tickets[0]).toMatchObject({
      status: 'waiting',
      reason: 'requested',
      locale: 'en',
      question: 'help me (c1)',
      waitingSince: '2026-11-23T10:00:00.000Z',
      waitingSeconds: 120,
      position: 1,
      assignedAgent: null,
      afterHours: false,
      csat: null,
      transcript: [{ role: 'customer', text: 'I need a human', at: '2026-11-23T10:00:00.000Z' }],
    });
  });

  it('rejects an unknown status filter naming the parameter', async () => {
    const res = await api.call('GET', '/api/handoff/tickets?status=open', alice.id);
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('invalid_input');
    expect(errorOf(res).message).toContain('"status"');
  });

  it('returns one ticket, 404 for an unknown id and 400 for a malformed one', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('c3'));
    expect(await api.call('GET', `/api/handoff/tickets/${ticket.id}`, alice.id)).toMatchObject({
      status: 200,
      body: { id: ticket.id },
    });
    expect((await api.call('GET', '/api/handoff/tickets/does-not-exist', alice.id)).status).toBe(
      404,
    );
    expect(
      (await api.call('GET', `/api/handoff/tickets/${encodeURIComponent('bad id!')}`, alice.id))
        .status,
    ).toBe(400);
  });

  it('lets one agent claim (200) and the other gets 409', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('c4'));
    const [a, b] = await Promise.all([
      api.call('POST', `/api/handoff/tickets/${ticket.id}/claim`, alice.id),
      api.call('POST', `/api/handoff/tickets/${ticket.id}/claim`, bob.id),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? a : b;
    const winnerId = a.status === 200 ? alice.id : bob.id;
    expect(winner.body).toMatchObject({ status: 'assigned', assignedAgent: { id: winnerId } });
  });

  it('relays an agent message (201) and resolves (200), the customer hearing both', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('c5'));
    await api.call('POST', `/api/handoff/tickets/${ticket.id}/claim`, alice.id);
    const msg = await api.call('POST', `/api/handoff/tickets/${ticket.id}/messages`, alice.id, {
      text: 'Hello from Alice',
    });
    expect(msg.status).toBe(201);
    const resolved = await api.call('POST', `/api/handoff/tickets/${ticket.id}/resolve`, alice.id, {
      outcome: 'fixed',
    });
    expect(resolved).toMatchObject({ status: 200, body: { status: 'resolved', outcome: 'fixed' } });
    expect(h.notifier.sent.map((s) => s.notice)).toEqual([
      { kind: 'agentJoined', agentName: 'Alice' },
      { kind: 'agentMessage', agentId: 'u-alice', agentName: 'Alice', text: 'Hello from Alice' },
      { kind: 'resolved', reference: ticket.reference, agentName: 'Alice', outcome: 'fixed' },
    ]);
  });

  it('resolves with an empty body too', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('c5b'));
    await api.call('POST', `/api/handoff/tickets/${ticket.id}/claim`, alice.id);
    expect(
      (await api.call('POST', `/api/handoff/tickets/${ticket.id}/resolve`, alice.id)).status,
    ).toBe(200);
  });

  it('validates message bodies, naming the field', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('c6'));
    await api.call('POST', `/api/handoff/tickets/${ticket.id}/claim`, alice.id);
    const missing = await api.call(
      'POST',
      `/api/handoff/tickets/${ticket.id}/messages`,
      alice.id,
      {},
    );
    expect(missing.status).toBe(400);
    expect(errorOf(missing).message).toContain('"text"');
    const notJson = await api.call(
      'POST',
      `/api/handoff/tickets/${ticket.id}/messages`,
      alice.id,
      '{oops',
    );
    expect(notJson.status).toBe(400);
    const empty = await api.call('POST', `/api/handoff/tickets/${ticket.id}/messages`, alice.id, {
      text: '  ',
    });
    expect(empty.status).toBe(400);
    expect(errorOf(empty).message).toContain('"text"');
    expect(
      (await api.call('POST', `/api/handoff/tickets/${ticket.id}/messages`, bob.id, { text: 'x' }))
        .status,
    ).toBe(403);
  });

  it('adds internal notes that never reach the customer', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('c7'));
    const res = await api.call('POST', `/api/handoff/tickets/${ticket.id}/notes`, alice.id, {
      text: 'VIP customer',
    });
    expect(res).toMatchObject({
      status: 201,
      body: { notes: [{ agentName: 'Alice', text: 'VIP customer' }] },
    });
    expect(h.notifier.sent).toEqual([]);
  });

  it('suggests canned responses for the customer last message', async () => {
    await h.handoff.recordLine('c8', { role: 'customer', text: 'refund please' });
    const { ticket } = await h.handoff.openTicket(openInput('c8', { locale: 'ro' }));
    const res = await api.call('GET', `/api/handoff/tickets/${ticket.id}/suggestions`, alice.id);
    expect(res).toMatchObject({
      status: 200,
      body: { suggestions: [{ id: 'kb1', question: 'about refund please (ro)' }] },
    });
  });

  it('sets presence and lists agents with their load', async () => {
    const put = await api.call('PUT', '/api/handoff/agents/me/presence', alice.id, {
      status: 'online',
      capacity: 3,
    });
    expect(put).toMatchObject({
      status: 200,
      body: { id: alice.id, status: 'online', capacity: 3 },
    });
    expect(
      (await api.call('PUT', '/api/handoff/agents/me/presence', alice.id, { status: 'busy' }))
        .status,
    ).toBe(400);
    const list = await api.call('GET', '/api/handoff/agents', sam.id);
    expect(list).toMatchObject({ status: 200, body: { agents: [{ id: alice.id, load: 0 }] } });
  });

  it('transfers to another agent and to the supervisor queue', async () => {
    await h.agents.setPresence(bob, { status: 'online' });
    const { ticket } = await h.handoff.openTicket(openInput('c9'));
    await api.call('POST', `/api/handoff/tickets/${ticket.id}/claim`, alice.id);
    const toBob = await api.call('POST', `/api/handoff/tickets/${ticket.id}/transfer`, alice.id, {
      toAgentId: bob.id,
    });
    expect(toBob).toMatchObject({
      status: 200,
      body: { assignedAgent: { id: bob.id, name: 'Bob' } },
    });
    const toSup = await api.call('POST', `/api/handoff/tickets/${ticket.id}/transfer`, bob.id, {
      toQueue: 'supervisor',
    });
    expect(toSup).toMatchObject({
      status: 200,
      body: { status: 'waiting', queue: 'supervisor', position: 1 },
    });
    expect(
      (await api.call('POST', `/api/handoff/tickets/${ticket.id}/transfer`, bob.id, {})).status,
    ).toBe(400);
    const agentView = await api.call('GET', '/api/handoff/tickets?status=waiting', alice.id);
    expect((agentView.body as { tickets: unknown[] }).tickets).toHaveLength(0);
    const supView = await api.call('GET', '/api/handoff/tickets?status=waiting', sam.id);
    expect((supView.body as { tickets: unknown[] }).tickets).toHaveLength(1);
  });

  it('hands a conversation back to the bot', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('c10'));
    await api.call('POST', `/api/handoff/tickets/${ticket.id}/claim`, alice.id);
    const res = await api.call('POST', `/api/handoff/tickets/${ticket.id}/handback`, alice.id);
    expect(res).toMatchObject({ status: 200, body: { status: 'resolved' } });
    expect(h.notifier.kinds('c10')).toEqual(['agentJoined', 'handedBack']);
  });

  it('lists history newest first and bounds the list with limit', async () => {
    for (const c of ['h1', 'h2', 'h3']) {
      const { ticket } = await h.handoff.openTicket(openInput(c));
      await h.agents.claim(ticket.id, alice);
      await h.agents.resolve(ticket.id, alice);
    }
    const res = await api.call('GET', '/api/handoff/tickets?status=resolved&limit=2', alice.id);
    const { tickets } = res.body as { tickets: HandoffTicket[] };
    expect(tickets.map((t) => t.conversationId)).toEqual(['h3', 'h2']);
    const bad = await api.call('GET', '/api/handoff/tickets?limit=0', alice.id);
    expect(bad.status).toBe(400);
    expect(errorOf(bad).message).toContain('"limit"');
  });
});
