import type { Knex } from 'knex';

// Times are ISO-8601 UTC strings (toISOString) on both dialects: they sort as text, so
// ordering and range filters behave the same on SQLite and PostgreSQL.
const iso = (t: Knex.CreateTableBuilder, name: string) => t.string(name, 32);

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('handoff_tickets', (t) => {
    // seq feeds the human reference (AD-000123); id is the opaque API id.
    t.increments('seq').primary();
    t.string('id', 64).notNullable().unique();
    t.string('conversation_id', 255).notNullable().index();
    // Equals conversation_id while the ticket is open, NULL once closed: the unique index makes
    // "one open ticket per conversation" hold across processes (NULLs never collide).
    t.string('open_conversation_id', 255).nullable().unique();
    t.text('conversation_ref').notNullable();
    t.string('status', 16).notNullable();
    t.string('reason', 32).notNullable();
    t.string('locale', 16).notNullable();
    t.text('question').notNullable();
    t.string('queue', 64).notNullable();
    t.integer('priority').notNullable().defaultTo(0);
    t.text('candidates_json').notNullable();
    iso(t, 'waiting_since').notNullable();
    t.boolean('after_hours').notNullable().defaultTo(false);
    iso(t, 'back_at').nullable();
    iso(t, 'sla_deadline').notNullable();
    t.string('assigned_agent_id', 64).nullable();
    t.string('assigned_agent_name', 255).nullable();
    iso(t, 'assigned_at').nullable();
    iso(t, 'first_assigned_at').nullable();
    // Start of the current agent-silence window: assignment or the agent's latest message.
    iso(t, 'agent_active_at').nullable();
    iso(t, 'first_response_at').nullable();
    iso(t, 'resolved_at').nullable();
    iso(t, 'cancelled_at').nullable();
    t.text('outcome').nullable();
    t.integer('csat').nullable();
    t.integer('predicted_wait_seconds').nullable();
    t.integer('last_notice_position').nullable();
    t.integer('last_notice_eta_seconds').nullable();
    iso(t, 'last_notice_at').nullable();
    t.integer('version').notNullable().defaultTo(0);
    iso(t, 'created_at').notNullable();
    iso(t, 'updated_at').notNullable();
    t.index(['status', 'queue', 'priority', 'waiting_since'], 'handoff_tickets_queue_order');
    t.index(['status', 'resolved_at'], 'handoff_tickets_resolved');
  });

  await knex.schema.createTable('handoff_transcript_lines', (t) => {
    t.increments('seq').primary();
    t.string('conversation_id', 255).notNullable();
    t.string('role', 16).notNullable();
    t.text('text').notNullable();
    iso(t, 'at').notNullable();
    t.string('agent_name', 255).nullable();
    t.index(['conversation_id', 'seq'], 'handoff_transcript_by_conversation');
  });

  await knex.schema.createTable('handoff_ticket_events', (t) => {
    t.increments('seq').primary();
    t.string('ticket_id', 64)
      .notNullable()
      .references('id')
      .inTable('handoff_tickets')
      .onDelete('CASCADE');
    t.string('event', 32).notNullable();
    t.string('from_status', 16).nullable();
    t.string('to_status', 16).nullable();
    t.string('actor_id', 64).nullable();
    t.string('actor_name', 255).nullable();
    iso(t, 'at').notNullable();
    t.text('detail_json').nullable();
    t.index(['ticket_id', 'seq'], 'handoff_ticket_events_by_ticket');
  });

  await knex.schema.createTable('handoff_ticket_notes', (t) => {
    t.string('id', 64).primary();
    t.string('ticket_id', 64)
      .notNullable()
      .references('id')
      .inTable('handoff_tickets')
      .onDelete('CASCADE');
    t.string('agent_id', 64).notNullable();
    t.string('agent_name', 255).notNullable();
    t.text('text').notNullable();
    iso(t, 'at').notNullable();
    t.index(['ticket_id'], 'handoff_ticket_notes_by_ticket');
  });

  await knex.schema.createTable('handoff_agents', (t) => {
    t.string('agent_id', 64).primary();
    t.string('name', 255).notNullable();
    t.string('role', 16).notNullable();
    t.string('status', 16).notNullable();
    t.integer('capacity').notNullable();
    iso(t, 'updated_at').notNullable();
  });

  await knex.schema.createTable('handoff_outbox', (t) => {
    t.increments('seq').primary();
    t.string('ticket_id', 64).notNullable();
    t.string('conversation_id', 255).notNullable();
    t.text('conversation_ref').notNullable();
    t.string('locale', 16).notNullable();
    t.string('kind', 32).notNullable();
    t.text('notice_json').notNullable();
    // pending → sent, or → dead after the last attempt; never deleted by the module.
    t.string('status', 16).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    iso(t, 'next_attempt_at').notNullable();
    // A sender leases a row until this time, so two processes never send it twice at once.
    iso(t, 'leased_until').nullable();
    t.text('last_error').nullable();
    iso(t, 'created_at').notNullable();
    iso(t, 'sent_at').nullable();
    t.index(['status', 'next_attempt_at'], 'handoff_outbox_due');
    t.index(['conversation_id', 'seq'], 'handoff_outbox_by_conversation');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('handoff_outbox');
  await knex.schema.dropTableIfExists('handoff_agents');
  await knex.schema.dropTableIfExists('handoff_ticket_notes');
  await knex.schema.dropTableIfExists('handoff_ticket_events');
  await knex.schema.dropTableIfExists('handoff_transcript_lines');
  await knex.schema.dropTableIfExists('handoff_tickets');
}
