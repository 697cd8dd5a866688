import type { Knex } from 'knex';
import { asString, asStringOrNull } from './rowValues';
import type { CustomerNotice } from '../types';

const TABLE = 'handoff_outbox';
type Row = Record<string, unknown>;

export type OutboxStatus = 'pending' | 'sent' | 'dead';

export interface OutboxEntry {
  seq: number;
  ticketId: string;
  conversationId: string;
  conversationRef: string;
  locale: string;
  notice: CustomerNotice;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export type NewOutboxEntry = Pick<
  OutboxEntry,
  'ticketId' | 'conversationId' | 'conversationRef' | 'locale' | 'notice' | 'createdAt'
>;

function fromRow(r: Row): OutboxEntry {
  return {
    seq: Number(r.seq),
    ticketId: asString(r.ticket_id),
    conversationId: asString(r.conversation_id),
    conversationRef: asString(r.conversation_ref),
    locale: asString(r.locale),
    notice: JSON.parse(asString(r.notice_json)) as CustomerNotice,
    status: asString(r.status) as OutboxStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: asString(r.next_attempt_at),
    lastError: asStringOrNull(r.last_error),
    createdAt: asString(r.created_at),
    sentAt: asStringOrNull(r.sent_at),
  };
}

/** Durable queue of customer notices: written before sending, so none is lost on a crash. */
export class OutboxStore {
  constructor(private readonly db: Knex) {}

  async enqueue(entry: NewOutboxEntry): Promise<void> {
    await this.db(TABLE).insert({
      ticket_id: entry.ticketId,
      conversation_id: entry.conversationId,
      conversation_ref: entry.conversationRef,
      locale: entry.locale,
      kind: entry.notice.kind,
      notice_json: JSON.stringify(entry.notice),
      status: 'pending',
      attempts: 0,
      next_attempt_at: entry.createdAt,
      created_at: entry.createdAt,
    });
  }

  /** Pending notices of one conversation, oldest first (they must reach the customer in order). */
  async pendingFor(conversationId: string, limit = 1000): Promise<OutboxEntry[]> {
    const rows = (await this.db(TABLE)
      .where({ conversation_id: conversationId, status: 'pending' })
      .orderBy('seq', 'asc')
      .limit(limit)) as Row[];
    return rows.map(fromRow);
  }

  /** Conversations having a pending notice due at `now`. */
  async conversationsDue(now: string, limit: number): Promise<string[]> {
    const rows = (await this.db(TABLE)
      .distinct('conversation_id')
      .where('status', 'pending')
      .where('next_attempt_at', '<=', now)
      .limit(limit)) as Row[];
    return rows.map((r) => asString(r.conversation_id));
  }

  /** Takes a short lease on a row; false when another sender holds it or it is no longer pending. */
  async lease(seq: number, now: string, until: string): Promise<boolean> {
    const count = await this.db(TABLE)
      .where({ seq, status: 'pending' })
      .andWhere((q) => {
        void q.whereNull('leased_until').orWhere('leased_until', '<', now);
      })
      .update({ leased_until: until });
    return Number(count) === 1;
  }

  async markSent(seq: number, now: string): Promise<void> {
    await this.db(TABLE)
      .where({ seq })
      .update({
        status: 'sent',
        sent_at: now,
        leased_until: null,
        attempts: this.db.raw('attempts + 1'),
      });
  }

  async markFailed(
    seq: number,
    failure: { attempts: number; nextAttemptAt: string; error: string; dead: boolean },
  ): Promise<void> {
    await this.db(TABLE)
      .where({ seq })
      .update({
        status: failure.dead ? 'dead' : 'pending',
        attempts: failure.attempts,
        next_attempt_at: failure.nextAttemptAt,
        last_error: failure.error.slice(0, 2000),
        leased_until: null,
      });
  }

  async list(filter: { ticketId?: string; status?: OutboxStatus } = {}): Promise<OutboxEntry[]> {
    const q = this.db(TABLE).orderBy('seq', 'asc');
    if (filter.ticketId) q.where('ticket_id', filter.ticketId);
    if (filter.status) q.where('status', filter.status);
    return ((await q) as Row[]).map(fromRow);
  }
}
