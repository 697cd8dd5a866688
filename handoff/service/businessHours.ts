import { DateTime } from 'luxon';
import type { QueueSettings, Weekday } from './handoffSettings';
import { weekdays } from './handoffSettings';

/** Pure business-hours arithmetic in a queue's timezone (luxon handles DST and offsets). */

interface Interval {
  start: number;
  end: number;
}

// Holidays and schedules can leave a queue closed for a long stretch; a year of look-ahead
// covers any real calendar, and an empty schedule (never open) ends the search.
const LOOKAHEAD_DAYS = 370;

function spanBounds(day: DateTime, hhmm: string): DateTime {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return day.startOf('day').plus({ hours: h, minutes: m });
}

/** Opening intervals (epoch ms) of one local calendar day, in order. */
function intervalsOfDay(queue: QueueSettings, day: DateTime): Interval[] {
  if (!queue.schedule) return [];
  if (queue.holidays.includes(day.toISODate() ?? '')) return [];
  const weekday = weekdays[day.weekday - 1] as Weekday;
  return queue.schedule[weekday]
    .map((s) => ({
      start: spanBounds(day, s.open).toMillis(),
      end: spanBounds(day, s.close).toMillis(),
    }))
    .filter((i) => i.end > i.start)
    .sort((a, b) => a.start - b.start);
}

/** Opening intervals from the local day containing `from` onwards, for up to a year. */
function* openIntervals(queue: QueueSettings, from: Date): Generator<Interval> {
  const first = DateTime.fromJSDate(from, { zone: queue.timezone }).startOf('day');
  for (let d = 0; d < LOOKAHEAD_DAYS; d += 1) {
    yield* intervalsOfDay(queue, first.plus({ days: d }));
  }
}

const isAlwaysOpen = (queue: QueueSettings): boolean => queue.schedule === null;

/** True when the queue is staffed at `at` (always, without a schedule). */
export function isOpenAt(queue: QueueSettings, at: Date): boolean {
  return nextOpening(queue, at)?.getTime() === at.getTime();
}

/**
 * `at` itself when open, else the start of the next opening; null when the queue never opens
 * within a year (e.g. an empty schedule).
 */
export function nextOpening(queue: QueueSettings, at: Date): Date | null {
  if (isAlwaysOpen(queue)) return at;
  const t = at.getTime();
  for (const i of openIntervals(queue, at)) {
    if (i.end <= t) continue;
    return new Date(Math.max(i.start, t));
  }
  return null;
}

/** Seconds from `at` until the queue opens: 0 when open, null when it never opens. */
export function secondsUntilOpen(queue: QueueSettings, at: Date): number | null {
  const opening = nextOpening(queue, at);
  return opening === null ? null : Math.round((opening.getTime() - at.getTime()) / 1000);
}

/**
 * `start` plus `minutes` of open time: the SLA clock only runs during business hours. A queue
 * that never opens gets plain wall-clock time, so a deadline always exists.
 */
export function addBusinessMinutes(queue: QueueSettings, start: Date, minutes: number): Date {
  let remaining = minutes * 60_000;
  if (isAlwaysOpen(queue)) return new Date(start.getTime() + remaining);
  const t = start.getTime();
  for (const i of openIntervals(queue, start)) {
    if (i.end <= t) continue;
    const from = Math.max(i.start, t);
    if (from + remaining <= i.end) return new Date(from + remaining);
    remaining -= i.end - from;
  }
  return new Date(t + minutes * 60_000);
}
