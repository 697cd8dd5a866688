import type { Knex } from 'knex';

/**
 * The Idempotency-Key of each agent message, per ticket: the primary key makes a retried
 * request (same key) a conflict, so the message is stored and sent once. `text_sha256` tells a
 * retry (same text) from a key reused for another message. Rows go with their ticket.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('handoff_agent_message_keys', (t) => {
    t.string('ticket_id', 64)
      .notNullable()
      .references('id')
      .inTable('handoff_tickets')
      .onDelete('CASCADE');
    t.string('idempotency_key', 200).notNullable();
    t.string('agent_id', 64).notNullable();
    t.string('text_sha256', 64).notNullable();
    t.string('created_at', 32).notNullable();
    t.primary(['ticket_id', 'idempotency_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('handoff_agent_message_keys');
}
