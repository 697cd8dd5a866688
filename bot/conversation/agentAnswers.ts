import type { AgentService, HandoffEvents, HandoffReason, HandoffTicket } from '../../handoff';
import type { KnowledgeBase } from '../../knowledge';
import type { Logger } from '../infrastructure/logger';

/**
 * Handoffs whose question is worth an FAQ entry. A customer who asked for a person ("talk to
 * a human") or came from another hub asked no question the bot missed.
 */
const draftReasons: ReadonlySet<HandoffReason> = new Set([
  'misses',
  'clarify_none',
  'negative_feedback',
  'frustration',
  'sensitive_topic',
]);

/** What the agent wrote to the customer on the ticket, in order; '' when nothing. */
export function agentAnswerOf(ticket: HandoffTicket): string {
  return ticket.transcript
    .filter((line) => line.role === 'agent')
    .map((line) => line.text.trim())
    .filter((text) => text !== '')
    .join('\n\n');
}

/**
 * Agents' answers to escalations become drafts for the editors: when a ticket is resolved,
 * its question and what the agent wrote go to the unanswered inbox (`recordAgentAnswer`),
 * where "New entry" starts with both. Every instance hears the event; the inbox keeps one per
 * ticket. Failures are logged: a draft is a nicety, never worth a broken resolution.
 * Returns the unsubscribe function.
 */
export function keepAgentAnswers(
  events: HandoffEvents,
  agents: Pick<AgentService, 'get'>,
  kb: Pick<KnowledgeBase, 'recordAgentAnswer'>,
  logger: Logger,
): () => void {
  return events.subscribe((event) => {
    if (event.type !== 'ticketUpdated' || event.status !== 'resolved') return;
    void draftFrom(event.ticketId).catch((err: unknown) =>
      logger.warn({ err, ticketId: event.ticketId }, 'could not keep the agent’s answer'),
    );
  });

  async function draftFrom(ticketId: string): Promise<void> {
    const ticket = await agents.get(ticketId);
    if (!draftReasons.has(ticket.reason)) return;
    const answer = agentAnswerOf(ticket);
    if (answer === '') return;
    await kb.recordAgentAnswer({
      ticketId,
      locale: ticket.locale,
      question: ticket.question,
      answer,
    });
  }
}
