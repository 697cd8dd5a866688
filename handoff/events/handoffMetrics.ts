import type { Knex } from 'knex';
import { TicketStore } from '../store/ticketStore';
import type { HandoffReason, TicketStatus } from '../types';
import { handoffReasons } from '../types';
import {
  csatOf,
  defined,
  distribution,
  etaErrorSecondsOf,
  firstResponseSecondsOf,
  handleSecondsOf,
  slaByQueue,
  waitSecondsOf,
  type Distribution,
  type SlaFigures,
} from '../analytics/ticketFigures';

export type { Distribution, SlaFigures };

/** Figures for /metrics and analytics, over tickets created in the window (default 7 days). */
export interface HandoffMetrics {
  windowStart: string;
  /** Current tickets per status (all time, not windowed: the live queue). */
  openTickets: Record<'waiting' | 'assigned', number>;
  ticketsByStatus: Record<TicketStatus, number>;
  /** waitingSince → first assignment. */
  waitSeconds: Distribution;
  /** waitingSince → first agent reply. */
  firstResponseSeconds: Distribution;
  /** first assignment → resolution. */
  handleSeconds: Distribution;
  /** |predicted wait told at opening − actual wait|. */
  etaErrorSeconds: Distribution;
  slaByQueue: Record<string, SlaFigures>;
  csat: {
    average: number | null;
    count: number;
    byScore: Record<'1' | '2' | '3' | '4' | '5', number>;
  };
  handoffsByReason: Record<HandoffReason, number>;
  /** Conversations that sent at least one line in the window. */
  conversations: number;
  /** Tickets ÷ conversations per reason, 0..1; null without conversations. */
  handoffRateByReason: Record<HandoffReason, number | null>;
  /** Customer notices still to be delivered, and given up. */
  outbox: { pending: number; dead: number };
}

function csatFigures(tickets: Parameters<typeof csatOf>[0]): HandoffMetrics['csat'] {
  const { count, average, distribution: byScore } = csatOf(tickets);
  return { average, count, byScore };
}

async function countRows(q: Knex.QueryBuilder): Promise<number> {
  const row = (await q.count({ n: '*' }).first()) as { n?: unknown } | undefined;
  return Number(row?.n ?? 0);
}

/**
 * Pure computation over the stored tickets (no side effects); the lead exports it through
 * prom-client. `windowHours` (default 168) bounds the historical figures, not the live counts.
 */
export async function handoffMetrics(
  db: Knex,
  now: Date,
  opts: { windowHours?: number } = {},
): Promise<HandoffMetrics> {
  const windowStart = new Date(now.getTime() - (opts.windowHours ?? 168) * 3_600_000).toISOString();
  const store = new TicketStore(db);
  const tickets = await store.list({ createdSince: windowStart });
  const live = await store.list({ statuses: ['waiting', 'assigned'] });
  const byStatus = { waiting: 0, assigned: 0, resolved: 0, cancelled: 0 };
  for (const t of tickets) byStatus[t.status] += 1;
  const byReason = Object.fromEntries(handoffReasons.map((r) => [r, 0])) as Record<
    HandoffReason,
    number
  >;
  for (const t of tickets) byReason[t.reason] += 1;
  const conversations = await countRows(
    db.from(
      db('handoff_transcript_lines')
        .distinct('conversation_id')
        .where('at', '>=', windowStart)
        .as('c'),
    ),
  );
  const etaErrors = tickets.map(etaErrorSecondsOf).filter(defined);
  return {
    windowStart,
    openTickets: {
      waiting: live.filter((t) => t.status === 'waiting').length,
      assigned: live.filter((t) => t.status === 'assigned').length,
    },
    ticketsByStatus: byStatus,
    waitSeconds: distribution(tickets.map(waitSecondsOf).filter(defined)),
    firstResponseSeconds: distribution(tickets.map(firstResponseSecondsOf).filter(defined)),
    handleSeconds: distribution(tickets.map(handleSecondsOf).filter(defined)),
    etaErrorSeconds: distribution(etaErrors),
    slaByQueue: slaByQueue(tickets, now),
    csat: csatFigures(tickets),
    handoffsByReason: byReason,
    conversations,
    handoffRateByReason: Object.fromEntries(
      handoffReasons.map((r) => [r, conversations ? byReason[r] / conversations : null]),
    ) as Record<HandoffReason, number | null>,
    outbox: {
      pending: await countRows(db('handoff_outbox').where('status', 'pending')),
      dead: await countRows(db('handoff_outbox').where('status', 'dead')),
    },
  };
}
