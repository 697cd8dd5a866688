import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { knowledgeMigrations } from '../../knowledge';
import { handoffMigrations } from '../../handoff';
import { botMigrations } from '../migrations';

/** A knex migration with the name under which knex records it. */
export interface NamedMigration extends Knex.Migration {
  name: string;
}

export interface DbSettings {
  /** A postgres:// URL switches to PostgreSQL; otherwise `sqliteFile` is used. */
  databaseUrl?: string;
  /** Path of the SQLite file, or ':memory:'. */
  sqliteFile: string;
}

/**
 * Opens the database. SQLite gets foreign keys on, WAL (so readers never wait for a writer),
 * `synchronous = NORMAL` (in WAL mode a commit is then not synced to disk one by one, only at
 * checkpoints: a crash of the process loses nothing, a power cut or OS crash may lose the last
 * commits, never corrupt the file) and a busy timeout, because several processes may share one
 * file.
 */
export function createDb(settings: DbSettings): Knex {
  if (settings.databaseUrl) {
    return knex({
      client: 'pg',
      connection: settings.databaseUrl,
      pool: { min: 0, max: 10 },
    });
  }
  const file = settings.sqliteFile;
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return knex({
    client: 'sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    // One connection: SQLite serialises writers anyway, and a single connection keeps
    // ':memory:' databases whole and transactions free of SQLITE_BUSY inside one process.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) => {
        conn.run('PRAGMA foreign_keys = ON', () =>
          conn.run('PRAGMA busy_timeout = 5000', () =>
            conn.run('PRAGMA journal_mode = WAL', (err) =>
              err ? done(err, conn) : conn.run('PRAGMA synchronous = NORMAL', (e) => done(e, conn)),
            ),
          ),
        );
      },
    },
  });
}

interface SqliteConnection {
  run(sql: string, cb: (err: Error | null) => void): void;
}

/** All modules' migrations, in one ordered list (names start with a timestamp). */
export const allMigrations: readonly NamedMigration[] = [
  ...botMigrations,
  ...knowledgeMigrations,
  ...handoffMigrations,
].sort((a, b) => a.name.localeCompare(b.name));

/**
 * Migrations come from explicit lists rather than a directory scan, so the same code runs
 * under ts-jest, tsx and the compiled build without caring about file extensions.
 */
class ListMigrationSource implements Knex.MigrationSource<NamedMigration> {
  constructor(private readonly migrations: readonly NamedMigration[]) {}
  getMigrations(): Promise<NamedMigration[]> {
    return Promise.resolve([...this.migrations]);
  }
  getMigrationName(migration: NamedMigration): string {
    return migration.name;
  }
  getMigration(migration: NamedMigration): Promise<Knex.Migration> {
    return Promise.resolve(migration);
  }
}

export const migrationConfig = (): Knex.MigratorConfig => ({
  migrationSource: new ListMigrationSource(allMigrations),
  tableName: 'knex_migrations',
});

/**
 * Errors of a migration race between processes: knex creates its bookkeeping tables without
 * a lock, and a process that finds the migration lock taken fails at once instead of waiting.
 */
const migrationRace = /already exists|duplicate key|already locked|database is locked|SQLITE_BUSY/i;

/**
 * Brings the schema up to date. Safe to call from several processes at once, also on an empty
 * database (instances starting together): a lost race is retried until the winner finishes,
 * for at most about `maxWaitMs`.
 */
export async function migrateLatest(db: Knex, maxWaitMs = 60_000): Promise<void> {
  const deadline = Date.now() + maxWaitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await db.migrate.latest(migrationConfig());
      return;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!migrationRace.test(message) || Date.now() > deadline) throw err;
      if (/already locked/i.test(message)) await repairLockTable(db);
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * attempt)));
    }
  }
}

/**
 * knex's lock table must hold exactly one row. Two processes creating it at the same moment
 * can each insert one; knex then finds "more than one row locked" forever and reports the lock
 * as taken. Keeping the oldest row undoes that (idempotent, so racing repairs are harmless).
 */
async function repairLockTable(db: Knex): Promise<void> {
  const rows = await db('knex_migrations_lock')
    .select<{ index: number }[]>('index')
    .orderBy('index');
  const first = rows[0];
  if (first && rows.length > 1)
    await db('knex_migrations_lock').where('index', '>', first.index).delete();
}
