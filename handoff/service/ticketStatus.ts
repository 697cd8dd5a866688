import { ConflictError } from '../errors';
import type { TicketStatus } from '../types';

/**
 * What can happen to a ticket. `assign` is a supervisor or the auto-assigner giving the ticket
 * to a named agent; `claim` is an agent taking a waiting ticket for themselves.
 */
export type TicketEvent =
  | 'claim'
  | 'assign'
  | 'requeue'
  | 'transferToAgent'
  | 'transferToQueue'
  | 'resolve'
  | 'handBack'
  | 'cancel';

export const ticketEvents: readonly TicketEvent[] = [
  'claim',
  'assign',
  'requeue',
  'transferToAgent',
  'transferToQueue',
  'resolve',
  'handBack',
  'cancel',
];

export const ticketStatuses: readonly TicketStatus[] = [
  'waiting',
  'assigned',
  'resolved',
  'cancelled',
];

type Table = Readonly<Record<TicketStatus, Readonly<Partial<Record<TicketEvent, TicketStatus>>>>>;

// resolved and cancelled are terminal: the conversation is back with the bot, and a new
// request opens a new ticket (so the reference number, timings and CSAT stay per request).
const transitions: Table = {
  waiting: {
    claim: 'assigned',
    assign: 'assigned',
    transferToAgent: 'assigned',
    transferToQueue: 'waiting',
    handBack: 'resolved',
    cancel: 'cancelled',
  },
  assigned: {
    assign: 'assigned',
    requeue: 'waiting',
    transferToAgent: 'assigned',
    transferToQueue: 'waiting',
    resolve: 'resolved',
    handBack: 'resolved',
    cancel: 'cancelled',
  },
  resolved: {},
  cancelled: {},
};

/** The status after `event`, or null when the event is not allowed from `from`. */
export function nextStatus(from: TicketStatus, event: TicketEvent): TicketStatus | null {
  return transitions[from][event] ?? null;
}

/** Like nextStatus, but throws ConflictError (code 'conflict') naming both ends. */
export function assertTransition(from: TicketStatus, event: TicketEvent): TicketStatus {
  const to = nextStatus(from, event);
  if (to === null) {
    throw new ConflictError(
      `A ${from} ticket cannot ${event}; only ${allowedEvents(from).join(', ') || 'nothing'} is allowed`,
    );
  }
  return to;
}

export function allowedEvents(from: TicketStatus): TicketEvent[] {
  return ticketEvents.filter((e) => transitions[from][e] !== undefined);
}

export const isOpenStatus = (status: TicketStatus): boolean =>
  status === 'waiting' || status === 'assigned';

/**
 * Who speaks for the business in a conversation. 'agent': the bot must stay silent and relay;
 * 'queue': the bot keeps answering FAQs (labelled as queued); 'bot': normal FAQ flow.
 * Never "nobody": every status maps to someone.
 */
export type ConversationOwner = 'agent' | 'queue' | 'bot';

export function conversationOwner(status: TicketStatus | null): ConversationOwner {
  if (status === 'assigned') return 'agent';
  if (status === 'waiting') return 'queue';
  return 'bot';
}
