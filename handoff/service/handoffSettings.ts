import { z } from 'zod';

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'must be HH:MM in 24-hour time, e.g. "09:00"');

const OpeningSpan = z.object({ open: hhmm, close: hhmm });

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];
export { weekdays };

const WeeklySchedule = z.object(
  Object.fromEntries(weekdays.map((d) => [d, z.array(OpeningSpan).default([])])) as Record<
    Weekday,
    z.ZodDefault<z.ZodArray<typeof OpeningSpan>>
  >,
);

const QueueSettingsSchema = z.object({
  /** IANA zone the schedule and holidays are written in, e.g. "Europe/Bucharest". */
  timezone: z.string().min(1).default('UTC'),
  /** Opening spans per weekday in the queue's timezone; null means open around the clock. */
  schedule: WeeklySchedule.nullable().default(null),
  /** Closed days, YYYY-MM-DD in the queue's timezone. */
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')).default([]),
  /** First-response target in minutes, counted in business hours. */
  firstResponseSlaMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 14)
    .optional(),
});

export type OpeningSpan = z.infer<typeof OpeningSpan>;
export type WeeklySchedule = z.infer<typeof WeeklySchedule>;
export type QueueSettings = Omit<z.infer<typeof QueueSettingsSchema>, 'firstResponseSlaMinutes'> & {
  firstResponseSlaMinutes: number;
};

/**
 * First-response targets (minutes) for queues named after an industry: the low end of
 * the usual industry ranges (technology 1–2 h, banking 2–4 h, retail 1–3 h, travel 3–6 h, games 1–2 h).
 * Any other queue gets `general`'s 1 h.
 */
export const industrySlaMinutes: Readonly<Record<string, number>> = Object.freeze({
  general: 60,
  supervisor: 60,
  technology: 60,
  banking: 120,
  retail: 60,
  travel: 180,
  games: 60,
});

export const HandoffSettingsSchema = z.object({
  /** Queues by name. `general` and `supervisor` always exist (added with defaults if missing). */
  queues: z.record(z.string().min(1), QueueSettingsSchema).default({}),
  /** Queue of tickets opened without one. */
  defaultQueue: z.string().min(1).default('general'),
  /** Where "transfer to supervisor" sends a ticket. */
  supervisorQueue: z.string().min(1).default('supervisor'),
  /** Hours promised to after-hours customers, 1..720, default 24. */
  promisedResponseHours: z.number().int().min(1).max(720).default(24),
  /** Consecutive misses before the bot hands off by itself, 1..10, default 2 (the bot reads it). */
  missLimit: z.number().int().min(1).max(10).default(2),
  /** An assigned ticket whose agent has not replied for this long goes back to the queue. 1..1440, default 5. */
  agentReplyTimeoutMinutes: z.number().min(0.1).max(1440).default(5),
  /** An ETA change smaller than this share of the last one told (0..1, default 0.25) is not news. */
  etaChangeRatio: z.number().min(0).max(1).default(0.25),
  /** Give waiting tickets to online agents with free capacity, oldest first. Default off. */
  autoAssign: z.boolean().default(false),
  /** Median handle time assumed when there is not yet enough data, seconds; default 360 (6 min). */
  defaultHandleSeconds: z.number().int().min(10).max(86400).default(360),
  /** Below this many resolved tickets in the window, the ETA is given as a range. Default 5. */
  minHandleSamples: z.number().int().min(1).max(1000).default(5),
  /** The rolling median uses the last N resolved tickets, default 50. */
  handleSampleSize: z.number().int().min(1).max(10000).default(50),
  /** Capacity of an agent who sets presence without one, 1..50, default 1. */
  defaultAgentCapacity: z.number().int().min(1).max(50).default(1),
  /** Failed proactive notices are retried this many times before being marked dead. Default 10. */
  outboxMaxAttempts: z.number().int().min(1).max(100).default(10),
  /** First retry delay, seconds; doubles on each attempt up to outboxMaxBackoffSeconds. */
  outboxBaseBackoffSeconds: z.number().min(0.1).max(3600).default(5),
  outboxMaxBackoffSeconds: z.number().min(1).max(86400).default(600),
  /**
   * How long an agent's request waits for the customer's notice to go out, ms (0..30000,
   * default 1000); past it, delivery continues in the background.
   */
  noticeInlineWaitMs: z.number().int().min(0).max(30000).default(1000),
});

export type HandoffSettingsInput = z.input<typeof HandoffSettingsSchema>;
export type HandoffSettings = Omit<z.infer<typeof HandoffSettingsSchema>, 'queues'> & {
  queues: Record<string, QueueSettings>;
};

/**
 * Validates and completes settings (the lead builds the input from env). Throws a ZodError
 * naming the offending path. Every queue gets an SLA: its own, else the industry table, else 60.
 */
export function resolveHandoffSettings(input: HandoffSettingsInput = {}): HandoffSettings {
  const parsed = HandoffSettingsSchema.parse(input);
  const names = new Set([
    ...Object.keys(parsed.queues),
    parsed.defaultQueue,
    parsed.supervisorQueue,
  ]);
  const queues: Record<string, QueueSettings> = {};
  for (const name of names) {
    const q = parsed.queues[name] ?? QueueSettingsSchema.parse({});
    queues[name] = {
      ...q,
      firstResponseSlaMinutes:
        q.firstResponseSlaMinutes ?? industrySlaMinutes[name] ?? industrySlaMinutes.general ?? 60,
    };
  }
  return { ...parsed, queues };
}

/** The settings of `queue`, falling back to the default queue's for unknown names. */
export function queueSettingsOf(settings: HandoffSettings, queue: string): QueueSettings {
  const q = settings.queues[queue] ?? settings.queues[settings.defaultQueue];
  if (!q)
    throw new Error(`No settings for queue "${queue}" nor default "${settings.defaultQueue}"`);
  return q;
}
