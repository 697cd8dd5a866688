import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { DirectLineConversation } from './directLineStore';
import { DirectLineError } from './errors';

/** Edge validation for Direct Line requests: bodies, watermarks. */

const maxTextChars = 50_000;

export const StartBody = z
  .object({
    user: z
      .object({ id: z.string().trim().min(1).max(128).optional() })
      .partial()
      .optional(),
    locale: z.string().trim().min(2).max(16).optional(),
  })
  .optional();

export const InboundActivity = z
  .object({
    type: z.string().min(1).max(64),
    text: z.string().max(maxTextChars, `text is longer than ${maxTextChars} characters`).optional(),
    locale: z.string().min(2).max(16).optional(),
    from: z
      .object({ id: z.string().min(1).max(128), name: z.string().max(256).optional() })
      .optional(),
  })
  .loose();

/** Where the bot's connector calls for this channel would go (see connectorRoutes.ts). */
export const connectorUrl = (baseUrl: string): string => `${baseUrl}/directline-connector`;

/** "" or absent means "from the beginning"; anything else must be a non-negative integer. */
export function parseWatermark(watermark: string | undefined): number {
  if (watermark === undefined || watermark === '') return 0;
  if (!/^\d{1,15}$/.test(watermark)) {
    throw new DirectLineError(
      'InvalidInput',
      `watermark "${watermark}" is not a number; send the watermark you were given`,
    );
  }
  return Number(watermark);
}

/**
 * The customer's activity as stored and shown to the bot: fields only the channel may set (id,
 * serviceUrl, channelId, conversation, recipient, timestamp) are dropped, `from` is marked as the
 * user, and locale falls back to the one given at conversation start.
 */
export function customerActivity(
  inbound: z.infer<typeof InboundActivity>,
  conversation: Pick<DirectLineConversation, 'userId' | 'locale'>,
  bot: Activity['recipient'],
): Partial<Activity> {
  const {
    id: _id,
    serviceUrl: _serviceUrl,
    channelId: _channelId,
    conversation: _conversation,
    recipient: _recipient,
    timestamp: _timestamp,
    ...rest
  } = inbound as Partial<Activity> & typeof inbound;
  return {
    ...rest,
    from: {
      id: inbound.from?.id ?? conversation.userId ?? 'user',
      name: inbound.from?.name ?? '',
      role: 'user',
    },
    recipient: bot,
    locale: inbound.locale ?? conversation.locale ?? undefined,
  };
}
