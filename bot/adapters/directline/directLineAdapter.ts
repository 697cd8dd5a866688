import {
  type Activity,
  type ConversationReference,
  type ResourceResponse,
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type TurnContext,
} from 'botbuilder';
import type { ActivityFeed } from './activityFeed';
import type { DirectLineStore } from './directLineStore';

export const directLineChannelId = 'directline';

/**
 * The adapter of the local Direct Line channel. It has no Bot Framework credentials on purpose:
 * our own conversation tokens are the authentication here, and the bot's replies go straight
 * into the Direct Line store instead of over HTTP to a connector, so no AAD token is ever needed
 * even when MicrosoftAppId is set for `/api/messages`.
 */
export class DirectLineAdapter extends CloudAdapter {
  constructor(
    private readonly store: DirectLineStore,
    private readonly feed: ActivityFeed,
    private readonly now: () => Date,
  ) {
    super(new ConfigurationBotFrameworkAuthentication({}));
  }

  /** Runs one inbound activity through the bot. An empty auth header is what an unauthenticated channel sends. */
  async processInbound(
    activity: Partial<Activity>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    await this.processActivityDirect('', activity as Activity, logic);
  }

  override async sendActivities(
    context: TurnContext,
    activities: Partial<Activity>[],
  ): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      responses.push(await this.deliver(activity));
    }
    return responses;
  }

  override async updateActivity(
    _context: TurnContext,
    activity: Partial<Activity>,
  ): Promise<ResourceResponse | void> {
    if (!activity.id || !activity.conversation?.id) return;
    await this.append(activity.conversation.id, activity, activity.id);
    return { id: activity.id };
  }

  override async deleteActivity(
    _context: TurnContext,
    reference: Partial<ConversationReference>,
  ): Promise<void> {
    const conversationId = reference.conversation?.id;
    if (!reference.activityId || !conversationId) return;
    await this.append(
      conversationId,
      { type: ActivityTypes.MessageDelete, conversation: reference.conversation },
      reference.activityId,
    );
  }

  /** Stores one outgoing activity and wakes the sockets; `delay`, traces and invoke responses never reach customers. */
  private async deliver(activity: Partial<Activity>): Promise<ResourceResponse> {
    if (activity.type === 'delay') {
      await new Promise((resolve) => setTimeout(resolve, Number(activity.value) || 1000));
      return { id: '' };
    }
    const conversationId = activity.conversation?.id;
    if (
      !conversationId ||
      activity.type === ActivityTypes.InvokeResponse ||
      activity.type === ActivityTypes.Trace
    ) {
      return { id: '' };
    }
    const stored = await this.append(conversationId, activity);
    return { id: stored.id ?? '' };
  }

  /** Appends as the channel would: stamped with time and channel. Also used by the connector routes. */
  async append(
    conversationId: string,
    activity: Partial<Activity>,
    activityId?: string,
  ): Promise<Partial<Activity>> {
    const now = this.now();
    const stamped: Partial<Activity> = {
      ...activity,
      channelId: directLineChannelId,
      conversation: { ...activity.conversation, id: conversationId } as Activity['conversation'],
      timestamp: now,
    };
    delete stamped.serviceUrl;
    // Proactive turns reply to a made-up continuation activity. Web Chat holds back a reply
    // until the activity it answers arrives, so a replyToId that names none of ours would
    // delay the message (an agent's words) by seconds.
    if (stamped.replyToId && !stamped.replyToId.startsWith(`${conversationId}|`)) {
      delete stamped.replyToId;
    }
    const { activity: stored } = await this.store.appendActivity(
      conversationId,
      stamped,
      now,
      activityId,
    );
    this.feed.publish(conversationId);
    return stored;
  }
}
