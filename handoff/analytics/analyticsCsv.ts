import { stringify } from 'csv-stringify/sync';
import { handoffReasons } from '../types';
import type { AnalyticsTimeseries } from './analyticsReader';

const fixed = (value: number | null): string | number => (value === null ? '' : value);

/**
 * One row per bucket, one column per figure; empty cells where a figure has no data (never 0).
 * Every cell is a number, an ISO time or a fixed name, so nothing can be read as a formula.
 */
export function timeseriesCsv(series: AnalyticsTimeseries): string {
  const header = [
    'start',
    'end',
    'conversations',
    'tickets_opened',
    'deflection_rate',
    ...handoffReasons.map((r) => `handoff_rate_${r}`),
    'faq_questions',
    'unanswered_questions',
    'unanswered_rate',
    'wait_p50_seconds',
    'wait_p90_seconds',
    'first_response_p50_seconds',
    'first_response_p90_seconds',
    'handle_p50_seconds',
    'handle_p90_seconds',
    'sla_compliance',
    'csat_count',
    'csat_average',
    'eta_error_p50_seconds',
    'eta_error_p90_seconds',
  ];
  const rows = series.points.map((p) => [
    p.start,
    p.end,
    p.conversations,
    p.ticketsOpened,
    fixed(p.deflectionRate),
    ...handoffReasons.map((r) => fixed(p.handoffRateByReason[r])),
    p.faqQuestions,
    p.unansweredQuestions,
    fixed(p.unansweredRate),
    fixed(p.waitSeconds.p50),
    fixed(p.waitSeconds.p90),
    fixed(p.firstResponseSeconds.p50),
    fixed(p.firstResponseSeconds.p90),
    fixed(p.handleSeconds.p50),
    fixed(p.handleSeconds.p90),
    fixed(p.slaCompliance),
    p.csat.count,
    fixed(p.csat.average),
    fixed(p.etaErrorSeconds.p50),
    fixed(p.etaErrorSeconds.p90),
  ]);
  return stringify([header, ...rows]);
}
