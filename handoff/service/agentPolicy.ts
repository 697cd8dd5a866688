import { ConflictError, ForbiddenError } from '../errors';
import type { TicketRecord } from '../store/ticketRecord';
import { referenceOf } from '../store/ticketRecord';
import type { Principal } from '../types';

/**
 * Who may do what to a ticket: pure checks that throw domain errors naming the fix. Messages
 * name the reference (AD-000123) people see in the console and the customer quotes.
 */

export const isSupervisor = (p: { role?: string }): boolean =>
  p.role === 'supervisor' || p.role === 'admin';

/** The ticket must be assigned, to the actor or with a supervisor acting. */
export function assertOwner(record: TicketRecord, actor: Principal, what: string): void {
  if (record.status !== 'assigned') throw notOpen(record, what, 'claim it first');
  if (record.assignedAgentId !== actor.id && !isSupervisor(actor)) {
    throw new ForbiddenError(
      `Ticket ${referenceOf(record.seq)} is assigned to ${record.assignedAgentName ?? 'another agent'}; only they or a supervisor can ${what} it`,
    );
  }
}

/** Only supervisors (and admins) take tickets from the supervisor queue. */
export function assertMayTakeQueue(
  record: TicketRecord,
  actor: Principal,
  supervisorQueue: string,
): void {
  if (record.queue === supervisorQueue && !isSupervisor(actor)) {
    throw new ForbiddenError(
      `Ticket ${referenceOf(record.seq)} is in the supervisor queue; only supervisors can take it`,
    );
  }
}

export function notClaimable(record: TicketRecord): ConflictError {
  if (record.status === 'assigned') {
    return new ConflictError(
      `Ticket ${referenceOf(record.seq)} is already assigned to ${record.assignedAgentName ?? 'another agent'}`,
    );
  }
  return new ConflictError(
    `Ticket ${referenceOf(record.seq)} is ${record.status}; only waiting tickets can be claimed`,
  );
}

export function notOpen(record: TicketRecord, what: string, hint = 'it is closed'): ConflictError {
  return new ConflictError(
    `Cannot ${what} ticket ${referenceOf(record.seq)}: it is ${record.status} (${hint})`,
  );
}
