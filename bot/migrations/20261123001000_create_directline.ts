import type { Knex } from 'knex';

/**
 * Direct Line state lives in SQL so that several instances and restarts share conversations:
 * the signing key, one row per conversation, and every activity with a global sequence number
 * that doubles as the watermark.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('directline_settings', (t) => {
    t.string('key', 64).primary();
    t.text('value').notNullable();
  });
  await knex.schema.createTable('directline_conversations', (t) => {
    t.string('id', 64).primary();
    t.string('user_id', 128).nullable();
    t.string('locale', 16).nullable();
    t.string('created_at', 32).notNullable();
    t.string('started_at', 32).nullable();
    t.string('last_activity_at', 32).notNullable();
  });
  await knex.schema.createTable('directline_activities', (t) => {
    t.bigIncrements('seq').primary();
    t.string('conversation_id', 64)
      .notNullable()
      .references('id')
      .inTable('directline_conversations')
      .onDelete('CASCADE');
    t.string('activity_id', 96).nullable();
    t.text('body').notNullable();
    t.string('created_at', 32).notNullable();
    t.index(['conversation_id', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('directline_activities');
  await knex.schema.dropTable('directline_conversations');
  await knex.schema.dropTable('directline_settings');
}
