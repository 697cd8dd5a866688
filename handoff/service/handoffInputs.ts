import { z } from 'zod';
import { InvalidInputError } from '../errors';
import { handoffReasons } from '../types';

/** A transcript line as the bot reports it; `at` defaults to now. */
export const LineInput = z.object({
  role: z.enum(['customer', 'bot', 'agent', 'system']),
  text: z.string(),
  at: z.string().optional(),
  agentName: z.string().optional(),
  /** The conversation's locale when the line was written; for analytics by language. */
  locale: z.string().min(2).max(16).optional(),
  /** On the bot line that answers an FAQ question: how the bot answered it. */
  outcome: z.enum(['answered', 'clarify', 'none', 'handoff']).optional(),
});
export type LineInput = z.input<typeof LineInput>;

/** What the bot knows when it hands off. */
export const OpenTicketInput = z.object({
  conversationId: z.string().min(1).max(255),
  conversationRef: z.unknown(),
  reason: z.enum(handoffReasons as [string, ...string[]]),
  locale: z.string().min(2).max(16),
  question: z.string(),
  candidates: z
    .array(z.object({ id: z.string(), question: z.string(), confidence: z.number().min(0).max(1) }))
    .max(20)
    .default([]),
  /** Higher goes first; default 1 for sensitive topics, 0 otherwise. */
  priority: z.number().int().min(0).max(10).optional(),
  queue: z.string().min(1).max(64).optional(),
});
export type OpenTicketInput = z.input<typeof OpenTicketInput>;

/** Parses or throws InvalidInputError naming the first offending field. */
export const parseOrThrow = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new InvalidInputError(
    `${what}: "${issue?.path.join('.') ?? ''}" ${issue?.message ?? 'is invalid'}`,
  );
};
