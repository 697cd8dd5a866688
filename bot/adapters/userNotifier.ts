import type { Activity, CloudAdapter, ConversationReference } from 'botbuilder';
import type { CustomerNotice, CustomerNotifier, NoticeTarget } from '../../handoff';
import { describeWait, ratingMessage, t, textMessage } from '../conversation/replies';

export interface UserNotifierDeps {
  /** The adapter that owns the reference's channel (Azure channels vs. the local Direct Line). */
  adapterFor(reference: Partial<ConversationReference>): CloudAdapter;
  /** Bot app id for continueConversationAsync ('' without credentials). */
  appId: string;
}

/**
 * Implements handoff's `CustomerNotifier` with proactive messages, rendering each notice in
 * the ticket's locale. A rejection tells handoff/ to keep the notice and retry it later.
 */
export class UserNotifier implements CustomerNotifier {
  constructor(private readonly deps: UserNotifierDeps) {}

  async notify(target: NoticeTarget, notice: CustomerNotice): Promise<void> {
    const reference = target.conversationRef as Partial<ConversationReference>;
    const activities = renderNotice(target.locale, target.ticketId, notice);
    if (activities.length === 0) return;
    // The adapter's onTurnError would swallow a channel failure (and apologise into the
    // broken channel); catching it here lets handoff/ keep the notice and retry it.
    let failure: unknown;
    await this.deps
      .adapterFor(reference)
      .continueConversationAsync(this.deps.appId, reference, async (context) => {
        const sender = notice.kind === 'agentMessage' ? agentSender(notice) : null;
        // TurnContext stamps every reply as the bot's; an agent's words go out as the agent's.
        if (sender) {
          context.onSendActivities(async (_ctx, outgoing, next) => {
            for (const activity of outgoing) activity.from = sender;
            return next();
          });
        }
        try {
          await context.sendActivities(activities);
        } catch (err) {
          failure = err;
        }
      });
    if (failure !== undefined) {
      throw failure instanceof Error
        ? failure
        : new Error('Channel send failed', { cause: failure });
    }
  }
}

/**
 * Who an agent's message is from: the agent's own id and name, so Web Chat shows their name and
 * avatar rather than the bot's. The role stays 'bot' (the conversation's other side).
 */
export function agentSender(notice: { agentId?: string; agentName: string }): {
  id: string;
  name: string;
  role: string;
} {
  return { id: `agent:${notice.agentId ?? notice.agentName}`, name: notice.agentName, role: 'bot' };
}

/** The messages that tell the customer about `notice`; pure, so every kind is unit-tested. */
export function renderNotice(
  locale: string,
  ticketId: string,
  notice: CustomerNotice,
): Partial<Activity>[] {
  const say = (text: string) => [textMessage(locale, text)];
  switch (notice.kind) {
    case 'queued':
    case 'queueUpdate':
      return say(
        t(locale, 'queueUpdate', {
          position: notice.position,
          wait: describeWait(locale, notice.etaSeconds, notice.etaRange),
        }),
      );
    case 'agentJoined':
      return say(t(locale, 'agentJoined', { agent: notice.agentName }));
    case 'agentMessage':
      return say(notice.text);
    case 'transferred':
      return say(
        notice.toAgentName
          ? t(locale, 'transferredToAgent', { agent: notice.toAgentName })
          : t(locale, 'transferredToQueue', { queue: notice.toQueue ?? '' }),
      );
    case 'requeued':
      return say(t(locale, 'requeued', { position: notice.position }));
    case 'resolved':
      return [
        textMessage(
          locale,
          t(locale, 'resolved', {
            reference: notice.reference,
            agent: notice.agentName ?? t(locale, 'ourTeam'),
            outcome: notice.outcome,
          }),
        ),
        ratingMessage(locale, ticketId),
      ];
    case 'handedBack':
      return say(t(locale, 'handedBack'));
    case 'cancelled':
      return say(t(locale, 'cancelled', { reference: notice.reference }));
  }
}
