import type { Knex } from 'knex';

/** What one purge removed, for logs and tests. */
export interface HandoffPurgeReport {
  /** Transcript lines deleted. */
  transcriptLines: number;
  /** Closed tickets whose question, conversation reference, candidates and outcome were erased. */
  ticketsErased: number;
  /** Internal notes deleted (of those tickets). */
  notes: number;
  /** Delivered or abandoned customer notices deleted. */
  notices: number;
}

const openStatuses = ['waiting', 'assigned'];

/**
 * Applies the transcript retention policy to the handoff tables: everything a customer or an
 * agent wrote before `cutoff` goes, unless the conversation still has an open ticket (an agent
 * may be reading it right now). Closed tickets keep their timings, reason, queue and rating,
 * so analytics over old periods stay intact, but lose every text: question, candidates,
 * outcome, notes and the conversation reference (which names the customer's channel account).
 * Idempotent and safe on several instances at once: every statement is a plain conditional
 * delete or update.
 */
export async function purgeHandoffData(db: Knex, cutoff: Date): Promise<HandoffPurgeReport> {
  const before = cutoff.toISOString();
  return db.transaction(async (trx) => {
    const openConversations = trx('handoff_tickets')
      .whereIn('status', openStatuses)
      .select('conversation_id');
    const transcriptLines = await trx('handoff_transcript_lines')
      .where('at', '<', before)
      .whereNotIn('conversation_id', openConversations)
      .delete();
    const expired = trx('handoff_tickets')
      .whereNotIn('status', openStatuses)
      .where('updated_at', '<', before)
      .whereNot('conversation_ref', erasedRef);
    const notes = await trx('handoff_ticket_notes')
      .whereIn('ticket_id', expired.clone().select('id'))
      .delete();
    const ticketsErased = await expired.clone().update({
      question: '',
      conversation_ref: erasedRef,
      candidates_json: '[]',
      outcome: null,
    });
    const notices = await trx('handoff_outbox')
      .whereIn('status', ['sent', 'dead'])
      .where('created_at', '<', before)
      .delete();
    return { transcriptLines, ticketsErased, notes, notices };
  });
}

/** The conversation reference of an erased ticket: valid JSON that addresses nobody. */
export const erasedRef = '{}';
