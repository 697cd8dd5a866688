import {
  allowedEvents,
  assertTransition,
  conversationOwner,
  nextStatus,
  ticketEvents,
  ticketStatuses,
  type TicketEvent,
} from '../../../handoff/service/ticketStatus';
import { ConflictError } from '../../../handoff/errors';
import type { TicketStatus } from '../../../handoff/types';

const expected: Record<TicketStatus, Partial<Record<TicketEvent, TicketStatus>>> = {
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

const cases = ticketStatuses.flatMap((from) =>
  ticketEvents.map((event) => [from, event, expected[from][event] ?? null] as const),
);

describe('ticket status table', () => {
  it.each(cases)('from %s, %s leads to %s', (from, event, to) => {
    expect(nextStatus(from, event)).toBe(to);
    if (to === null) {
      expect(() => assertTransition(from, event)).toThrow(ConflictError);
    } else {
      expect(assertTransition(from, event)).toBe(to);
    }
  });

  it('names the allowed events in the conflict message', () => {
    expect(() => assertTransition('waiting', 'resolve')).toThrow(/claim/);
    expect(allowedEvents('resolved')).toEqual([]);
  });

  it.each([
    ['assigned', 'agent'],
    ['waiting', 'queue'],
    ['resolved', 'bot'],
    ['cancelled', 'bot'],
    [null, 'bot'],
  ] as const)('a %s conversation is owned by the %s, never nobody', (status, owner) => {
    expect(conversationOwner(status)).toBe(owner);
  });
});
