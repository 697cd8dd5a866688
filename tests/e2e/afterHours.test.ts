import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAppHarness, type AppHarness } from '../helpers/appHarness';
import { customerSays, findTicket } from '../helpers/askdeskClient';
import { FakeConnector } from '../helpers/fakeConnector';
import { testDialects } from '../helpers/testDb';

const dayMs = 24 * 3600 * 1000;
const weekdayKeys = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The general queue is open around the clock except on holidays, and yesterday, today and
 * tomorrow (UTC) are holidays: closed now whatever the time, and back the day after tomorrow
 * at 00:00 UTC, even if the date changes during the test.
 */
function closedNowSettings(now: number) {
  const allDay = [{ open: '00:00', close: '24:00' }];
  return {
    queues: {
      general: {
        timezone: 'UTC',
        schedule: {
          mon: allDay,
          tue: allDay,
          wed: allDay,
          thu: allDay,
          fri: allDay,
          sat: allDay,
          sun: allDay,
        },
        holidays: [isoDay(now - dayMs), isoDay(now), isoDay(now + dayMs)],
      },
    },
  };
}

/**
 * Open only 09:00–17:00 (Asia/Tokyo) on the weekday three days from now: closed now, and back
 * on that weekday at 09:00 Tokyo time.
 */
function tokyoWindowSettings(now: number) {
  const day = new Date(now + 3 * dayMs);
  const tokyoWeekday = new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    timeZone: 'Asia/Tokyo',
  }).format(day);
  const key = weekdayKeys.find((k) => k === tokyoWeekday.slice(0, 3).toLowerCase())!;
  return {
    settings: {
      queues: {
        general: {
          timezone: 'Asia/Tokyo',
          schedule: { [key]: [{ open: '09:00', close: '17:00' }] },
        },
      },
    },
    weekday: new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'Asia/Tokyo' }).format(
      day,
    ),
  };
}

/** Issue 4 "Done when": `afterHours`, and the agent's later reply reaching the customer. */
describe.each(testDialects())('e2e on %s: after hours over HTTP', (dialect) => {
  const connector = new FakeConnector();
  const cleanups: (() => Promise<void>)[] = [];
  const run = `${dialect}-${Date.now()}`;

  /** The real app with its handoff settings in a temp file, as an operator would configure it. */
  const startWith = async (settings: unknown, env: Record<string, string> = {}) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askdesk-e2e-hours-'));
    const settingsFile = path.join(dir, 'handoff.json');
    fs.writeFileSync(settingsFile, JSON.stringify(settings));
    const h = await startAppHarness({
      dialect,
      env: { HANDOFF_SETTINGS_FILE: settingsFile, ...env },
    });
    cleanups.push(async () => {
      await h.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    return h;
  };

  beforeAll(() => connector.start());
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await connector.stop();
  });

  it('keeps the request with afterHours: true, tells when the team is back and the 24 h promise; the agent reply later arrives proactively', async () => {
    const h: AppHarness = await startWith(closedNowSettings(Date.now()));
    const conversationId = `after-hours-${run}`;
    const backAt = new Date(Date.parse(`${isoDay(Date.now() + 2 * dayMs)}T00:00:00Z`));
    const agent = await h.addUser('Nora Night', 'agent');
    await customerSays(h.app.url, connector.url, conversationId, 'I want to talk to a human');
    const told = await connector.waitFor(conversationId, (a) =>
      /away right now/.test(a.text ?? ''),
    );
    const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }).format(
      backAt,
    );
    expect(told.text).toContain(`will be back ${weekday}`);
    expect(told.text).toContain('00:00');
    expect(told.text).toContain('within 24 hours');

    const ticket = await findTicket(h.app.url, agent.token, conversationId);
    expect(ticket).toMatchObject({ status: 'waiting', afterHours: true, position: 1 });
    expect(told.text).toContain(ticket.reference);
    // The wait includes the closed stretch until the team is back.
    const untilOpen = (backAt.getTime() - Date.now()) / 1000;
    expect(ticket.etaSeconds).toBeGreaterThanOrEqual(Math.floor(untilOpen) - 5);

    // Some time later the customer is gone from the chat; the agent answers anyway.
    const before = connector.messagesFor(conversationId).length;
    const claim = await h.call('POST', `/api/handoff/tickets/${ticket.id}/claim`, {
      token: agent.token,
    });
    expect(claim.status).toBe(200);
    expect(claim.body).toMatchObject({ status: 'assigned', afterHours: true });
    const reply = await h.call('POST', `/api/handoff/tickets/${ticket.id}/messages`, {
      token: agent.token,
      body: { text: 'Good morning! Your refund was approved overnight.' },
    });
    expect(reply.status).toBe(201);
    const relayed = await connector.waitFor(conversationId, (a) =>
      (a.text ?? '').includes('Your refund was approved overnight'),
    );
    expect(relayed.from).toMatchObject({ name: 'Nora Night' });
    expect(relayed.from?.id).toMatch(/^agent:/);
    expect(connector.messagesFor(conversationId).length).toBeGreaterThan(before);
    const stored = await h.call('GET', `/api/handoff/tickets/${ticket.id}`, { token: agent.token });
    expect(stored.body.afterHours).toBe(true);
    expect(stored.body.transcript.at(-1)).toMatchObject({ role: 'agent' });
  });

  it("names the opening in the queue's timezone (a weekly schedule) and the configured promise", async () => {
    const { settings, weekday } = tokyoWindowSettings(Date.now());
    const h = await startWith(settings, { HANDOFF_PROMISED_RESPONSE_HOURS: '2' });
    const conversationId = `after-hours-tokyo-${run}`;
    const agent = await h.addUser('Kenji Late', 'agent');
    await customerSays(h.app.url, connector.url, conversationId, 'agent');
    const told = await connector.waitFor(conversationId, (a) =>
      /away right now/.test(a.text ?? ''),
    );
    expect(told.text).toMatch(
      new RegExp(`will be back ${weekday},? \\d{1,2} \\p{L}+,?( at)? 09:00`, 'u'),
    );
    expect(told.text).toContain('within 2 hours');
    const ticket = await findTicket(h.app.url, agent.token, conversationId);
    expect(ticket).toMatchObject({ status: 'waiting', afterHours: true, position: 1 });
    expect(ticket.etaSeconds).toBeGreaterThan(24 * 3600);
  });
});
