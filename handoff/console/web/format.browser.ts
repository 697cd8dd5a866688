import type { HandoffReason, HandoffTicket } from '../../types';

/** "42 s", "3 min 05 s", "1 h 02 min"; negative input counts as 0. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Live waiting time: counted from `waitingSince` while waiting, the API's figure afterwards. */
export function waitingSecondsAt(ticket: HandoffTicket, nowMs: number): number {
  if (ticket.status !== 'waiting') return ticket.waitingSeconds;
  return (nowMs - Date.parse(ticket.waitingSince)) / 1000;
}

export const reasonLabels: Readonly<Record<HandoffReason, string>> = Object.freeze({
  requested: 'Asked for a person',
  misses: 'Bot could not answer',
  negative_feedback: 'Unhappy with an answer',
  frustration: 'Frustrated',
  sensitive_topic: 'Sensitive topic',
  clarify_none: 'None of the suggestions',
  external: 'External handoff',
});

export const reasonLabel = (reason: string): string =>
  (reasonLabels as Record<string, string>)[reason] ?? reason;

export function timeOfDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
