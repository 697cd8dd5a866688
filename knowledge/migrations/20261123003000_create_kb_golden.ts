import type { Knex } from 'knex';

// Golden questions: what the bot must keep answering (the entry id, or null for "no direct
// answer") while editors change the KB. One row per question and locale.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('kb_golden', (t) => {
    t.bigIncrements('id').primary();
    t.string('locale', 35).notNullable();
    t.string('question', 500).notNullable();
    t.string('expected', 200);
    t.string('created_by', 200).notNullable();
    t.string('at', 40).notNullable();
    t.unique(['locale', 'question']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('kb_golden');
}
