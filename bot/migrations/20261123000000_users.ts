import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.string('id', 40).primary();
    t.string('name', 200).notNullable();
    t.string('role', 20).notNullable();
    // sha256 of the token; the token itself is shown once and never stored.
    t.string('token_hash', 64).notNullable().unique();
    t.string('created_at', 30).notNullable();
    t.boolean('disabled').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
