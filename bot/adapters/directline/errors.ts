/** Stable codes for Direct Line failures; the routes map them to HTTP statuses. */
export type DirectLineErrorCode =
  | 'InvalidInput'
  | 'MissingToken'
  | 'BadToken'
  | 'TokenExpired'
  | 'WrongConversation'
  | 'NotFound'
  | 'Forbidden';

export class DirectLineError extends Error {
  constructor(
    readonly code: DirectLineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DirectLineError';
  }
}

/**
 * HTTP status per code. Expired and foreign tokens are 403, as in Azure's Direct Line:
 * DirectLineJS treats 403 as "token expired" and stops retrying.
 */
export const statusOf: Readonly<Record<DirectLineErrorCode, number>> = Object.freeze({
  InvalidInput: 400,
  MissingToken: 401,
  BadToken: 403,
  TokenExpired: 403,
  WrongConversation: 403,
  NotFound: 404,
  Forbidden: 403,
});
