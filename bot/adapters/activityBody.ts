import { z } from 'zod';

const Account = z.looseObject({ id: z.string().min(1).max(1000) });

/**
 * The fields the bot relies on in an incoming activity. Channels send many more; they pass
 * through untouched. Anything else is a 400 naming the field, before the adapter sees it.
 */
const IncomingActivity = z.looseObject({
  type: z.string().min(1, 'type is empty — e.g. "message"').max(100),
  channelId: z.string().min(1).max(100),
  serviceUrl: z.url({ message: 'serviceUrl must be an absolute URL where the bot can reply' }),
  conversation: z.looseObject({ id: z.string().min(1).max(1000) }),
  from: Account,
  recipient: Account.optional(),
  text: z.string().max(1_000_000).optional(),
  locale: z.string().max(50).optional(),
});

/** A readable problem ("conversation.id: …") for a bad activity body, or null when it is usable. */
export function activityBodyProblem(body: unknown): string | null {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    return 'the body must be a JSON Bot Framework activity object';
  }
  const result = IncomingActivity.safeParse(body);
  if (result.success) return null;
  return result.error.issues
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
}
