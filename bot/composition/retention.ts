import type { Knex } from 'knex';
import { purgeHandoffData, type HandoffPurgeReport } from '../../handoff';
import { UnansweredStore } from '../../knowledge';
import { DirectLineStore } from '../adapters/directline/directLineStore';
import { KnexStorage } from '../infrastructure/knexStorage';

/** What one retention pass removed. */
export interface RetentionReport extends HandoffPurgeReport {
  cutoff: string;
  /** Direct Line conversations deleted, with all their activities. */
  directLineConversations: number;
  /** Bot conversation-state rows deleted (locale, miss count, pending prompts). */
  botStates: number;
  /** Questions removed from the editors' unanswered inbox. */
  unansweredQuestions: number;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * The transcript retention policy (`TRANSCRIPT_RETENTION_DAYS`): what customers and agents
 * wrote more than `days` ago is deleted, everywhere we keep it: handoff transcripts, notes and
 * ticket texts, Direct Line activities, the bot's conversation state and the editors'
 * unanswered inbox. Open tickets keep
 * their whole transcript until they close. Ticket timings and ratings stay for analytics.
 */
export class RetentionPolicy {
  constructor(
    private readonly db: Knex,
    private readonly days: number,
    private readonly now: () => Date,
  ) {
    if (!(days > 0)) throw new RangeError(`retention days must be > 0, got ${days}`);
  }

  async purge(): Promise<RetentionReport> {
    const cutoff = new Date(this.now().getTime() - this.days * dayMs);
    const handoff = await purgeHandoffData(this.db, cutoff);
    const directLineConversations = await new DirectLineStore(this.db).purgeIdleBefore(cutoff);
    const botStates = await new KnexStorage(this.db).purgeBefore(cutoff);
    const unansweredQuestions = await new UnansweredStore(this.db).purgeBefore(cutoff);
    return {
      cutoff: cutoff.toISOString(),
      ...handoff,
      directLineConversations,
      botStates,
      unansweredQuestions,
    };
  }
}
