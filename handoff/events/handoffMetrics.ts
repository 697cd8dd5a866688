import type { Knex } from 'knex';
import { quantile } from '../service/eta';
import { TicketStore } from '../store/ticketStore';
import type { TicketRecord } from '../store/ticketRecord';
import { handleSecondsOf, isSlaBreached } from '../store/ticketView';
import type { HandoffReason, TicketStatus } from '../types';
import { handoffReasons } from '../types';

export interface Distribution {
  /** Seconds; null when there is no sample. */
  p50: number | null;
  p90: number | null;
  count: number;
}

export interface SlaFigures {
  met: number;
  breached: number;
  /** met ÷ (met + breached), 0..1; null when nothing is decided yet. */
  compliance: number | null;
}

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

const secondsBetween = (from: string, to: string): number =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

function distribution(values: number[]): Distribution {
  return { p50: quantile(values, 0.5), p90: quantile(values, 0.9), count: values.length };
}

const actualWaitOf = (t: TicketRecord): number | null =>
  t.firstAssignedAt ? secondsBetween(t.waitingSince, t.firstAssignedAt) : null;

const defined = <T>(v: T | null): v is T => v !== null;

/** SLA is decided once answered, or once the deadline passed (open or closed without reply). */
function slaByQueue(tickets: TicketRecord[], now: Date): Record<string, SlaFigures> {
  const out: Record<string, SlaFigures> = {};
  for (const t of tickets) {
    const end = t.resolvedAt ?? t.cancelledAt ?? now.toISOString();
    const decided = t.firstResponseAt !== null || end > t.slaDeadline;
    if (!decided) continue;
    const q = (out[t.queue] ??= { met: 0, breached: 0, compliance: null });
    if (isSlaBreached(t, now)) q.breached += 1;
    else q.met += 1;
  }
  for (const q of Object.values(out)) q.compliance = q.met / (q.met + q.breached);
  return out;
}

function csatOf(tickets: TicketRecord[]): HandoffMetrics['csat'] {
  const scores = tickets.map((t) => t.csat).filter(defined);
  const byScore = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const s of scores) byScore[String(s) as keyof typeof byScore] += 1;
  const average = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
  return { average, count: scores.length, byScore };
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
  const etaErrors = tickets
    .map((t) => {
      const actual = actualWaitOf(t);
      return actual === null || t.predictedWaitSeconds === null
        ? null
        : Math.abs(t.predictedWaitSeconds - actual);
    })
    .filter(defined);
  return {
    windowStart,
    openTickets: {
      waiting: live.filter((t) => t.status === 'waiting').length,
      assigned: live.filter((t) => t.status === 'assigned').length,
    },
    ticketsByStatus: byStatus,
    waitSeconds: distribution(tickets.map(actualWaitOf).filter(defined)),
    firstResponseSeconds: distribution(
      tickets
        .map((t) => (t.firstResponseAt ? secondsBetween(t.waitingSince, t.firstResponseAt) : null))
        .filter(defined),
    ),
    handleSeconds: distribution(tickets.map(handleSecondsOf).filter(defined)),
    etaErrorSeconds: distribution(etaErrors),
    slaByQueue: slaByQueue(tickets, now),
    csat: csatOf(tickets),
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
