import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex from 'knex';
import type { Dialect } from './testDb';

export interface EmptyDb {
  /** Environment for the server: SQLITE_FILE, or DATABASE_URL pointing at a fresh schema. */
  env: Record<string, string>;
  destroy(): Promise<void>;
}

/**
 * A database nobody has migrated yet (a new SQLite path, or a new empty PostgreSQL schema),
 * as on a first deployment: the servers started on it must create the schema themselves.
 */
export async function createEmptyDb(dialect: Dialect): Promise<EmptyDb> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askdesk-empty-'));
    return {
      env: { SQLITE_FILE: path.join(dir, 'fresh.sqlite') },
      destroy: () => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true })),
    };
  }
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `e_${crypto.randomBytes(6).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: baseUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE SCHEMA ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    env: { DATABASE_URL: url.toString() },
    destroy: async () => {
      await admin.raw(`DROP SCHEMA ${schema} CASCADE`);
      await admin.destroy();
    },
  };
}
