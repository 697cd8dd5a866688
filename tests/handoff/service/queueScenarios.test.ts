import { testDialects } from '../../helpers/testDb';
import {
  alice,
  bob,
  carol,
  createHarness,
  openInput,
  rejection,
  type Harness,
} from '../handoffHarness';

/** Resolves `n` tickets, each handled for `minutes`, so the rolling median is known. */
async function seedHandleTimes(h: Harness, n: number, minutes: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    const { ticket } = await h.handoff.openTicket(openInput(`history-${i}`));
    await h.agents.claim(ticket.id, carol);
    h.clock.advanceMinutes(minutes);
    await h.agents.resolve(ticket.id, carol);
  }
}

describe.each(testDialects())('queue scenarios on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('gives customer 4 about 12 minutes with 2 agents online and a 6-minute median', async () => {
    await seedHandleTimes(h, 5, 6);
    await h.agents.setPresence(alice, { status: 'online', capacity: 1 });
    await h.agents.setPresence(bob, { status: 'online', capacity: 1 });
    const opened = [];
    for (const c of ['q1', 'q2', 'q3', 'q4']) opened.push(await h.handoff.openTicket(openInput(c)));
    const fourth = opened[3]!;
    expect(fourth.ticket.position).toBe(4);
    expect(fourth.ticket.etaSeconds).toBe(12 * 60);
    expect(fourth.ticket.etaRange).toBeNull();
    expect(fourth.notice).toMatchObject({
      kind: 'queued',
      position: 4,
      etaSeconds: 720,
      etaRange: null,
    });
    expect(fourth.ticket.predictedWaitSeconds).toBe(720);
    expect(opened.map((o) => o.ticket.etaSeconds)).toEqual([180, 360, 540, 720]);
  });

  it('gives a range while there is little handle-time data', async () => {
    await h.agents.setPresence(alice, { status: 'online', capacity: 1 });
    const { ticket, notice } = await h.handoff.openTicket(openInput('thin'));
    // No samples: the 6-minute default median, one agent online.
    expect(ticket.etaSeconds).toBe(360);
    expect(ticket.etaRange).toEqual([180, 720]);
    expect(notice.etaRange).toEqual([180, 720]);
  });

  it('promises no number while nobody is online, and says so in the status', async () => {
    const { ticket, notice } = await h.handoff.openTicket(openInput('alone'));
    expect(ticket).toMatchObject({ position: 1, etaSeconds: null, etaRange: null });
    expect(notice).toMatchObject({ position: 1, etaSeconds: null, etaRange: null });
    expect(await h.handoff.status('alone')).toMatchObject({ position: 1, etaSeconds: null });
  });

  it('moves everyone up when a customer ahead cancels', async () => {
    for (const c of ['k1', 'k2', 'k3']) await h.handoff.openTicket(openInput(c));
    const cancelled = await h.handoff.cancel('k1', { id: 'customer', name: 'customer' });
    expect(cancelled).toMatchObject({ status: 'cancelled', position: null });
    expect(await h.handoff.status('k2')).toMatchObject({ position: 1 });
    expect(await h.handoff.status('k3')).toMatchObject({ position: 2 });
    expect(await h.handoff.status('k1')).toBeNull();
    expect(await h.handoff.cancel('k1', { id: 'customer', name: 'customer' })).toBeNull();
  });

  it('tells the state, position and agent on "status"', async () => {
    await h.handoff.openTicket(openInput('s1'));
    const { ticket } = await h.handoff.openTicket(openInput('s2'));
    expect(await h.handoff.status('s2')).toMatchObject({
      position: 2,
      agentName: null,
      ticket: { status: 'waiting' },
    });
    await h.agents.claim(ticket.id, alice);
    expect(await h.handoff.status('s2')).toMatchObject({
      position: null,
      etaSeconds: null,
      agentName: 'Alice',
      ticket: { status: 'assigned' },
    });
    expect(await h.handoff.status('nobody')).toBeNull();
  });

  it('lets a customer cancel while an agent owns the conversation', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('x1'));
    await h.agents.claim(ticket.id, alice);
    const cancelled = await h.handoff.cancel('x1', { id: 'customer', name: 'customer' });
    expect(cancelled).toMatchObject({ status: 'cancelled', assignedAgent: null });
    expect(await rejection(h.agents.postAgentMessage(ticket.id, alice, 'hello?'))).toMatchObject({
      code: 'conflict',
    });
  });

  it('stores the CSAT on the resolved ticket once; a second rating is refused and not stored', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('r1'));
    expect(await rejection(h.handoff.rate(ticket.id, 5))).toMatchObject({ code: 'conflict' });
    await h.agents.claim(ticket.id, alice);
    await h.agents.resolve(ticket.id, alice, 'done');
    const last = await h.handoff.lastResolvedTicket('r1');
    expect(last?.id).toBe(ticket.id);
    expect((await h.handoff.rate(ticket.id, 4)).csat).toBe(4);
    expect(await rejection(h.handoff.rate(ticket.id, 5))).toMatchObject({ code: 'conflict' });
    expect((await h.agents.get(ticket.id)).csat).toBe(4);
    const rates = (await h.context.tickets.listEvents(ticket.id)).filter((e) => e.event === 'rate');
    expect(rates).toHaveLength(1);
    expect(await rejection(h.handoff.rate(ticket.id, 6))).toMatchObject({ code: 'invalid_input' });
    expect(await rejection(h.handoff.rate(ticket.id, 2.5))).toMatchObject({
      code: 'invalid_input',
    });
    expect(await rejection(h.handoff.rate('missing', 3))).toMatchObject({ code: 'not_found' });
  });

  it('puts sensitive topics ahead of older tickets', async () => {
    await h.handoff.openTicket(openInput('old'));
    h.clock.advanceMinutes(5);
    const urgent = await h.handoff.openTicket(openInput('urgent', { reason: 'sensitive_topic' }));
    expect(urgent.ticket).toMatchObject({ priority: 1, position: 1 });
    expect(await h.handoff.status('old')).toMatchObject({ position: 2 });
  });

  it('keeps positions per queue', async () => {
    await h.handoff.openTicket(openInput('g1'));
    const sup = await h.handoff.openTicket(openInput('v1', { queue: 'supervisor' }));
    expect(sup.ticket.position).toBe(1);
    expect(await rejection(h.handoff.openTicket(openInput('z1', { queue: 'nope' })))).toMatchObject(
      {
        code: 'invalid_input',
      },
    );
  });

  it('survives a new service instance on the same database (restart)', async () => {
    await h.handoff.openTicket(openInput('p1'));
    h.clock.advanceMinutes(1);
    const { ticket } = await h.handoff.openTicket(openInput('p2'));
    const restarted = await createHarness(dialect, {}, h.testDb);
    restarted.clock.set(h.clock.now().toISOString());
    const again = await restarted.handoff.findOpenTicket('p2');
    expect(again).toMatchObject({ id: ticket.id, waitingSince: ticket.waitingSince, position: 2 });
  });

  it('escalates to the supervisor queue on the customer request, keeping the place', async () => {
    const { ticket } = await h.handoff.openTicket(openInput('e1'));
    await h.agents.claim(ticket.id, alice);
    const escalated = await h.handoff.escalate('e1', { id: 'customer', name: 'customer' });
    expect(escalated).toMatchObject({
      status: 'waiting',
      queue: 'supervisor',
      position: 1,
      assignedAgent: null,
      waitingSince: ticket.waitingSince,
    });
    expect((await h.handoff.escalate('e1', { id: 'customer', name: 'customer' }))?.id).toBe(
      ticket.id,
    );
    expect(await h.handoff.escalate('none', { id: 'customer', name: 'customer' })).toBeNull();
  });

  it('records why a customer left the queue', async () => {
    await h.handoff.openTicket(openInput('o1'));
    const left = await h.handoff.cancel(
      'o1',
      { id: 'customer', name: 'customer' },
      'solved by FAQ',
    );
    expect(left).toMatchObject({ status: 'cancelled', outcome: 'solved by FAQ' });
  });
});

describe('transcript redaction hook', () => {
  it('stores redacted text and question while the customer still gets the agent text', async () => {
    const h = await createHarness('sqlite', {}, undefined, (text) =>
      text.replace(/[\w.]+@[\w.]+/g, '[email]'),
    );
    try {
      await h.handoff.recordLine('pii', { role: 'customer', text: 'I am jo@example.com' });
      const { ticket } = await h.handoff.openTicket(
        openInput('pii', { question: 'mail jo@example.com' }),
      );
      await h.agents.claim(ticket.id, alice);
      await h.agents.postAgentMessage(ticket.id, alice, 'Write to help@askdesk.test');
      const stored = await h.agents.get(ticket.id);
      expect(stored.question).toBe('mail [email]');
      expect(stored.transcript.map((l) => l.text)).toContain('I am [email]');
      expect(stored.transcript.map((l) => l.text)).toContain('Write to [email]');
      expect(h.notifier.sent.at(-1)!.notice).toMatchObject({ text: 'Write to help@askdesk.test' });
    } finally {
      await h.close();
    }
  });
});
