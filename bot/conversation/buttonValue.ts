import { z } from 'zod';
import type { ButtonValue } from './replies';

const ButtonValueSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('feedback'), helpful: z.boolean(), entryId: z.string().max(200) }),
  z.object({
    action: z.literal('handoff'),
    reason: z.enum(['requested', 'clarify_none', 'negative_feedback']),
  }),
  z.object({ action: z.literal('decline') }),
  z.object({ action: z.literal('solved') }),
  z.object({
    action: z.literal('rate'),
    ticketId: z.string().min(1).max(100),
    rating: z.number().int().min(1).max(5),
  }),
]);

/**
 * The value of one of our buttons, or null for anything else: channels pass `value` through
 * untouched, so it is customer-controlled input and is validated like any other.
 */
export function parseButtonValue(value: unknown): ButtonValue | null {
  const parsed = ButtonValueSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
