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
  time: number;
  msg: string;
  notice?: string;
  attempts?: number;
  ticketId?: string;
  nextAttemptAt?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const baseBackoffSeconds = 0.5;

/**
 * Issue 4 reliability: a proactive message that fails (the customer's channel is down) is
 * retried with backoff and recorded, never lost silently. The channel is a ConnectorSwitch in
 * front of the FakeConnector, answering 500 while down.
 */
describe.each(testDialects())(
  'e2e on %s: proactive notices while the channel is down',
  (dialect) => {
    let h: AppHarness;
    let dir: string;
    let agent: { token: string };
    const connector = new FakeConnector();
    const channel = new ConnectorSwitch(() => connector.url);
    const logs: LogLine[] = [];
    let onLog: (line: LogLine) => void = () => undefined;
    const run = `${dialect}-${Date.now()}`;
    const texts = (conversationId: string) =>
      connector.messagesFor(conversationId).map((a) => a.text ?? '');
    const retryWarnings = (ticketId: string) =>
      logs.filter((l) => l.ticketId === ticketId && l.msg === 'customer notice failed; will retry');

    /** Runs the worker (as main.ts's timer would, only faster) until `done()` or the deadline. */
    const tickUntil = async (done: () => boolean, timeoutMs: number): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!done() && Date.now() < deadline) {
        await h.app.worker.tick();
        await sleep(50);
      }
    };

    /** A customer in the queue (while the channel is up), and their ticket. */
    const queuedCustomer = async (conversationId: string): Promise<{ id: string }> => {
      channel.setUp(true);
      await customerSays(h.app.url, channel.url, conversationId, 'agent');
      await connector.waitFor(conversationId, (a) => /in the queue/.test(a.text ?? ''));
      return findTicket(h.app.url, agent.token, conversationId);
    };

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askdesk-e2e-outbox-'));
      const settingsFile = path.join(dir, 'handoff.json');
      // Short backoff so that retries happen within seconds: 0.5 s, 1 s, 2 s, 2 s…
      fs.writeFileSync(
        settingsFile,
        JSON.stringify({
          outboxBaseBackoffSeconds: baseBackoffSeconds,
          outboxMaxBackoffSeconds: 2,
        }),
      );
      await connector.start();
      await channel.start();
      const logger = pino(
        { level: 'warn' },
        {
          write: (text: string) => {
            const line = JSON.parse(text) as LogLine;
            logs.push(line);
            onLog(line);
          },
        },
      );
      h = await startAppHarness({
        dialect,
        env: { HANDOFF_SETTINGS_FILE: settingsFile },
        overrides: { logger },
      });
      agent = await h.addUser('Olga Outage', 'agent');
    });
    afterEach(() => {
      onLog = () => undefined;
      channel.setUp(true);
    });
    afterAll(async () => {
      await h?.close();
      await channel.stop();
      await connector.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('retries failed notices with growing delays (recorded), then delivers each exactly once, in order', async () => {
      const conversationId = `outage-long-${run}`;
      const ticket = await queuedCustomer(conversationId);
      channel.setUp(false);
      const claim = await h.call('POST', `/api/handoff/tickets/${ticket.id}/claim`, {
        token: agent.token,
      });
      expect(claim.status).toBe(200);
      const sent = await h.call('POST', `/api/handoff/tickets/${ticket.id}/messages`, {
        token: agent.token,
        body: { text: 'Checking your parcel now.' },
      });
      expect(sent.status).toBe(201);

      await tickUntil(() => retryWarnings(ticket.id).length >= 2, 40_000);
      const warnings = retryWarnings(ticket.id);
      expect(warnings.map((w) => [w.notice, w.attempts])).toEqual([
        ['agentJoined', 1],
        ['agentJoined', 2],
      ]);
      const delays = warnings.map((w) => (Date.parse(w.nextAttemptAt!) - w.time) / 1000);
      expect(delays[0]).toBeGreaterThan(0);
      expect(delays[0]).toBeLessThanOrEqual(baseBackoffSeconds);
      expect(delays[1]).toBeGreaterThan(delays[0]! * 1.4);
      expect(texts(conversationId).join('\n')).not.toContain('Olga Outage');
      expect(texts(conversationId).join('\n')).not.toContain('Checking your parcel');

      channel.setUp(true);
      await tickUntil(
        () => texts(conversationId).some((t) => t.includes('Checking your parcel')),
        15_000,
      );
      await h.app.worker.tick();
      // The agent's words arrive as the agent (no name prefix), after the joined notice.
      const delivered = texts(conversationId);
      const joined = delivered.filter((t) => t.includes('Olga Outage') && /joined/.test(t));
      const replies = delivered.filter((t) => t.includes('Checking your parcel now.'));
      expect(joined).toHaveLength(1);
      expect(replies).toHaveLength(1);
      expect(delivered.indexOf(joined[0]!)).toBeLessThan(delivered.indexOf(replies[0]!));
      expect(texts(conversationId).join('\n')).not.toContain('something went wrong');
    }, 60_000);

    it('does not lose a notice when the channel fails only briefly (it is delivered, not replaced by an error message)', async () => {
      const conversationId = `outage-brief-${run}`;
      const ticket = await queuedCustomer(conversationId);
      // The channel comes back as soon as the bot reacts to the failure (or after 8 s at most).
      onLog = (line) => {
        if (line.level >= 40) channel.setUp(true);
      };
      const backAnyway = setTimeout(() => channel.setUp(true), 8000);
      try {
        channel.setUp(false);
        const claim = await h.call('POST', `/api/handoff/tickets/${ticket.id}/claim`, {
          token: agent.token,
        });
        expect(claim.status).toBe(200);
        await tickUntil(() => texts(conversationId).some((t) => /joined/.test(t)), 12_000);
      } finally {
        clearTimeout(backAnyway);
      }
      const afterQueued = texts(conversationId).slice(1);
      expect(afterQueued).not.toContainEqual(expect.stringContaining('something went wrong'));
      expect(afterQueued.filter((t) => /Olga Outage.*joined/.test(t))).toHaveLength(1);
    }, 60_000);

    it("answers the agent's claim even while the customer's channel is down", async () => {
      const conversationId = `outage-latency-${run}`;
      const ticket = await queuedCustomer(conversationId);
      channel.setUp(false);
      const claim = await h.call('POST', `/api/handoff/tickets/${ticket.id}/claim`, {
        token: agent.token,
      });
      expect(claim.status).toBe(200);
      channel.setUp(true);
      await tickUntil(() => texts(conversationId).some((t) => /joined/.test(t)), 20_000);
    }, 60_000);
  },
);
