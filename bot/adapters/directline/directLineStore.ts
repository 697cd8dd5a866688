import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Activity } from 'botbuilder';

/** One Direct Line conversation. Times are ISO strings. */
export interface DirectLineConversation {
  id: string;
  userId: string | null;
  locale: string | null;
  createdAt: string;
  /** Set when a client first called "start conversation"; null for a reserved conversation. */
  startedAt: string | null;
}

/** Activities after a watermark, and the watermark to ask with next time. */
export interface ActivitySet {
  activities: Partial<Activity>[];
  /** The sequence number of the last activity returned, or the one asked with if none. */
  watermark: number;
}

/**
 * Persistence for the Direct Line endpoint. Watermarks are global, increasing sequence numbers,
 * so "everything after N" works across instances; appends to one conversation are serialised
 * by locking its row, which keeps the commit order equal to the sequence order.
 */
export class DirectLineStore {
  constructor(private readonly db: Knex) {}

  /** The HMAC key for tokens: made once, on first use, and shared by every instance. */
  async signingKey(): Promise<Buffer> {
    const fresh = crypto.randomBytes(32).toString('base64');
    await this.db('directline_settings')
      .insert({ key: 'signing_key', value: fresh })
      .onConflict('key')
      .ignore();
    const row = await this.db<SettingsRow>('directline_settings')
      .where({ key: 'signing_key' })
      .first('value');
    if (!row) throw new Error('directline_settings has no signing_key after inserting one');
    return Buffer.from(row.value, 'base64');
  }

  async createConversation(
    conversation: Pick<DirectLineConversation, 'id' | 'userId' | 'locale'>,
    now: Date,
  ): Promise<void> {
    const at = now.toISOString();
    await this.db('directline_conversations').insert({
      id: conversation.id,
      user_id: conversation.userId,
      locale: conversation.locale,
      created_at: at,
      started_at: null,
      last_activity_at: at,
    });
  }

  /**
   * Deletes conversations idle since before `cutoff`, with their activities (retention).
   * A client still holding such a conversation's token gets "not found" and starts anew.
   */
  async purgeIdleBefore(cutoff: Date): Promise<number> {
    return this.db.transaction(async (trx): Promise<number> => {
      const idle = trx('directline_conversations')
        .where('last_activity_at', '<', cutoff.toISOString())
        .select('id');
      // Explicit, not only ON DELETE CASCADE: the activities are the bulk of the data.
      await trx('directline_activities').whereIn('conversation_id', idle.clone()).delete();
      return trx('directline_conversations')
        .where('last_activity_at', '<', cutoff.toISOString())
        .delete();
    });
  }

  async findConversation(id: string): Promise<DirectLineConversation | undefined> {
    const row = (await this.db('directline_conversations').where({ id }).first()) as
      ConversationRow | undefined;
    return row && toConversation(row);
  }

  /**
   * Marks a reserved conversation as started, filling in user and locale when it had none.
   * Returns false when it was already started (a second "start" from another tab or a retry).
   */
  async markStarted(
    id: string,
    patch: { userId: string; locale: string | null },
    now: Date,
  ): Promise<boolean> {
    const count = await this.db('directline_conversations')
      .where({ id })
      .whereNull('started_at')
      .update({
        started_at: now.toISOString(),
        user_id: this.db.raw('COALESCE(user_id, ?)', [patch.userId]),
        locale: this.db.raw('COALESCE(locale, ?)', [patch.locale]),
      });
    return count === 1;
  }

  /**
   * Appends an activity and returns it with its id. A new activity gets `<conversation>|<seq>`;
   * an update passes `activityId` and is appended again under the same id, which Web Chat
   * treats as a replacement.
   */
  async appendActivity(
    conversationId: string,
    activity: Partial<Activity>,
    now: Date,
    activityId?: string,
  ): Promise<{ activity: Partial<Activity>; seq: number }> {
    const at = now.toISOString();
    return this.db.transaction(async (trx) => {
      const touched = await trx('directline_conversations')
        .where({ id: conversationId })
        .update({ last_activity_at: at });
      if (touched !== 1) throw new Error(`Direct Line conversation ${conversationId} is unknown`);
      const { id: _ignored, ...body } = activity;
      const inserted = await trx<ActivityRow>('directline_activities').insert(
        {
          conversation_id: conversationId,
          activity_id: activityId ?? null,
          body: JSON.stringify(body),
          created_at: at,
        },
        ['seq'],
      );
      const seq = Number(inserted[0]?.seq);
      return { activity: withId(conversationId, seq, activityId ?? null, body), seq };
    });
  }

  /** Activities of one conversation after `watermark` (exclusive), oldest first. */
  async activitiesAfter(
    conversationId: string,
    watermark: number,
    limit = 500,
  ): Promise<ActivitySet> {
    const rows = await this.db<ActivityRow>('directline_activities')
      .where({ conversation_id: conversationId })
      .andWhere('seq', '>', watermark)
      .orderBy('seq', 'asc')
      .limit(limit)
      .select('seq', 'activity_id', 'body');
    const activities = rows.map((row) =>
      withId(conversationId, Number(row.seq), row.activity_id, parseBody(row.body)),
    );
    const last = rows[rows.length - 1];
    return { activities, watermark: last ? Number(last.seq) : watermark };
  }
}

interface ConversationRow {
  id: string;
  user_id: string | null;
  locale: string | null;
  created_at: string;
  started_at: string | null;
}

interface SettingsRow {
  key: string;
  value: string;
}

interface ActivityRow {
  /** bigint: PostgreSQL returns it as a string. */
  seq: number | string;
  conversation_id: string;
  activity_id: string | null;
  body: string;
  created_at: string;
}

const toConversation = (row: ConversationRow): DirectLineConversation => ({
  id: row.id,
  userId: row.user_id,
  locale: row.locale,
  createdAt: row.created_at,
  startedAt: row.started_at,
});

function withId(
  conversationId: string,
  seq: number,
  activityId: string | null,
  body: Partial<Activity>,
): Partial<Activity> {
  return { ...body, id: activityId ?? `${conversationId}|${String(seq).padStart(7, '0')}` };
}

function parseBody(text: string): Partial<Activity> {
  return JSON.parse(text) as Partial<Activity>;
}
