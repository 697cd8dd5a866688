import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { HandoffError } from '../errors';
import type { HandoffContext } from './handoffContext';
import type { TicketRecord } from '../store/ticketRecord';
import { OutboxStore } from '../store/outboxStore';
import { TicketStore } from '../store/ticketStore';
import { TranscriptStore } from '../store/transcriptStore';
import type { Principal, TranscriptLine } from '../types';

const KEYS = 'handoff_agent_message_keys';

/** The same Idempotency-Key came with a different message: a client bug, not a retry. */
export class IdempotencyKeyReusedError extends HandoffError {
  constructor(key: string) {
    super(
      'idempotency_key_reused',
      `Idempotency-Key "${key}" was already used for a different message on this ticket — send a new key for each new message`,
    );
  }
}

/** The ticket changed hands (or closed) between reading it and writing the message. */
export class LostRaceError extends HandoffError {
  constructor(ticketId: string) {
    super(
      'conflict',
      `Ticket ${ticketId} was transferred, requeued or closed while the message was being sent; nothing was sent — reload the ticket`,
    );
  }
}

export type AgentMessageOutcome = { kind: 'written'; line: TranscriptLine } | { kind: 'replayed' };

/**
 * Writes an agent's message as one transaction: the guarded ticket update (still assigned to
 * the same agent: a transfer, requeue or close that won the race makes it touch no row, and
 * nothing is written), the transcript line and the customer notice in the outbox. With an
 * idempotency key, the key is claimed in the same transaction, so a retry of a request that
 * went through (same key, same text) writes nothing and returns `replayed`, on any instance,
 * even when the ticket has moved on since; `assertAllowed` (ownership) runs for new messages only.
 *
 * Delivery of the queued notice is the caller's job, after the commit.
 */
export async function writeAgentMessage(
  ctx: HandoffContext,
  record: TicketRecord,
  actor: Principal,
  text: string,
  idempotencyKey: string | undefined,
  assertAllowed: () => void,
): Promise<AgentMessageOutcome> {
  const textSha256 = crypto.createHash('sha256').update(text).digest('hex');
  if (idempotencyKey) {
    const earlier = await previousUse(ctx.deps.db, record.id, idempotencyKey);
    if (earlier) return replayOf(earlier, textSha256, idempotencyKey);
  }
  assertAllowed();
  try {
    return await ctx.deps.db.transaction(async (trx) => {
      const now = ctx.nowIso();
      if (idempotencyKey) {
        await trx(KEYS).insert({
          ticket_id: record.id,
          idempotency_key: idempotencyKey,
          agent_id: actor.id,
          text_sha256: textSha256,
          created_at: now,
        });
      }
      const updated = await new TicketStore(trx).update(
        record.id,
        { statuses: ['assigned'], assignedAgentId: record.assignedAgentId },
        { agentActiveAt: now, ...(record.firstResponseAt ? {} : { firstResponseAt: now }) },
        now,
      );
      if (!updated) throw new LostRaceError(record.id);
      const line = await new TranscriptStore(trx, ctx.deps.redact).append(record.conversationId, {
        role: 'agent',
        text,
        at: now,
        agentName: actor.name,
      });
      await ctx.outbox.enqueueIn(new OutboxStore(trx), record, {
        kind: 'agentMessage',
        agentId: actor.id,
        agentName: actor.name,
        text,
      });
      return { kind: 'written', line } as const;
    });
  } catch (err) {
    // A concurrent request with the same key committed first: this one is its retry.
    if (!idempotencyKey || !isUniqueViolation(err)) throw err;
    const earlier = await previousUse(ctx.deps.db, record.id, idempotencyKey);
    if (!earlier) throw err;
    return replayOf(earlier, textSha256, idempotencyKey);
  }
}

async function previousUse(
  db: Knex,
  ticketId: string,
  key: string,
): Promise<{ text_sha256: string } | undefined> {
  const row: unknown = await db(KEYS)
    .where({ ticket_id: ticketId, idempotency_key: key })
    .first('text_sha256');
  return row ? { text_sha256: String((row as Record<string, unknown>).text_sha256) } : undefined;
}

function replayOf(
  earlier: { text_sha256: string },
  textSha256: string,
  key: string,
): AgentMessageOutcome {
  if (earlier.text_sha256 !== textSha256) throw new IdempotencyKeyReusedError(key);
  return { kind: 'replayed' };
}

/** PostgreSQL 23505, SQLite SQLITE_CONSTRAINT (primary key or unique). */
const isUniqueViolation = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT'));
};
