import { testDialects } from '../../helpers/testDb';
import { alice, bob, carol, createHarness, openInput, sam, type Harness } from '../handoffHarness';

const weekdaysNineToFive = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ open: '09:00', close: '17:00' }]]),
);

describe.each(testDialects())('handoff worker on %s', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  describe('with default settings', () => {
    beforeEach(async () => {
      h = await createHarness(dialect, {
        agentReplyTimeoutMinutes: 5,
      });
    });

    it('requeues a ticket whose agent stays silent, keeping its place', async () => {
      await h.agents.setPresence(alice, { status: 'online' });
      const first = await h.handoff.openTicket(openInput('first'));
      h.clock.advanceMinutes(1);
      await h.handoff.openTicket(openInput('second'));
      await h.agents.claim(first.ticket.id, alice);
      h.clock.advanceMinutes(4);
      expect((await h.worker.tick()).requeued).toBe(0);
      h.clock.advanceMinutes(1);
      await h.agents.heartbeat(alice); // her console is open, she just does not answer
      expect((await h.worker.tick()).requeued).toBe(1);
      const back = await h.agents.get(first.ticket.id);
      expect(back).toMatchObject({
        status: 'waiting',
        position: 1,
        assignedAgent: null,
        waitingSince: first.ticket.waitingSince,
      });
      expect(await h.handoff.status('second')).toMatchObject({ position: 2 });
      expect(h.notifier.kinds('first')).toEqual(['agentJoined', 'requeued']);
      const toFirst = h.notifier.sent.filter((s) => s.target.conversationId === 'first');
      expect(toFirst.at(-1)!.notice).toEqual({ kind: 'requeued', position: 1 });
      const [presence] = await h.agents.listAgents();
      expect(presence).toMatchObject({ id: alice.id, status: 'away' });
      const trail = await h.context.tickets.listEvents(first.ticket.id);
      expect(trail.map((e) => e.event)).toEqual(['open', 'claim', 'requeue']);
      // Another agent can take it now.
      await expect(h.agents.claim(first.ticket.id, bob)).resolves.toMatchObject({
        status: 'assigned',
      });
    });

    it('does not requeue while the agent answered last, but does once the customer waits', async () => {
      const { ticket } = await h.handoff.openTicket(openInput('chat'));
      await h.agents.claim(ticket.id, alice);
      h.clock.advanceMinutes(1);
      await h.agents.postAgentMessage(ticket.id, alice, 'Could you send the order number?');
      h.clock.advanceMinutes(30);
      expect((await h.worker.tick()).requeued).toBe(0);
      await h.handoff.recordLine('chat', { role: 'customer', text: 'It is 12345' });
      h.clock.advanceMinutes(4);
      expect((await h.worker.tick()).requeued).toBe(0);
      h.clock.advanceMinutes(1);
      expect((await h.worker.tick()).requeued).toBe(1);
    });

    it('sends queue updates only when the position or the estimate really changes', async () => {
      await h.agents.setPresence(bob, { status: 'online' });
      const opened = [];
      for (const c of ['u1', 'u2', 'u3']) opened.push(await h.handoff.openTicket(openInput(c)));
      expect((await h.worker.tick()).queueUpdates).toBe(0);
      await h.agents.claim(opened[0]!.ticket.id, alice);
      expect((await h.worker.tick()).queueUpdates).toBe(2);
      expect(
        h.notifier.sent
          .filter((s) => s.notice.kind === 'queueUpdate')
          .map((s) => [s.target.conversationId, s.notice]),
      ).toEqual([
        ['u2', { kind: 'queueUpdate', position: 1, etaSeconds: 360, etaRange: [180, 720] }],
        ['u3', { kind: 'queueUpdate', position: 2, etaSeconds: 720, etaRange: [360, 1440] }],
      ]);
      h.clock.advanceMinutes(2);
      await h.agents.heartbeat(bob);
      await h.agents.postAgentMessage(opened[0]!.ticket.id, alice, 'hi');
      expect((await h.worker.tick()).queueUpdates).toBe(0);
      for (let minute = 0; minute < 30; minute += 1) {
        h.clock.advanceMinutes(1);
        await h.agents.heartbeat(bob);
        expect((await h.worker.tick()).queueUpdates).toBe(0); // nothing changed, nothing sent
      }
      await h.agents.setPresence(bob, { status: 'away' });
      const told = await h.worker.tick();
      expect(told.queueUpdates).toBe(2); // nobody left: the minutes no longer hold
      expect(h.notifier.sent.slice(-2).map((s) => s.notice)).toEqual([
        { kind: 'queueUpdate', position: 1, etaSeconds: null, etaRange: null },
        { kind: 'queueUpdate', position: 2, etaSeconds: null, etaRange: null },
      ]);
    });

    it('retries a failed notice with backoff, in order, and records the attempts', async () => {
      const { ticket } = await h.handoff.openTicket(openInput('flaky'));
      await h.agents.claim(ticket.id, alice);
      h.notifier.failing = true;
      await h.agents.postAgentMessage(ticket.id, alice, 'first');
      await h.agents.postAgentMessage(ticket.id, alice, 'second');
      let pending = await h.context.outboxStore.list({ ticketId: ticket.id, status: 'pending' });
      expect(pending.map((p) => [p.notice.kind, p.attempts])).toEqual([
        ['agentMessage', 1],
        ['agentMessage', 0],
      ]);
      expect(pending[0]!.lastError).toBe('channel down');
      expect((await h.worker.tick()).noticesSent).toBe(0); // not due yet (5 s backoff)
      h.clock.advance(5_000);
      await h.worker.tick();
      pending = await h.context.outboxStore.list({ ticketId: ticket.id, status: 'pending' });
      expect(pending[0]!.attempts).toBe(2);
      h.notifier.failing = false;
      h.clock.advance(9_000);
      expect((await h.worker.tick()).noticesSent).toBe(0); // second backoff is 10 s
      h.clock.advance(1_000);
      expect((await h.worker.tick()).noticesSent).toBe(2);
      const texts = h.notifier.sent
        .filter((s) => s.notice.kind === 'agentMessage')
        .map((s) => (s.notice as { text: string }).text);
      expect(texts).toEqual(['first', 'second']);
      expect(await h.context.outboxStore.list({ ticketId: ticket.id, status: 'pending' })).toEqual(
        [],
      );
    });

    it('answers an agent request on a slow channel and delivers in order in the background', async () => {
      await h.close();
      h = await createHarness(dialect, { noticeInlineWaitMs: 100 });
      const { ticket } = await h.handoff.openTicket(openInput('slow'));
      h.notifier.delayMs = 400;
      await h.agents.claim(ticket.id, alice);
      await h.agents.postAgentMessage(ticket.id, alice, 'one');
      await h.agents.postAgentMessage(ticket.id, alice, 'two');
      await h.context.outbox.settled();
      expect(h.notifier.sent.map((s) => s.notice.kind)).toEqual([
        'agentJoined',
        'agentMessage',
        'agentMessage',
      ]);
      expect(h.notifier.sent.slice(1).map((s) => (s.notice as { text: string }).text)).toEqual([
        'one',
        'two',
      ]);
      expect(h.notifier.attempts).toBe(3);
    });

    it('gives up after the last attempt, keeping the notice as dead', async () => {
      await h.close();
      h = await createHarness(dialect, { outboxMaxAttempts: 2, outboxBaseBackoffSeconds: 1 });
      const { ticket } = await h.handoff.openTicket(openInput('down'));
      h.notifier.failing = true;
      await h.agents.claim(ticket.id, alice);
      h.clock.advance(1_000);
      await h.worker.tick();
      const dead = await h.context.outboxStore.list({ ticketId: ticket.id, status: 'dead' });
      expect(dead.map((d) => [d.notice.kind, d.attempts])).toEqual([['agentJoined', 2]]);
    });

    it('transfers to another agent, who gets the ticket and the customer hears it', async () => {
      await h.agents.setPresence(bob, { status: 'online' });
      const { ticket } = await h.handoff.openTicket(openInput('t1'));
      await h.agents.claim(ticket.id, alice);
      const moved = await h.agents.transfer(ticket.id, alice, { toAgentId: bob.id });
      expect(moved.assignedAgent).toEqual({ id: bob.id, name: 'Bob' });
      expect(h.notifier.sent.map((s) => s.notice).slice(1)).toEqual([
        { kind: 'transferred', toAgentName: 'Bob', toQueue: null },
        { kind: 'agentJoined', agentName: 'Bob' },
      ]);
      await expect(h.agents.postAgentMessage(ticket.id, alice, 'still me?')).rejects.toMatchObject({
        code: 'forbidden',
      });
      const toSupervisor = await h.agents.transfer(ticket.id, bob, { toQueue: 'supervisor' });
      expect(toSupervisor).toMatchObject({
        status: 'waiting',
        queue: 'supervisor',
        waitingSince: ticket.waitingSince,
      });
      await expect(h.agents.claim(ticket.id, alice)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(h.agents.claim(ticket.id, sam)).resolves.toMatchObject({
        assignedAgent: { name: 'Sam' },
      });
    });
  });

  describe('with auto-assignment', () => {
    beforeEach(async () => {
      h = await createHarness(dialect, { autoAssign: true });
    });

    it('assigns oldest first, respecting presence and capacity, fairly', async () => {
      await h.agents.setPresence(alice, { status: 'online', capacity: 1 });
      await h.agents.setPresence(bob, { status: 'online', capacity: 2 });
      await h.agents.setPresence(carol, { status: 'away', capacity: 5 });
      for (const c of ['a1', 'a2', 'a3', 'a4']) {
        await h.handoff.openTicket(openInput(c));
        h.clock.advanceMinutes(1);
      }
      // Their consoles are open: each sends its heartbeat.
      for (const agent of [alice, bob, carol]) await h.agents.heartbeat(agent);
      expect((await h.worker.tick()).autoAssigned).toBe(3);
      const owners = await Promise.all(['a1', 'a2', 'a3', 'a4'].map((c) => h.handoff.status(c)));
      expect(owners.map((o) => o?.agentName ?? null)).toEqual(['Alice', 'Bob', 'Bob', null]);
      expect(owners[3]!.position).toBe(1);
      expect(h.notifier.kinds('a1')).toEqual(['agentJoined']);
      await h.agents.resolve(owners[0]!.ticket.id, alice);
      expect((await h.worker.tick()).autoAssigned).toBe(1);
      expect((await h.handoff.status('a4'))?.agentName).toBe('Alice');
    });

    it('leaves the supervisor queue to supervisors', async () => {
      await h.agents.setPresence(alice, { status: 'online', capacity: 3 });
      await h.handoff.openTicket(openInput('v1', { queue: 'supervisor' }));
      expect((await h.worker.tick()).autoAssigned).toBe(0);
      await h.agents.setPresence(sam, { status: 'online', capacity: 1 });
      expect((await h.worker.tick()).autoAssigned).toBe(1);
      expect((await h.handoff.status('v1'))?.agentName).toBe('Sam');
    });
  });

  describe('outside business hours', () => {
    beforeEach(async () => {
      h = await createHarness(dialect, {
        queues: { general: { timezone: 'Europe/Bucharest', schedule: weekdaysNineToFive } },
        promisedResponseHours: 24,
      });
    });

    it('on a Saturday names Monday opening, keeps the ticket after hours, and the reply still arrives', async () => {
      h.clock.set('2026-11-28T10:00:00.000Z'); // Saturday 12:00 in Bucharest
      const { ticket, notice } = await h.handoff.openTicket(openInput('weekend'));
      expect(notice).toEqual({
        kind: 'queued',
        position: 1,
        etaSeconds: ticket.etaSeconds,
        etaRange: ticket.etaRange,
        afterHours: true,
        backAt: '2026-11-30T07:00:00.000Z',
        promisedResponseHours: 24,
      });
      expect(ticket).toMatchObject({ afterHours: true, slaDeadline: '2026-11-30T08:00:00.000Z' });
      // Opening is 45 h away; the ETA includes it.
      expect(ticket.etaSeconds).toBe(45 * 3600 + 360);
      h.clock.set('2026-11-30T07:05:00.000Z');
      await h.agents.claim(ticket.id, alice);
      await h.agents.postAgentMessage(ticket.id, alice, 'Good morning, about your question…');
      expect(h.notifier.sent.at(-1)).toMatchObject({
        target: {
          conversationId: 'weekend',
          conversationRef: openInput('weekend').conversationRef,
        },
        notice: { kind: 'agentMessage', agentName: 'Alice' },
      });
      expect((await h.agents.get(ticket.id)).slaBreached).toBe(false);
    });

    it('does not message waiting customers every few minutes while the queue is closed', async () => {
      h.clock.set('2026-11-28T10:00:00.000Z');
      await h.handoff.openTicket(openInput('w1'));
      const second = await h.handoff.openTicket(openInput('w2'));
      for (let i = 0; i < 12; i += 1) {
        h.clock.advanceMinutes(10);
        await h.worker.tick();
      }
      expect(h.notifier.sent).toEqual([]);
      await h.handoff.cancel('w1', { id: 'customer', name: 'customer' });
      await h.worker.tick();
      expect(h.notifier.sent.map((s) => [s.target.conversationId, s.notice.kind])).toEqual([
        ['w2', 'queueUpdate'],
      ]);
      expect(second.ticket.position).toBe(2);
    });
  });
});
