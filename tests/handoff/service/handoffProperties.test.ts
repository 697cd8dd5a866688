import fc from 'fast-check';
import {
  nextStatus,
  conversationOwner,
  type TicketEvent,
} from '../../../handoff/service/ticketStatus';
import type { HandoffTicket, Principal } from '../../../handoff/types';
import { testDialects } from '../../helpers/testDb';
import { alice, bob, carol, createHarness, openInput, sam, type Harness } from '../handoffHarness';

const agents: Principal[] = [alice, bob, carol, sam];
const conversations = ['p0', 'p1', 'p2', 'p3'];

type Action =
  | { kind: 'open'; conv: number; sensitive: boolean }
  | { kind: 'claimRace'; conv: number; agents: number[] }
  | { kind: 'message'; conv: number; agent: number }
  | { kind: 'resolve'; conv: number; agent: number }
  | { kind: 'cancel'; conv: number }
  | { kind: 'transferAgent'; conv: number; agent: number; to: number }
  | { kind: 'transferQueue'; conv: number; agent: number }
  | { kind: 'customerLine'; conv: number }
  | { kind: 'presence'; agent: number; status: 'online' | 'away' | 'offline'; capacity: number }
  | { kind: 'wait'; minutes: number };

const conv = fc.integer({ min: 0, max: conversations.length - 1 });
const agent = fc.integer({ min: 0, max: agents.length - 1 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('open' as const), conv, sensitive: fc.boolean() }),
  fc.record({
    kind: fc.constant('claimRace' as const),
    conv,
    agents: fc.uniqueArray(agent, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('message' as const), conv, agent }),
  fc.record({ kind: fc.constant('resolve' as const), conv, agent }),
  fc.record({ kind: fc.constant('cancel' as const), conv }),
  fc.record({ kind: fc.constant('transferAgent' as const), conv, agent, to: agent }),
  fc.record({ kind: fc.constant('transferQueue' as const), conv, agent }),
  fc.record({ kind: fc.constant('customerLine' as const), conv }),
  fc.record({
    kind: fc.constant('presence' as const),
    agent,
    status: fc.constantFrom('online' as const, 'away' as const, 'offline' as const),
    capacity: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 7 }) }),
);

const expectedErrors = new Set(['conflict', 'forbidden', 'invalid_input']);

/** Runs a use case; domain refusals are fine (random sequences try illegal things), crashes are not. */
async function attempt<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code && expectedErrors.has(code)) return null;
    throw err;
  }
}

async function step(h: Harness, a: Action, firstWaitingSince: Map<string, string>): Promise<void> {
  if (a.kind === 'presence') {
    await h.agents.setPresence(agents[a.agent]!, { status: a.status, capacity: a.capacity });
    return;
  }
  if (a.kind === 'wait') {
    h.clock.advanceMinutes(a.minutes);
    await h.worker.tick();
    return;
  }
  const conversationId = conversations[a.conv]!;
  const open = await h.handoff.findOpenTicket(conversationId);
  switch (a.kind) {
    case 'open': {
      const r = await h.handoff.openTicket(
        openInput(conversationId, a.sensitive ? { reason: 'sensitive_topic' } : {}),
      );
      expect(r.created).toBe(open === null);
      if (!firstWaitingSince.has(r.ticket.id))
        firstWaitingSince.set(r.ticket.id, r.ticket.waitingSince);
      return;
    }
    case 'claimRace': {
      if (!open) return;
      const claimers = a.agents.map((i) => agents[i]!);
      const results = await Promise.allSettled(claimers.map((p) => h.agents.claim(open.id, p)));
      const won = results.filter((r) => r.status === 'fulfilled');
      if (open.status === 'waiting' && open.queue === 'general') expect(won).toHaveLength(1);
      for (const r of results)
        if (r.status === 'rejected')
          expect(expectedErrors).toContain((r.reason as { code?: string }).code);
      return;
    }
    case 'customerLine':
      await h.handoff.recordLine(conversationId, { role: 'customer', text: 'still there?' });
      return;
    case 'cancel':
      await h.handoff.cancel(conversationId, { id: 'customer', name: 'customer' });
      return;
  }
  if (!open) return;
  const who = agents[a.agent]!;
  if (a.kind === 'message') await attempt(() => h.agents.postAgentMessage(open.id, who, 'hello'));
  if (a.kind === 'resolve') await attempt(() => h.agents.resolve(open.id, who, 'done'));
  if (a.kind === 'transferQueue')
    await attempt(() => h.agents.transfer(open.id, who, { toQueue: 'supervisor' }));
  if (a.kind === 'transferAgent') {
    await h.agents.setPresence(agents[a.to]!, { status: 'online' });
    await attempt(() => h.agents.transfer(open.id, who, { toAgentId: agents[a.to]!.id }));
  }
}

async function checkInvariants(h: Harness, firstWaitingSince: Map<string, string>): Promise<void> {
  const all = await h.agents.list({});
  const open = all.filter((t) => t.status === 'waiting' || t.status === 'assigned');
  // One open ticket per conversation, and the bot knows who speaks.
  expect(new Set(open.map((t) => t.conversationId)).size).toBe(open.length);
  for (const c of conversations) {
    const ticket = await h.handoff.findOpenTicket(c);
    expect(conversationOwner(ticket?.status ?? null)).toBe(
      ticket?.status === 'assigned' ? 'agent' : ticket ? 'queue' : 'bot',
    );
  }
  for (const t of all) {
    // Ownership matches status, and a ticket never loses its place.
    expect(t.assignedAgent !== null).toBe(t.status === 'assigned');
    expect(t.waitingSince).toBe(firstWaitingSince.get(t.id));
    expect(t.position !== null).toBe(t.status === 'waiting');
    await checkAuditTrail(h, t);
  }
  // Positions are 1..n per queue, in priority-then-age order.
  const byQueue = new Map<string, HandoffTicket[]>();
  for (const t of all.filter((x) => x.status === 'waiting'))
    byQueue.set(t.queue, [...(byQueue.get(t.queue) ?? []), t]);
  for (const list of byQueue.values()) {
    const sorted = [...list].sort((a, b) => a.position! - b.position!);
    expect(sorted.map((t) => t.position)).toEqual(sorted.map((_, i) => i + 1));
    for (let i = 1; i < sorted.length; i += 1) {
      const [prev, cur] = [sorted[i - 1]!, sorted[i]!];
      expect(
        prev.priority > cur.priority ||
          (prev.priority === cur.priority && prev.waitingSince <= cur.waitingSince),
      ).toBe(true);
    }
  }
}

/** The audit trail replays through the transition table to the current status. */
async function checkAuditTrail(h: Harness, t: HandoffTicket): Promise<void> {
  const trail = (await h.context.tickets.listEvents(t.id)).filter(
    (e) => e.event !== 'note' && e.event !== 'rate',
  );
  expect(trail[0]).toMatchObject({ event: 'open', toStatus: 'waiting' });
  let status = trail[0]!.toStatus!;
  for (const e of trail.slice(1)) {
    expect(e.fromStatus).toBe(status);
    expect(nextStatus(status, e.event as TicketEvent)).toBe(e.toStatus);
    status = e.toStatus!;
  }
  expect(status).toBe(t.status);
}

describe.each(testDialects())(
  'handoff invariants under random event sequences on %s',
  (dialect) => {
    it('hold for several agents, concurrent claims, presence, auto-assignment, requeues and transfers', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 25 }), async (actions) => {
          const h = await createHarness(dialect, {
            autoAssign: false,
            agentReplyTimeoutMinutes: 5,
          });
          const firstWaitingSince = new Map<string, string>();
          try {
            for (const a of actions) {
              await step(h, a, firstWaitingSince);
              await checkInvariants(h, firstWaitingSince);
            }
          } finally {
            await h.close();
          }
        }),
        { numRuns: dialect === 'sqlite' ? 25 : 10 },
      );
    }, 240_000);
  },
);
