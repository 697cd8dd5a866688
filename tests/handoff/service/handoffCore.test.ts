import { testDialects } from '../../helpers/testDb';
import {
  alice,
  bob,
  createHarness,
  openInput,
  rejection,
  sam,
  type Harness,
} from '../handoffHarness';

describe.each(testDialects())('handoff core on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('opens one ticket per conversation and returns it again instead of a second one', async () => {
    const first = await h.handoff.openTicket(openInput('c1'));
    const again = await h.handoff.openTicket(openInput('c1', { question: 'other' }));
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.ticket.id).toBe(first.ticket.id);
    expect(first.ticket).toMatchObject({
      conversationId: 'c1',
      status: 'waiting',
      reason: 'requested',
      locale: 'en',
      position: 1,
      assignedAgent: null,
      afterHours: false,
      csat: null,
      queue: 'general',
      waitingSince: '2026-11-23T10:00:00.000Z',
      slaDeadline: '2026-11-23T11:00:00.000Z',
    });
    expect(first.ticket.reference).toMatch(/^AD-\d{6}$/);
    expect(first.notice).toMatchObject({
      kind: 'queued',
      position: 1,
      afterHours: false,
      promisedResponseHours: 24,
    });
    expect(first.ticket.predictedWaitSeconds).toBe(first.notice.etaSeconds);
  });

  it('keeps the one-open-ticket rule when two opens race', async () => {
    const results = await Promise.all([
      h.handoff.openTicket(openInput('race')),
      h.handoff.openTicket(openInput('race')),
    ]);
    expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('stores every line whole and shows the full transcript on the ticket', async () => {
    const long = 'x'.repeat(50_000);
    await h.handoff.recordLine('c2', { role: 'customer', text: 'hello' });
    await h.handoff.recordLine('c2', { role: 'bot', text: 'hi there' });
    await h.handoff.recordLine('c2', { role: 'customer', text: long });
    const { ticket } = await h.handoff.openTicket(openInput('c2'));
    expect(ticket.transcript.map((l) => l.role)).toEqual(['customer', 'bot', 'customer']);
    expect(ticket.transcript[2]!.text).toHaveLength(50_000);
    expect(ticket.transcript[0]!.at).toBe('2026-11-23T10:00:00.000Z');
  });

  it('rejects a line with an unparsable time, naming the field', async () => {
    const err = await rejection(
      h.handoff.recordLine('c3', { role: 'customer', text: 'x', at: 'yesterday' }),
    );
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('"at"');
  });

  it('lets an agent claim, talk and resolve, telling the customer each step', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('c4'));
    h.clock.advanceMinutes(3);
    const claimed = await h.agents.claim(ticket.id, alice);
    expect(claimed).toMatchObject({
      status: 'assigned',
      assignedAgent: { id: alice.id, name: 'Alice' },
      position: null,
    });
    expect(claimed.waitingSeconds).toBe(180);
    h.clock.advanceMinutes(1);
    const afterMessage = await h.agents.postAgentMessage(
      ticket.id,
      alice,
      'Hi, I am Alice. Let me look.',
    );
    expect(afterMessage.firstResponseAt).toBe('2026-11-23T10:04:00.000Z');
    expect(afterMessage.firstResponseSeconds).toBe(240);
    expect(afterMessage.transcript.at(-1)).toMatchObject({ role: 'agent', agentName: 'Alice' });
    h.clock.advanceMinutes(5);
    const resolved = await h.agents.resolve(ticket.id, alice, 'password reset');
    expect(resolved).toMatchObject({
      status: 'resolved',
      outcome: 'password reset',
      handleSeconds: 360,
    });
    expect(h.notifier.kinds('c4')).toEqual(['agentJoined', 'agentMessage', 'resolved']);
    expect(h.notifier.sent[0]!.notice).toEqual({ kind: 'agentJoined', agentName: 'Alice' });
    expect(h.notifier.sent[0]!.target.conversationRef).toEqual(openInput('c4').conversationRef);
    expect(h.notifier.sent[2]!.notice).toEqual({
      kind: 'resolved',
      reference: ticket.reference,
      agentName: 'Alice',
      outcome: 'password reset',
    });
    expect(await h.handoff.findOpenTicket('c4')).toBeNull();
  });

  it('lets exactly one of two agents claim a waiting ticket', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('c5'));
    const outcomes = await Promise.allSettled([
      h.agents.claim(ticket.id, alice),
      h.agents.claim(ticket.id, bob),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({ code: 'conflict' });
    expect(h.notifier.kinds('c5')).toEqual(['agentJoined']);
  });

  it('treats a repeated claim by the owner and a repeated resolve as no-ops', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('c6'));
    await h.agents.claim(ticket.id, alice);
    await expect(h.agents.claim(ticket.id, alice)).resolves.toMatchObject({ status: 'assigned' });
    await h.agents.resolve(ticket.id, alice);
    await expect(h.agents.resolve(ticket.id, alice)).resolves.toMatchObject({ status: 'resolved' });
    expect(h.notifier.kinds('c6')).toEqual(['agentJoined', 'resolved']);
  });

  it('forbids another agent to message or resolve a ticket, but lets a supervisor', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('c7'));
    await h.agents.claim(ticket.id, alice);
    await expect(h.agents.postAgentMessage(ticket.id, bob, 'hi')).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(h.agents.claim(ticket.id, bob)).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      h.agents.postAgentMessage(ticket.id, sam, 'Supervisor here'),
    ).resolves.toMatchObject({ status: 'assigned' });
    await expect(h.agents.resolve(ticket.id, sam)).resolves.toMatchObject({ status: 'resolved' });
  });

  it('refuses to message a waiting ticket and to resolve before claiming', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('c8'));
    await expect(h.agents.postAgentMessage(ticket.id, alice, 'hi')).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(h.agents.resolve(ticket.id, alice)).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.agents.postAgentMessage(ticket.id, alice, '   ')).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('reports unknown tickets as not found', async () => {
    await expect(h.agents.get('nope')).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.agents.claim('nope', alice)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('records every transition in the audit trail', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('c9'));
    await h.agents.claim(ticket.id, alice);
    await h.agents.resolve(ticket.id, alice);
    const trail = await h.context.tickets.listEvents(ticket.id);
    expect(trail.map((e) => [e.event, e.fromStatus, e.toStatus, e.actorId])).toEqual([
      ['open', null, 'waiting', 'customer'],
      ['claim', 'waiting', 'assigned', alice.id],
      ['resolve', 'assigned', 'resolved', alice.id],
    ]);
  });

  it('opens a new ticket after the previous one closed', async () => {
    const first = await h.handoff.openTicket(openInput('c10'));
    await h.agents.claim(first.ticket.id, alice);
    await h.agents.resolve(first.ticket.id, alice);
    const second = await h.handoff.openTicket(openInput('c10'));
    expect(second.created).toBe(true);
    expect(second.ticket.id).not.toBe(first.ticket.id);
    expect(second.ticket.reference).not.toBe(first.ticket.reference);
  });

  it('lists waiting tickets oldest first', async () => {
    await h.handoff.openTicket(openInput('a'));
    h.clock.advanceMinutes(1);
    await h.handoff.openTicket(openInput('b'));
    h.clock.advanceMinutes(1);
    await h.handoff.openTicket(openInput('c'));
    const list = await h.agents.list({ status: 'waiting' });
    expect(list.map((t) => [t.conversationId, t.position, t.waitingSeconds])).toEqual([
      ['a', 1, 120],
      ['b', 2, 60],
      ['c', 3, 0],
    ]);
  });
});
