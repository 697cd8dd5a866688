import { handoffMetrics } from '../../../handoff/events/handoffMetrics';
import { testDialects } from '../../helpers/testDb';
import { alice, bob, createHarness, openInput, type Harness } from '../handoffHarness';

describe.each(testDialects())('handoff metrics on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('computes waits, timings, SLA, CSAT, ETA error and handoff rate by reason', async () => {
    // Alice's console is open: with nobody present no wait would be promised at all.
    await h.agents.setPresence(alice, { status: 'online' });
    for (const c of ['m1', 'm2', 'm3', 'm4'])
      await h.handoff.recordLine(c, { role: 'customer', text: 'hi' });
    const t1 = (await h.handoff.openTicket(openInput('m1'))).ticket;
    const t2 = (await h.handoff.openTicket(openInput('m2'))).ticket;
    await h.handoff.openTicket(openInput('m3', { reason: 'misses' }));
    expect([t1.predictedWaitSeconds, t2.predictedWaitSeconds]).toEqual([360, 720]);
    h.clock.advanceMinutes(3); // 10:03
    await h.agents.claim(t1.id, alice);
    h.clock.advanceMinutes(1); // 10:04
    await h.agents.postAgentMessage(t1.id, alice, 'hello');
    h.clock.advanceMinutes(1); // 10:05
    await h.handoff.cancel('m3', { id: 'customer', name: 'customer' });
    h.clock.advanceMinutes(5); // 10:10
    await h.agents.resolve(t1.id, alice);
    await h.handoff.rate(t1.id, 5);
    h.clock.advanceMinutes(10); // 10:20
    await h.agents.claim(t2.id, bob);
    h.clock.advanceMinutes(70); // 11:30, past the 11:00 deadline without a reply
    await h.agents.resolve(t2.id, bob);
    await h.handoff.rate(t2.id, 2);

    const m = await handoffMetrics(h.testDb.db, h.clock.now());
    expect(m.waitSeconds).toEqual({ p50: 180, p90: 1200, count: 2 });
    expect(m.firstResponseSeconds).toEqual({ p50: 240, p90: 240, count: 1 });
    expect(m.handleSeconds).toEqual({ p50: 420, p90: 4200, count: 2 });
    expect(m.etaErrorSeconds).toEqual({ p50: 180, p90: 480, count: 2 });
    expect(m.slaByQueue).toEqual({ general: { met: 1, breached: 1, compliance: 0.5 } });
    expect(m.csat).toEqual({
      average: 3.5,
      count: 2,
      byScore: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 },
    });
    expect(m.handoffsByReason).toMatchObject({ requested: 2, misses: 1, frustration: 0 });
    expect(m.conversations).toBe(4);
    expect(m.handoffRateByReason).toMatchObject({ requested: 0.5, misses: 0.25, frustration: 0 });
    expect(m.ticketsByStatus).toEqual({ waiting: 0, assigned: 0, resolved: 2, cancelled: 1 });
    expect(m.openTickets).toEqual({ waiting: 0, assigned: 0 });
    expect(m.outbox).toEqual({ pending: 0, dead: 0 });
  });

  it('reports nulls, not NaN, with no data', async () => {
    const m = await handoffMetrics(h.testDb.db, h.clock.now());
    expect(m.waitSeconds).toEqual({ p50: null, p90: null, count: 0 });
    expect(m.csat.average).toBeNull();
    expect(m.handoffRateByReason.requested).toBeNull();
    expect(m.slaByQueue).toEqual({});
  });
});
