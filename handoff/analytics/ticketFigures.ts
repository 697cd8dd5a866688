import { quantile } from '../service/eta';
import type { TicketRecord } from '../store/ticketRecord';
import { handleSecondsOf, isSlaBreached } from '../store/ticketView';
import type { CsatFigures, Distribution, SlaFigures } from './analyticsTypes';

/** Pure figures over stored tickets, shared by the analytics API and the /metrics gauges. */

export type { CsatFigures, Distribution, SlaFigures } from './analyticsTypes';

export const secondsBetween = (from: string, to: string): number =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

export const defined = <T>(v: T | null): v is T => v !== null;

export function distribution(values: readonly number[]): Distribution {
  return { p50: quantile(values, 0.5), p90: quantile(values, 0.9), count: values.length };
}

/** waitingSince → first assignment, seconds; null until an agent took it. */
export const waitSecondsOf = (t: TicketRecord): number | null =>
  t.firstAssignedAt ? secondsBetween(t.waitingSince, t.firstAssignedAt) : null;

/** waitingSince → first agent reply, seconds; null before the reply. */
export const firstResponseSecondsOf = (t: TicketRecord): number | null =>
  t.firstResponseAt ? secondsBetween(t.waitingSince, t.firstResponseAt) : null;

/** |wait told at opening − actual wait|, seconds; null unless both are known. */
export function etaErrorSecondsOf(t: TicketRecord): number | null {
  const actual = waitSecondsOf(t);
  return actual === null || t.predictedWaitSeconds === null
    ? null
    : Math.abs(t.predictedWaitSeconds - actual);
}

export { handleSecondsOf };

/** SLA is decided once answered, or once the deadline passed (open or closed without reply). */
export function slaByQueue(
  tickets: readonly TicketRecord[],
  now: Date,
): Record<string, SlaFigures> {
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

/** Met ÷ decided over every queue; null when nothing is decided. */
export function overallCompliance(byQueue: Record<string, SlaFigures>): number | null {
  let met = 0;
  let decided = 0;
  for (const q of Object.values(byQueue)) {
    met += q.met;
    decided += q.met + q.breached;
  }
  return decided ? met / decided : null;
}

export function csatOf(tickets: readonly TicketRecord[]): CsatFigures {
  const scores = tickets.map((t) => t.csat).filter(defined);
  const counts = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const s of scores) {
    const key = String(s) as keyof typeof counts;
    if (key in counts) counts[key] += 1;
  }
  const average = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
  return { count: scores.length, average, distribution: counts };
}
