import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb } from '../../../bot/infrastructure/db';

describe('SQLite connection settings', () => {
  let dir: string;
  let db: Knex;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askdesk-dbsettings-'));
    db = createDb({ sqliteFile: path.join(dir, 'settings.sqlite') });
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs in WAL mode with synchronous = NORMAL, foreign keys on and a busy timeout', async () => {
    const pragma = async (name: string): Promise<unknown> => {
      const rows = await db.raw<Record<string, unknown>[]>(`PRAGMA ${name}`);
      return Object.values(rows[0] ?? {})[0];
    };
    expect(await pragma('journal_mode')).toBe('wal');
    // 1 = NORMAL (2 would be FULL, an fsync per commit).
    expect(await pragma('synchronous')).toBe(1);
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
  });
});
