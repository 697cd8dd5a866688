import type { Knex } from 'knex';

/**
 * One row per incoming activity the bot has taken on, keyed by a hash of channel, conversation
 * and activity id: the primary key makes a channel's redelivery (or the same activity reaching
 * two instances) a conflict, so it is recorded and answered once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bot_activity_claims', (t) => {
    t.string('key', 64).primary();
    t.string('claimed_at', 30).notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bot_activity_claims');
}
