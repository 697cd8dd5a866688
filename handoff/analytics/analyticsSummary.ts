import type { TicketRecord } from '../store/ticketRecord';
import type { FaqOutcome } from '../store/transcriptStore';
import type { HandoffReason } from '../types';
import { handoffReasons } from '../types';
import {
  csatOf,
  defined,
  distribution,
  etaErrorSecondsOf,
  firstResponseSecondsOf,
  handleSecondsOf,
  overallCompliance,
  slaByQueue,
  waitSecondsOf,
} from './ticketFigures';
import type { AnalyticsFigures } from './analyticsTypes';

export type { AnalyticsFigures };

/** A conversation had a customer message in this UTC hour ("2026-11-23T10"). */
export interface ConversationHour {
  conversationId: string;
  hour: string;
}

/** How many FAQ questions the bot answered which way in this UTC hour. */
export interface FaqTurnCount {
  hour: string;
  outcome: FaqOutcome;
  count: number;
}

/** The rows one period's figures are computed from (already narrowed to the period and locale). */
export interface AnalyticsRows {
  conversationHours: readonly ConversationHour[];
  faqTurns: readonly FaqTurnCount[];
  /** Tickets created in the period, every queue (the queue filter is applied here). */
  tickets: readonly TicketRecord[];
}

const rate = (part: number, whole: number): number | null => (whole ? part / whole : null);

/**
 * The figures of one period from its rows; pure. `queue` narrows the ticket figures only
 * (conversations belong to no queue). `now` decides which open tickets already broke their SLA.
 */
export function summariseRows(rows: AnalyticsRows, now: Date, queue?: string): AnalyticsFigures {
  const conversationIds = new Set(rows.conversationHours.map((c) => c.conversationId));
  const conversations = conversationIds.size;
  const withTicket = new Set(
    rows.tickets.map((t) => t.conversationId).filter((id) => conversationIds.has(id)),
  );
  const tickets = queue ? rows.tickets.filter((t) => t.queue === queue) : rows.tickets;
  const handoffsByReason = Object.fromEntries(handoffReasons.map((r) => [r, 0])) as Record<
    HandoffReason,
    number
  >;
  for (const t of tickets) handoffsByReason[t.reason] += 1;
  let faqQuestions = 0;
  let unansweredQuestions = 0;
  for (const turn of rows.faqTurns) {
    faqQuestions += turn.count;
    if (turn.outcome !== 'answered') unansweredQuestions += turn.count;
  }
  const sla = slaByQueue(tickets, now);
  return {
    conversations,
    ticketsOpened: tickets.length,
    deflectionRate: rate(conversations - withTicket.size, conversations),
    handoffsByReason,
    handoffRateByReason: Object.fromEntries(
      handoffReasons.map((r) => [r, rate(handoffsByReason[r], conversations)]),
    ) as Record<HandoffReason, number | null>,
    faqQuestions,
    unansweredQuestions,
    unansweredRate: rate(unansweredQuestions, faqQuestions),
    waitSeconds: distribution(tickets.map(waitSecondsOf).filter(defined)),
    firstResponseSeconds: distribution(tickets.map(firstResponseSecondsOf).filter(defined)),
    handleSeconds: distribution(tickets.map(handleSecondsOf).filter(defined)),
    slaCompliance: overallCompliance(sla),
    slaByQueue: sla,
    csat: csatOf(tickets),
    etaErrorSeconds: distribution(tickets.map(etaErrorSecondsOf).filter(defined)),
  };
}

/** Conversations per UTC hour of day (index 0..23), for "busiest hours". */
export function conversationsByHourOfDay(hours: readonly ConversationHour[]): number[] {
  const seen = new Set<string>();
  const counts = new Array<number>(24).fill(0);
  for (const { conversationId, hour } of hours) {
    const hourOfDay = Number(hour.slice(11, 13));
    const key = `${conversationId}|${hourOfDay}`;
    if (seen.has(key)) continue;
    seen.add(key);
    counts[hourOfDay] = (counts[hourOfDay] ?? 0) + 1;
  }
  return counts;
}
