import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startAppHarness, type AppHarness } from '../helpers/appHarness';
import { customerSays, findTicket } from '../helpers/askdeskClient';
import { ConnectorSwitch } from '../helpers/connectorSwitch';
import { FakeConnector } from '../helpers/fakeConnector';
import { testDialects } from '../helpers/testDb';

interface LogLine {
  level: number;
  msg: string;
  notice?: string;
  attempts?: number;
  ticketId?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Issue 4 reliability: a proactive message that fails is retried with backoff, never lost. */
describe.each(testDialects())('e2e on %s: proactive notices while the channel is down', (dialect) => {
  let h: AppHarness;
  let dir: string;
  const connector = new FakeConnector();
  const channel = new ConnectorSwitch(() => connector.url);
  const logs: LogLine[] = [];
  const conversationId = `outage-${dialect}-${Date.now()}`;
  const texts = () => connector.messagesFor(conversationId).map((a) => a.text ?? '');

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askdesk-e2e-outbox-'));
    const settingsFile = path.join(dir, 'handoff.json');
    // Short backoff so the test sees several retries within seconds: 0.5 s, 1 s, 2 s, 2 s…
    fs.writeFileSync(
      settingsFile,
      JSON.stringify({ outboxBaseBackoffSeconds: 0.5, outboxMaxBackoffSeconds: 2 }),
    );
    await connector.start();
    await channel.start();
    const logger = pino(
      { level: 'warn' },
      { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
    );
    h = await startAppHarness({
      dialect,
      env: { HANDOFF_SETTINGS_FILE: settingsFile },
      overrides: { logger },
    });
  });
  afterAll(async () => {
    channel.setUp(true);
    await h?.close();
    await channel.stop();
    await connector.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('retries the agent-joined and agent messages with growing delays and delivers them once, in order, when the channel is back', async () => {
    const agent = await h.addUser('Olga Outage', 'agent');
    await customerSays(h.app.url, channel.url, conversationId, 'agent');
    await connector.waitFor(conversationId, (a) => /in the queue/.test(a.text ?? ''));
    const ticket = await findTicket(h.app.url, agent.token, conversationId);

    channel.setUp(false);
    const t0 = Date.now();
    const claim = await h.call('POST', `/api/handoff/tickets/${ticket.id}/claim`, {
      token: agent.token,
    });
    expect(claim.status).toBe(200);
    const sent = await h.call('POST', `/api/handoff/tickets/${ticket.id}/messages`, {
      token: agent.token,
      body: { text: 'Checking your parcel now.' },
    });
    expect(sent.status).toBe(201);

    const downUntil = Date.now() + 4000;
    while (Date.now() < downUntil) {
      await h.app.worker.tick();
      await sleep(50);
    }
    expect(texts().some((t) => t.includes('Olga Outage'))).toBe(false);
    const refused = [...channel.refusedAt];
    console.log('DEBUG', Date.now() - t0, refused.map((t) => t - t0), JSON.stringify(logs));
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused.length).toBeLessThanOrEqual(8);
    const gaps = refused.slice(1).map((t, i) => t - refused[i]!);
    // Exponential backoff: the second wait is clearly longer than the first.
    expect(gaps[1]!).toBeGreaterThan(gaps[0]! * 1.5);
    const warned = logs.filter((l) => l.ticketId === ticket.id && l.notice === 'agentJoined');
    expect(warned.length).toBeGreaterThanOrEqual(2);
    expect(warned.map((l) => l.attempts)).toEqual(warned.map((_, i) => i + 1));

    channel.setUp(true);
    const upUntil = Date.now() + 8000;
    while (Date.now() < upUntil && !texts().some((t) => t.includes('Checking your parcel'))) {
      await h.app.worker.tick();
      await sleep(50);
    }
    for (let i = 0; i < 5; i += 1) {
      await h.app.worker.tick();
      await sleep(20);
    }
    const delivered = texts().filter((t) => t.includes('Olga Outage'));
    expect(delivered).toHaveLength(2);
    expect(delivered[0]).toMatch(/joined/);
    expect(delivered[1]).toContain('Checking your parcel now.');
  }, 30_000);
});
