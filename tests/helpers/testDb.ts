import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { createDb, migrateLatest } from '../../bot/infrastructure/db';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The databases a store test runs against: always SQLite, and PostgreSQL when
 * TEST_DATABASE_URL is set. Under CI=true a missing TEST_DATABASE_URL is an error, never a skip.
 */
export function testDialects(): Dialect[] {
  if (process.env.TEST_DATABASE_URL) return ['sqlite', 'postgres'];
  if (process.env.CI === 'true') {
    throw new Error('CI=true but TEST_DATABASE_URL is not set: PostgreSQL suites must run in CI');
  }
  return ['sqlite'];
}

export interface TestDb {
  db: Knex;
  dialect: Dialect;
  /** For SQLite, the file; for PostgreSQL, a URL whose search_path is this test's schema. */
  settings: { sqliteFile: string; databaseUrl?: string };
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database: a temporary SQLite file, or a new PostgreSQL schema, so test
 * files running in parallel never see each other's rows.
 */
export async function createTestDb(dialect: Dialect = 'sqlite'): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askdesk-test-'));
    const sqliteFile = path.join(dir, 'test.sqlite');
    const db = createDb({ sqliteFile });
    await migrateLatest(db);
    return {
      db,
      dialect,
      settings: { sqliteFile },
      destroy: async () => {
        await db.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: baseUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE SCHEMA ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const databaseUrl = url.toString();
  const db = createDb({ sqliteFile: ':memory:', databaseUrl });
  await migrateLatest(db);
  return {
    db,
    dialect,
    settings: { sqliteFile: ':memory:', databaseUrl },
    destroy: async () => {
      await db.destroy();
      await admin.raw(`DROP SCHEMA ${schema} CASCADE`);
      await admin.destroy();
    },
  };
}
