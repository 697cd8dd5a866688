import type { Knex } from 'knex';

// Analytics read conversations from the transcript: `locale` (customer and bot lines) lets a
// period be narrowed to one language, and `outcome` marks the bot line that answered an FAQ
// question (answered | clarify | none | handoff) so the unanswered rate comes from SQL. Both
// stay NULL on lines written before this migration and on lines that are not FAQ turns.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('handoff_transcript_lines', (t) => {
    t.string('locale', 16).nullable();
    t.string('outcome', 16).nullable();
    t.index(['role', 'at'], 'handoff_transcript_by_role_time');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('handoff_transcript_lines', (t) => {
    t.dropIndex(['role', 'at'], 'handoff_transcript_by_role_time');
    t.dropColumn('outcome');
    t.dropColumn('locale');
  });
}
