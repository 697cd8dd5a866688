import type { Knex } from 'knex';

/** botbuilder conversation/user state, shared by every instance (no MemoryStorage). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bot_state', (t) => {
    t.string('key', 512).primary();
    t.text('value').notNullable();
    t.integer('etag').notNullable().defaultTo(1);
    t.string('updated_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bot_state');
}
