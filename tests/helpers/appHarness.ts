import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../bot/composition/config';
import { startAskdesk, type AppOverrides, type RunningApp } from '../../bot/main';
import { createUser, type Role } from '../../bot/users/userStore';
import { createTestDb, type Dialect } from './testDb';

export interface AppHarness {
  app: RunningApp;
  /** A user with a bearer token, created in the app's database. */
  addUser(name: string, role: Role): Promise<{ id: string; name: string; token: string }>;
  /** fetch against the app; JSON in, JSON out. */
  call(
    method: string,
    route: string,
    options?: { token?: string; body?: unknown; raw?: string },
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/**
 * The real server (restify, CloudAdapter, bot, modules) on a free port and a fresh database:
 * a temporary SQLite file, or a fresh PostgreSQL schema.
 */
export async function startAppHarness(
  options: {
    dialect?: Dialect;
    env?: Record<string, string>;
    overrides?: Partial<AppOverrides>;
  } = {},
): Promise<AppHarness> {
  const dialect = options.dialect ?? 'sqlite';
  let dbSettings: { SQLITE_FILE: string; DATABASE_URL?: string };
  let cleanup: () => Promise<void>;
  if (dialect === 'postgres') {
    // A fresh migrated schema; the app connects to it with its own pool.
    const testDb = await createTestDb('postgres');
    dbSettings = { SQLITE_FILE: ':memory:', DATABASE_URL: testDb.settings.databaseUrl };
    cleanup = () => testDb.destroy();
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askdesk-app-'));
    dbSettings = { SQLITE_FILE: path.join(dir, 'askdesk.sqlite') };
    cleanup = () => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true }));
  }
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...dbSettings, ...options.env });
  const app = await startAskdesk(config, {
    logger: pino({ level: 'silent' }),
    ...options.overrides,
  });
  return {
    app,
    addUser: async (name, role) => createUser(app.db, { name, role }),
    call: async (method, route, { token, body, raw } = {}) => {
      const response = await fetch(`${app.url}${route}`, {
        method,
        headers: {
          ...(token && { Authorization: `Bearer ${token}` }),
          ...((body !== undefined || raw !== undefined) && { 'Content-Type': 'application/json' }),
        },
        body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const textBody = await response.text();
      let parsed: unknown = textBody;
      try {
        parsed = textBody ? JSON.parse(textBody) : null;
      } catch {
        // Non-JSON (e.g. /metrics): keep the text.
      }
      return { status: response.status, body: parsed };
    },
    close: async () => {
      await app.close();
      await cleanup();
    },
  };
}
