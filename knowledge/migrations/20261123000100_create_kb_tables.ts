import type { Knex } from 'knex';

// List-valued fields are JSON text rather than native arrays or jsonb, so one schema and one
// row mapping serve SQLite and PostgreSQL alike. Times are ISO-8601 strings on both dialects.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('kb_entries', (t) => {
    t.string('id', 200).notNullable();
    t.string('locale', 35).notNullable();
    t.text('question').notNullable();
    t.text('alternates').notNullable();
    t.text('answer').notNullable();
    t.text('tags').notNullable();
    t.text('follow_ups').notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.integer('version').notNullable();
    t.string('updated_at', 40).notNullable();
    t.string('updated_by', 200).notNullable();
    t.primary(['id', 'locale']);
    t.index(['locale']);
  });
  await knex.schema.createTable('kb_entry_versions', (t) => {
    t.bigIncrements('seq').primary();
    t.string('entry_id', 200).notNullable();
    t.string('locale', 35).notNullable();
    t.integer('version').notNullable();
    t.string('action', 20).notNullable();
    t.string('actor', 200).notNullable();
    t.string('at', 40).notNullable();
    t.text('before');
    t.text('after');
    t.unique(['entry_id', 'locale', 'version']);
  });
  await knex.schema.createTable('kb_synonyms', (t) => {
    t.string('locale', 35).primary();
    t.text('groups').notNullable();
    t.string('updated_at', 40).notNullable();
    t.string('updated_by', 200).notNullable();
  });
  // One row whose value every write bumps in the same transaction, so other instances notice
  // any change (including deletes and synonym edits) with one cheap SELECT.
  await knex.schema.createTable('kb_revision', (t) => {
    t.integer('id').primary();
    t.bigInteger('value').notNullable();
  });
  await knex('kb_revision').insert({ id: 1, value: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('kb_revision');
  await knex.schema.dropTable('kb_synonyms');
  await knex.schema.dropTable('kb_entry_versions');
  await knex.schema.dropTable('kb_entries');
}
