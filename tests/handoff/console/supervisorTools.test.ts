import { testDialects } from '../../helpers/testDb';
import { alice, bob, createHarness, openInput, sam, type Harness } from '../handoffHarness';
import { startRouteServer, type RouteServer } from './routeServer';

const body = (res: { body: unknown }) => res.body as any;

describe.each(testDialects())('supervisor tools and ticket history on %s', (dialect) => {
  let h: Harness;
  let api: RouteServer;
  beforeEach(async () => {
    h = await createHarness(dialect);
    api = await startRouteServer(h, [alice, bob, sam]);
    await h.agents.setPresence(alice, { status: 'online' });
    await h.agents.setPresence(bob, { status: 'online' });
  });
  afterEach(async () => {
    await api.close();
    await h.close();
  });

  it('lets a supervisor assign a waiting ticket to a named agent, who then owns it', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('s1'));
    const res = await api.call('POST', `/api/handoff/tickets/${ticket.id}/assign`, sam.id, {
      agentId: alice.id,
    });
    expect(res.status).toBe(200);
    expect(body(res)).toMatchObject({
      status: 'assigned',
      assignedAgent: { id: alice.id, name: 'Alice' },
      reference: ticket.reference,
    });
    await h.context.outbox.settled();
    expect(
      h.notifier.sent.filter((s) => s.target.conversationId === 's1').map((s) => s.notice),
    ).toEqual(
      expect.arrayContaining([
        { kind: 'transferred', toAgentName: 'Alice', toQueue: null },
        { kind: 'agentJoined', agentName: 'Alice' },
      ]),
    );
    // The owner may now reply; another agent may not.
    const reply = await api.call('POST', `/api/handoff/tickets/${ticket.id}/messages`, alice.id, {
      text: 'Hi, Alice here',
    });
    expect(reply.status).toBe(201);
    const other = await api.call('POST', `/api/handoff/tickets/${ticket.id}/messages`, bob.id, {
      text: 'me too',
    });
    expect(other.status).toBe(403);
    expect(body(other).message).toContain(ticket.reference);
  });

  it('refuses assignment by an agent (403), to an unknown agent (400) and without agentId', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('s2'));
    const path = `/api/handoff/tickets/${ticket.id}/assign`;
    expect((await api.call('POST', path, alice.id, { agentId: bob.id })).status).toBe(403);
    const unknown = await api.call('POST', path, sam.id, { agentId: 'u-nobody' });
    expect([unknown.status, body(unknown).message]).toEqual([
      400,
      expect.stringContaining('"agentId"'),
    ]);
    const missing = await api.call('POST', path, sam.id, {});
    expect([missing.status, body(missing).message]).toEqual([
      400,
      expect.stringContaining('"agentId"'),
    ]);
  });

  it("finds a resolved ticket again by its reference, the customer's words and the agent", async () => {
    await h.handoff.recordLine('s3', { role: 'customer', text: 'My parcel 100% never came' });
    const { ticket } = await h.handoff.openTicket(openInput('s3'));
    await h.handoff.openTicket(openInput('s4'));
    await h.agents.claim(ticket.id, bob);
    await h.agents.resolve(ticket.id, bob, 'resent the parcel');
    const search = async (q: string) => {
      const res = await api.call(
        'GET',
        `/api/handoff/tickets?status=resolved&q=${encodeURIComponent(q)}`,
        alice.id,
      );
      expect(res.status).toBe(200);
      return (body(res).tickets as { reference: string }[]).map((t) => t.reference);
    };
    const digits = ticket.reference.replace(/^AD-0*/, '');
    expect(await search(ticket.reference)).toEqual([ticket.reference]);
    expect(await search(`ad-${digits}`)).toEqual([ticket.reference]);
    expect(await search('PARCEL 100%')).toEqual([ticket.reference]);
    expect(await search('bob')).toEqual([ticket.reference]);
    expect(await search('100_')).toEqual([]);
    expect(await search('nothing like this')).toEqual([]);
    const found = await api.call('GET', `/api/handoff/tickets/${ticket.id}`, alice.id);
    expect(body(found)).toMatchObject({
      reference: ticket.reference,
      outcome: 'resent the parcel',
      transcript: expect.arrayContaining([
        expect.objectContaining({ role: 'customer', text: 'My parcel 100% never came' }),
      ]),
    });
    const bad = await api.call('GET', '/api/handoff/tickets?status=resolved&from=soon', alice.id);
    expect([bad.status, body(bad).message]).toEqual([400, expect.stringContaining('"from"')]);
  });
});
