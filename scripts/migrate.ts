import '../bot/infrastructure/quietDotenv';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../bot/composition/config';
import { createDb, migrateLatest, migrationConfig } from '../bot/infrastructure/db';

const usage = `Usage:
  npm run migrate                                   apply every pending migration
  npm run migrate:make -- NAME [--module knowledge|handoff|bot]   new migration file
  npx tsx scripts/migrate.ts rollback               undo the last batch`;

const template = `import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema;
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema;
}
`;

/** Writes a timestamped migration file; it must then be added to the module's index.ts. */
function makeMigration(name: string, module: string): string {
  if (!/^[a-z0-9_]+$/.test(name))
    throw new Error(`NAME "${name}" must be snake_case, e.g. add_ticket_priority`);
  if (!['knowledge', 'handoff', 'bot'].includes(module))
    throw new Error(`--module "${module}" must be knowledge, handoff or bot`);
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const file = path.join(module, 'migrations', `${stamp}_${name}.ts`);
  fs.writeFileSync(file, template, { flag: 'wx' });
  return file;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { module: { type: 'string', default: 'knowledge' } },
  });
  const [command, name] = positionals;
  if (command === 'make') {
    const file = makeMigration(name ?? '', values.module ?? 'knowledge');
    console.log(`Created ${file}. Register it in ${path.dirname(file)}/index.ts.`);
    return 0;
  }
  const config = loadConfig();
  const db = createDb({ databaseUrl: config.DATABASE_URL, sqliteFile: config.SQLITE_FILE });
  try {
    if (command === 'latest' || command === undefined) {
      await migrateLatest(db);
      console.log('Database is up to date.');
      return 0;
    }
    if (command === 'rollback') {
      const [batch, names] = (await db.migrate.rollback(migrationConfig())) as [number, string[]];
      console.log(`Rolled back batch ${batch}: ${names.join(', ') || 'nothing to roll back'}`);
      return 0;
    }
    console.error(usage);
    return 2;
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
