import type { OutboxEntry } from '../store/outboxStore';
import { OutboxStore } from '../store/outboxStore';
import type { TicketRecord } from '../store/ticketRecord';
import type { Clock, CustomerNotice, CustomerNotifier, HandoffLogger } from '../types';
import type { HandoffSettings } from '../service/handoffSettings';

const LEASE_MS = 30_000;
// A channel that hangs must not hold an agent's request (or the worker) forever; a timed-out
// notice is retried like a failed one (at worst the customer sees it twice, never zero times).
const NOTIFY_TIMEOUT_MS = 15_000;

/** Waits for `work`, or `ms` at most; `work` keeps running either way. */
async function raceWithDelay(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const delay = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  await Promise.race([work, delay]).finally(() => clearTimeout(timer));
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`notify timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Delay before attempt n+1 (n ≥ 1 failures so far): base × 2^(n−1), capped. Pure. */
export function backoffSeconds(failures: number, baseSeconds: number, maxSeconds: number): number {
  return Math.min(maxSeconds, baseSeconds * 2 ** Math.max(0, failures - 1));
}

/**
 * Sends customer notices through the outbox: each notice is stored first, then sent; a failure
 * is recorded and retried with exponential backoff (by `deliverDue`, which the worker calls),
 * and after the last attempt the row is kept as 'dead' and logged as an error.
 */
export class NoticeOutbox {
  constructor(
    private readonly store: OutboxStore,
    private readonly notifier: CustomerNotifier,
    private readonly clock: Clock,
    private readonly settings: HandoffSettings,
    private readonly logger: HandoffLogger,
  ) {}

  private readonly inFlight = new Set<Promise<number>>();

  /**
   * Stores the notice, then delivers it (and anything older for the conversation), waiting at
   * most `noticeInlineWaitMs` so an agent's request stays fast while a channel is down or slow;
   * delivery goes on in the background, and failures are retried by `deliverDue`.
   */
  async send(ticket: TicketRecord, notice: CustomerNotice): Promise<void> {
    await this.enqueueIn(this.store, ticket, notice);
    await this.deliverPending(ticket.conversationId);
  }

  /**
   * Stores the notice through `store`, e.g. one bound to the caller's transaction, so the notice
   * exists exactly when the rest of the write does. Call deliverPending after the commit.
   */
  async enqueueIn(store: OutboxStore, ticket: TicketRecord, notice: CustomerNotice): Promise<void> {
    await store.enqueue({
      ticketId: ticket.id,
      conversationId: ticket.conversationId,
      conversationRef: ticket.conversationRef,
      locale: ticket.locale,
      notice,
      createdAt: this.clock.now().toISOString(),
    });
  }

  /** Delivers the conversation's pending notices, waiting as `send` does. */
  async deliverPending(conversationId: string): Promise<void> {
    const delivery = this.track(this.deliverConversation(conversationId));
    await raceWithDelay(delivery, this.settings.noticeInlineWaitMs);
  }

  /** Resolves once background deliveries started by `send` are over (call before closing the DB). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private track(delivery: Promise<number>): Promise<number> {
    const tracked = delivery.catch((err: unknown) => {
      this.logger.error(
        { err: String(err) },
        'customer notice delivery crashed; the worker retries it',
      );
      return 0;
    });
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return tracked;
  }

  /** Retries every due notice; returns how many were sent. */
  async deliverDue(limit = 100): Promise<number> {
    const conversations = await this.store.conversationsDue(this.clock.now().toISOString(), limit);
    let sent = 0;
    for (const conversationId of conversations)
      sent += await this.deliverConversation(conversationId);
    return sent;
  }

  // Oldest first, stopping at the first notice that is not due, leased by another sender, or
  // failing, so the customer never sees "resolved" before the agent's last message. The list is
  // re-read after each send, so notices queued meanwhile go out in the same pass.
  private async deliverConversation(conversationId: string): Promise<number> {
    for (let sent = 0; ; sent += 1) {
      const [entry] = await this.store.pendingFor(conversationId, 1);
      const now = this.clock.now();
      if (!entry || entry.nextAttemptAt > now.toISOString()) return sent;
      const until = new Date(now.getTime() + LEASE_MS).toISOString();
      if (!(await this.store.lease(entry.seq, now.toISOString(), until))) return sent;
      if (!(await this.attempt(entry))) return sent;
    }
  }

  private async attempt(entry: OutboxEntry): Promise<boolean> {
    try {
      await withTimeout(
        this.notifier.notify(
          {
            conversationRef: JSON.parse(entry.conversationRef) as unknown,
            conversationId: entry.conversationId,
            locale: entry.locale,
            ticketId: entry.ticketId,
          },
          entry.notice,
        ),
        NOTIFY_TIMEOUT_MS,
      );
      await this.store.markSent(entry.seq, this.clock.now().toISOString());
      return true;
    } catch (err) {
      await this.recordFailure(entry, err);
      return false;
    }
  }

  private async recordFailure(entry: OutboxEntry, err: unknown): Promise<void> {
    const attempts = entry.attempts + 1;
    const dead = attempts >= this.settings.outboxMaxAttempts;
    const delay = backoffSeconds(
      attempts,
      this.settings.outboxBaseBackoffSeconds,
      this.settings.outboxMaxBackoffSeconds,
    );
    const error = err instanceof Error ? err.message : String(err);
    const nextAttemptAt = new Date(this.clock.now().getTime() + delay * 1000).toISOString();
    await this.store.markFailed(entry.seq, { attempts, nextAttemptAt, error, dead });
    const log = { ticketId: entry.ticketId, notice: entry.notice.kind, attempts, error };
    if (dead) this.logger.error(log, 'customer notice given up after the last retry');
    else this.logger.warn({ ...log, nextAttemptAt }, 'customer notice failed; will retry');
  }
}
