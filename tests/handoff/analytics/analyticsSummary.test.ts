import type { Server } from 'restify';
import pino from 'pino';
import { createHttpEdge } from '../../../bot/infrastructure/httpEdge';
import { AnalyticsReader } from '../../../handoff/analytics/analyticsReader';
import { registerAnalyticsRoutes } from '../../../handoff/analytics/analyticsRoutes';
import type { Principal } from '../../../handoff/types';
import { testDialects } from '../../helpers/testDb';
import { alice, bob, createHarness, openInput, sam, type Harness } from '../handoffHarness';
import { FakeAuth } from '../console/routeServer';

const dana: Principal = { id: 'u-dana', name: 'Dana', role: 'admin' };
const eve: Principal = { id: 'u-eve', name: 'Eve', role: 'editor' };

/** Two conversations the bot answers, two handed off; one of those resolved and rated 4. */
async function fixtureTraffic(h: Harness): Promise<void> {
  // 10:00: c1 and c2 ask FAQ questions the bot answers.
  for (const c of ['c1', 'c2']) {
    await h.handoff.recordLine(c, {
      role: 'customer',
      text: 'how do I reset my password',
      locale: 'en',
    });
    await h.handoff.recordLine(c, {
      role: 'bot',
      text: 'Like this…',
      locale: 'en',
      outcome: 'answered',
    });
  }
  // Alice's console is open, so the tickets below get a waiting estimate to compare with.
  await h.agents.setPresence(alice, { status: 'online' });
  // c3 (English) is not understood twice and asks for a human; c4 (Hebrew) asks for one at once.
  await h.handoff.recordLine('c3', { role: 'customer', text: 'blorp', locale: 'en' });
  await h.handoff.recordLine('c3', { role: 'bot', text: 'Sorry?', locale: 'en', outcome: 'none' });
  await h.handoff.recordLine('c3', { role: 'customer', text: 'human', locale: 'en' });
  const t3 = (await h.handoff.openTicket(openInput('c3', { reason: 'misses' }))).ticket;
  await h.handoff.recordLine('c4', { role: 'customer', text: 'נציג', locale: 'he' });
  await h.handoff.openTicket(openInput('c4', { locale: 'he', queue: 'billing' }));
  h.clock.advanceMinutes(2); // 10:02
  await h.agents.claim(t3.id, alice);
  h.clock.advanceMinutes(1); // 10:03
  await h.agents.postAgentMessage(t3.id, alice, 'Hello, I am Alice');
  h.clock.advanceMinutes(7); // 10:10
  await h.agents.resolve(t3.id, alice);
  await h.handoff.rate(t3.id, 4);
}

describe.each(testDialects())('analytics summary on %s', (dialect) => {
  let h: Harness;
  let reader: AnalyticsReader;
  const day = { from: '2026-11-23T00:00:00.000Z', to: '2026-11-24T00:00:00.000Z' };

  beforeEach(async () => {
    h = await createHarness(dialect, { queues: { general: {}, billing: {} } });
    reader = new AnalyticsReader(h.testDb.db, h.clock);
    await fixtureTraffic(h);
  });
  afterEach(async () => {
    await h.close();
  });

  it('counts 4 conversations, 2 tickets, deflection 0.5 and CSAT 4 for the fixture day', async () => {
    const s = await reader.summary(day);
    expect(s).toMatchObject({
      conversations: 4,
      ticketsOpened: 2,
      deflectionRate: 0.5,
      faqQuestions: 3,
      unansweredQuestions: 1,
      unansweredRate: 1 / 3,
      waitSeconds: { p50: 120, p90: 120, count: 1 },
      firstResponseSeconds: { p50: 180, p90: 180, count: 1 },
      handleSeconds: { p50: 480, p90: 480, count: 1 },
      slaCompliance: 1,
      csat: { count: 1, average: 4, distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 0 } },
    });
    expect(s.handoffRateByReason).toMatchObject({ misses: 0.25, requested: 0.25, frustration: 0 });
    expect(s.conversationsByHour[10]).toBe(4);
    expect(s.etaErrorSeconds.count).toBe(1);
  });

  it('narrows to a locale and to a queue, and finds nothing outside the period', async () => {
    const hebrew = await reader.summary({ ...day, locale: 'he' });
    expect([hebrew.conversations, hebrew.ticketsOpened, hebrew.deflectionRate]).toEqual([1, 1, 0]);
    expect(hebrew.faqQuestions).toBe(0);
    expect(hebrew.unansweredRate).toBeNull();
    const billing = await reader.summary({ ...day, queue: 'billing' });
    expect([billing.conversations, billing.ticketsOpened, billing.deflectionRate]).toEqual([
      4, 1, 0.5,
    ]);
    expect(billing.csat.count).toBe(0);
    const before = await reader.summary({ from: '2026-11-22T00:00:00Z', to: day.from });
    expect([before.conversations, before.ticketsOpened, before.deflectionRate]).toEqual([
      0,
      0,
      null,
    ]);
    expect(before.csat.average).toBeNull();
  });

  it('splits the same figures into hourly buckets that add up to the day', async () => {
    h.clock.set('2026-11-23T12:30:00.000Z');
    await h.handoff.recordLine('c5', { role: 'customer', text: 'opening hours?', locale: 'en' });
    await h.handoff.recordLine('c5', {
      role: 'bot',
      text: '9 to 5',
      locale: 'en',
      outcome: 'answered',
    });
    const series = await reader.timeseries(
      { from: '2026-11-23T09:30:00.000Z', to: '2026-11-23T13:00:00.000Z' },
      'hour',
    );
    expect(series.points.map((p) => [p.start, p.conversations, p.ticketsOpened])).toEqual([
      ['2026-11-23T09:30:00.000Z', 0, 0],
      ['2026-11-23T10:00:00.000Z', 4, 2],
      ['2026-11-23T11:00:00.000Z', 0, 0],
      ['2026-11-23T12:00:00.000Z', 1, 0],
    ]);
    expect(series.points[3]).toMatchObject({ end: '2026-11-23T13:00:00.000Z', deflectionRate: 1 });
  });

  describe('over HTTP', () => {
    let server: Server;
    let url: string;
    beforeEach(async () => {
      server = createHttpEdge({ logger: pino({ level: 'silent' }), maxBodyBytes: 1024 * 1024 });
      registerAnalyticsRoutes(server, {
        analytics: reader,
        auth: new FakeAuth([alice, bob, sam, dana, eve]),
        unanswered: {
          top: (locale, limit) =>
            Promise.resolve(
              [
                { text: 'where is my parcel', locale: 'en', count: 3, lastAt: day.from },
                { text: 'איפה החבילה', locale: 'he', count: 1, lastAt: day.from },
              ]
                .filter((g) => !locale || g.locale === locale)
                .slice(0, limit),
            ),
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${server.address().port}`;
    });
    afterEach(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const get = async (path: string, token = sam.id) => {
      const res = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
      const text = await res.text();
      return { status: res.status, text, type: res.headers.get('content-type') ?? '' };
    };
    const q = `from=${day.from}&to=${day.to}`;

    it('serves the summary to supervisors and admins only', async () => {
      const asSupervisor = await get(`/api/analytics/summary?${q}`);
      expect(asSupervisor.status).toBe(200);
      expect(JSON.parse(asSupervisor.text)).toMatchObject({
        conversations: 4,
        ticketsOpened: 2,
        deflectionRate: 0.5,
        csat: { average: 4 },
      });
      expect((await get(`/api/analytics/summary?${q}`, dana.id)).status).toBe(200);
      expect((await get(`/api/analytics/summary?${q}`, alice.id)).status).toBe(403);
      expect((await get(`/api/analytics/summary?${q}`, eve.id)).status).toBe(403);
      expect((await get(`/api/analytics/summary?${q}`, 'nobody')).status).toBe(401);
    });

    it.each([
      ['from=yesterday&to=2026-11-24T00:00:00Z', 'from'],
      ['to=2026-11-24T00:00:00Z', 'from'],
      ['from=2026-11-23T00:00:00Z&to=2026-13-45', 'to'],
      ['from=2026-11-24T00:00:00Z&to=2026-11-23T00:00:00Z', 'to'],
      ['from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z&locale=<script>', 'locale'],
      ['from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z&queue=a%20b', 'queue'],
    ])('refuses %s with a 400 naming "%s"', async (query, field) => {
      const res = await get(`/api/analytics/summary?${query}`);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({ code: 'invalid_input', field });
      expect(JSON.parse(res.text).message).toContain(`"${field}"`);
    });

    it('refuses an unknown bucket and a period with too many of them', async () => {
      const weekly = await get(`/api/analytics/timeseries?${q}&bucket=week`);
      expect([weekly.status, JSON.parse(weekly.text).field]).toEqual([400, 'bucket']);
      const tooMany = await get(
        '/api/analytics/timeseries?from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z&bucket=hour',
      );
      expect([tooMany.status, JSON.parse(tooMany.text).field]).toEqual([400, 'bucket']);
    });

    it('lists the top unanswered questions of a locale for supervisors', async () => {
      const res = await get('/api/analytics/unanswered?locale=he');
      expect(JSON.parse(res.text)).toEqual({
        questions: [{ text: 'איפה החבילה', locale: 'he', count: 1, lastAt: day.from }],
      });
      expect((await get('/api/analytics/unanswered', alice.id)).status).toBe(403);
      const bad = await get('/api/analytics/unanswered?locale=EN!');
      expect([bad.status, JSON.parse(bad.text).field]).toEqual([400, 'locale']);
    });

    it('serves the time series as JSON and as CSV', async () => {
      const json = JSON.parse((await get(`/api/analytics/timeseries?${q}&bucket=day`)).text);
      expect(json.points).toHaveLength(1);
      expect(json.points[0]).toMatchObject({ conversations: 4, deflectionRate: 0.5 });
      const csv = await get(`/api/analytics/export.csv?${q}&bucket=day`);
      expect(csv.type).toContain('text/csv');
      const [header, row] = csv.text.trim().split('\n');
      const cells = Object.fromEntries(
        header!.split(',').map((name, i) => [name, row!.split(',')[i]]),
      );
      expect(cells).toMatchObject({
        start: day.from,
        conversations: '4',
        tickets_opened: '2',
        deflection_rate: '0.5',
        csat_average: '4',
        wait_p50_seconds: '120',
      });
    });
  });
});
