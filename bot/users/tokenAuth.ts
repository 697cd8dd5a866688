import type { Knex } from 'knex';
import type { Request } from 'restify';
import { findUserByToken, type Role, type User } from './userStore';

/** An authentication failure; `code` maps to 401 (unauthorized) or 403 (forbidden). */
export class AuthError extends Error {
  constructor(
    readonly code: 'unauthorized' | 'forbidden',
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

/**
 * Bearer-token auth for the agent, editor and admin routes. Implements the `RouteAuth` port
 * that knowledge/ and handoff/ declare. Admins may use every route.
 */
export class TokenAuth {
  constructor(private readonly db: Knex) {}

  async require(req: Request, roles: readonly Role[]): Promise<User> {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      throw new AuthError(
        'unauthorized',
        'Missing bearer token: send "Authorization: Bearer <token>" (create one with `npm run agent -- add`)',
      );
    }
    const user = await findUserByToken(this.db, match[1]);
    if (!user) throw new AuthError('unauthorized', 'Unknown or disabled token');
    if (user.role !== 'admin' && !roles.includes(user.role)) {
      throw new AuthError(
        'forbidden',
        `Role "${user.role}" may not do this; it needs one of: ${roles.join(', ')}`,
      );
    }
    return user;
  }
}
