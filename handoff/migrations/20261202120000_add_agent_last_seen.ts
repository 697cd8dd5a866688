import type { Knex } from 'knex';

// When the agent's console last showed a sign of life (ISO-8601 UTC). An agent not seen for
// a minute counts as offline whatever `status` says, so a closed console or a crashed server
// never leaves an agent "online". Existing rows start unseen, i.e. offline until they return.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('handoff_agents', (t) => {
    t.string('last_seen_at', 32).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('handoff_agents', (t) => {
    t.dropColumn('last_seen_at');
  });
}
