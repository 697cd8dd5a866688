/** Errors with stable codes; routes map them to HTTP statuses, domain code knows none. */
export type HandoffErrorCode =
  'invalid_input' | 'not_found' | 'conflict' | 'forbidden' | 'idempotency_key_reused';

export class HandoffError extends Error {
  constructor(
    readonly code: HandoffErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidInputError extends HandoffError {
  constructor(message: string) {
    super('invalid_input', message);
  }
}

export class NotFoundError extends HandoffError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class ConflictError extends HandoffError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/** The ticket already has its one rating; a second is not counted. */
export class AlreadyRatedError extends ConflictError {
  constructor(ticketId: string) {
    super(`Ticket ${ticketId} is already rated; a ticket takes one rating`);
  }
}

/** The actor is known but may not do this (e.g. an agent acting on another agent's ticket). */
export class ForbiddenError extends HandoffError {
  constructor(message: string) {
    super('forbidden', message);
  }
}
