import type { HandoffReason } from '../types';

/** What the analytics API answers; plain types, shared with the dashboard bundle. */

export type Bucket = 'hour' | 'day';

export interface Distribution {
  /** Seconds, nearest rank; null when there is no sample. */
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

export interface CsatFigures {
  count: number;
  /** Mean of the 1..5 ratings; null without ratings. */
  average: number | null;
  /** How many ratings of each score, "1".."5" (every key present, 0 when none). */
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
}

/** The figures of one period. Rates are 0..1 and null when their denominator is 0. */
export interface AnalyticsFigures {
  /** Conversations with at least one customer message in the period. */
  conversations: number;
  /** Tickets created in the period (in `queue` when given). */
  ticketsOpened: number;
  /** Share of `conversations` without a ticket opened in the period (any queue). */
  deflectionRate: number | null;
  handoffsByReason: Record<HandoffReason, number>;
  /** Tickets with that reason ÷ conversations. */
  handoffRateByReason: Record<HandoffReason, number | null>;
  /** FAQ questions the bot answered (directly or not). */
  faqQuestions: number;
  /** Of those, the ones without a direct answer (clarifying question, no match, handoff). */
  unansweredQuestions: number;
  unansweredRate: number | null;
  waitSeconds: Distribution;
  firstResponseSeconds: Distribution;
  handleSeconds: Distribution;
  /** First-response SLA met ÷ decided, every queue together. */
  slaCompliance: number | null;
  slaByQueue: Record<string, SlaFigures>;
  csat: CsatFigures;
  etaErrorSeconds: Distribution;
}

export interface AnalyticsSummary extends AnalyticsFigures {
  from: string;
  to: string;
  locale: string | null;
  queue: string | null;
  /** Conversations per UTC hour of day, 0..23: the busiest hours. */
  conversationsByHour: number[];
}

export interface TimeseriesPoint extends AnalyticsFigures {
  /** The bucket [start, end), ISO UTC. */
  start: string;
  end: string;
}

export interface AnalyticsTimeseries {
  from: string;
  to: string;
  bucket: Bucket;
  locale: string | null;
  queue: string | null;
  points: TimeseriesPoint[];
}
