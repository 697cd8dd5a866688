import type { Knex } from 'knex';

// Every synonym edit of a locale: who, when, the groups before and after (JSON), so any
// version can be restored. Versions count from 1 per locale.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('kb_synonym_versions', (t) => {
    t.string('locale', 35).notNullable();
    t.integer('version').notNullable();
    t.string('actor', 200).notNullable();
    t.string('at', 40).notNullable();
    t.text('before');
    t.text('after').notNullable();
    t.primary(['locale', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('kb_synonym_versions');
}
