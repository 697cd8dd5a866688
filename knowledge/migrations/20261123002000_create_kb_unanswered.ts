import type { Knex } from 'knex';

// Questions the bot could not answer directly, for the editors' unanswered inbox, and agents'
// answers to escalated ones (one row per ticket at most). Times are ISO-8601 strings, as in
// the other kb tables.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('kb_unanswered', (t) => {
    t.bigIncrements('id').primary();
    t.string('locale', 35).notNullable();
    t.text('text').notNullable();
    t.string('outcome', 20).notNullable();
    t.string('top_id', 200);
    t.float('confidence').notNullable();
    t.text('answer');
    t.string('ticket_id', 64).unique();
    t.string('at', 40).notNullable();
    t.index(['locale', 'at']);
    t.index(['at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('kb_unanswered');
}
