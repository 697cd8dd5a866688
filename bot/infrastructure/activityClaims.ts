import crypto from 'node:crypto';
import type { Knex } from 'knex';

/** The incoming activity's identity: a redelivery carries the same three values. */
export interface ActivityIdentity {
  channelId: string;
  conversationId: string;
  activityId: string;
}

/**
 * Claims incoming activities once, across instances, through a primary key in the shared
 * database (not memory): the first claim of an identity wins and every later one is refused.
 * A claim whose turn failed is released so the channel's retry is processed.
 */
export class ActivityClaims {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {}

  /** True for the first claim of this identity; false when it was claimed before. */
  async claim(identity: ActivityIdentity): Promise<boolean> {
    try {
      await this.db('bot_activity_claims').insert({
        key: keyOf(identity),
        claimed_at: this.now().toISOString(),
      });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** Forgets a claim (its turn failed), so a redelivery is processed. */
  async release(identity: ActivityIdentity): Promise<void> {
    await this.db('bot_activity_claims')
      .where({ key: keyOf(identity) })
      .delete();
  }

  /** Deletes claims older than `before` (channels stop redelivering within minutes); returns how many. */
  async purge(before: Date): Promise<number> {
    return Number(
      await this.db('bot_activity_claims').where('claimed_at', '<', before.toISOString()).delete(),
    );
  }
}

/** SHA-256 keeps the key a fixed 64 characters whatever the channel's ids look like. */
const keyOf = ({ channelId, conversationId, activityId }: ActivityIdentity): string =>
  crypto
    .createHash('sha256')
    .update(JSON.stringify([channelId, conversationId, activityId]))
    .digest('hex');

/** PostgreSQL 23505, SQLite SQLITE_CONSTRAINT (primary key or unique). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT'));
}
