import { z } from 'zod';

const text = (what: string, max: number) =>
  z
    .string({ error: `must be text (${what}) or left out` })
    .max(max, `is longer than ${max} characters`);

const Account = z.looseObject({
  id: z
    .string({ error: 'must be the text id of the account' })
    .min(1, 'is empty — every account needs an id')
    .max(1000, 'is longer than 1000 characters'),
  name: text('a display name', 1000).optional(),
  role: text('"user" or "bot"', 100).optional(),
  aadObjectId: text('an AAD object id', 100).optional(),
});

/**
 * The fields the bot and botbuilder rely on in an incoming activity, with the types they
 * assume. Channels send many more; they pass through untouched. Anything else is a 400 naming
 * the field, before the adapter sees it (botbuilder would answer 500 with its own message).
 * `serviceUrl` is where replies are POSTed, so only http(s) is accepted.
 */
export const IncomingActivity = z.looseObject({
  type: z
    .string({ error: 'must be text, e.g. "message"' })
    .min(1, 'is empty — e.g. "message"')
    .max(100, 'is longer than 100 characters'),
  id: text('the channel’s activity id', 1000).optional(),
  name: text('the event or invoke name', 1000).optional(),
  channelId: z
    .string({ error: 'must be text naming the channel, e.g. "emulator"' })
    .min(1, 'is empty — name the channel, e.g. "emulator"')
    .max(100, 'is longer than 100 characters'),
  serviceUrl: z.url({
    protocol: /^https?$/,
    error: 'must be the http(s) URL where the bot sends its replies',
  }),
  conversation: z.looseObject(
    {
      id: z
        .string({ error: 'must be the text id of the conversation' })
        .min(1, 'is empty — every conversation needs an id')
        .max(1000, 'is longer than 1000 characters'),
      name: text('the conversation’s name', 1000).optional(),
      tenantId: text('a tenant id', 200).optional(),
      conversationType: text('a conversation type', 100).optional(),
      isGroup: z.boolean({ error: 'must be true or false' }).optional(),
    },
    { error: 'must be an object with the conversation id' },
  ),
  from: Account,
  recipient: Account.optional(),
  text: text('the message', 1_000_000).optional(),
  textFormat: text('"plain", "markdown" or "xml"', 100).optional(),
  locale: text('a language tag such as "en-US"', 50).optional(),
  replyToId: text('the id of the activity this answers', 1000).optional(),
  timestamp: text('an ISO date', 100).optional(),
  localTimestamp: text('an ISO date', 100).optional(),
  channelData: z.unknown().optional(),
  attachments: z
    .array(z.looseObject({}), { error: 'must be a list of attachment objects' })
    .max(50, 'has more than 50 attachments')
    .optional(),
  entities: z
    .array(z.looseObject({}), { error: 'must be a list of entity objects' })
    .max(100, 'has more than 100 entities')
    .optional(),
});

export type IncomingActivity = z.infer<typeof IncomingActivity>;

export interface ActivityProblem {
  field: string;
  message: string;
}

/** Every problem in a bad activity body, each naming its field; empty when it is usable. */
export function activityProblems(body: unknown): ActivityProblem[] {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    return [
      {
        field: 'body',
        message: 'must be a JSON Bot Framework activity object — send one activity',
      },
    ];
  }
  const result = IncomingActivity.safeParse(body);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    field: issue.path.join('.') || 'body',
    message: issue.message,
  }));
}

/** A readable problem ("conversation.id: …") for a bad activity body, or null when it is usable. */
export function activityBodyProblem(body: unknown): string | null {
  const problems = activityProblems(body);
  if (problems.length === 0) return null;
  return problems.map((p) => `${p.field}: ${p.message}`).join('; ');
}
