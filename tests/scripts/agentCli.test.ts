import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../scripts/agent';
import { createDb } from '../../bot/infrastructure/db';
import { findUserByToken } from '../../bot/users/userStore';

describe('scripts/agent.ts', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askdesk-agentcli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const agent = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await run(
      args,
      { out: (text) => (stdout += text), err: (text) => (stderr += text) },
      { ...process.env, SQLITE_FILE: path.join(dir, 'users.sqlite'), DATABASE_URL: '' },
    );
    return { code, stdout, stderr };
  };

  it('adds a user, shows the token once, and lists users without it', async () => {
    const added = await agent(['add', '--name', 'Ann', '--role', 'supervisor', '--json']);
    expect(added.code).toBe(0);
    const user = JSON.parse(added.stdout);
    expect(user).toMatchObject({ name: 'Ann', role: 'supervisor', token: expect.any(String) });
    const listed = await agent(['list']);
    expect(listed.stdout).toBe(`${user.id}\tsupervisor\tAnn\n`);
    expect(listed.stdout).not.toContain(user.token);
  });

  it('names the flag of bad input and exits 1; an unknown command exits 2', async () => {
    const bad = await agent(['add', '--name', 'Ann', '--role', 'boss']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^--role: /);
    const unknown = await agent(['fire', '--name', 'Ann']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "fire"');
  });

  it('rotates a token: the old one is refused at once, the new one works; disable refuses both', async () => {
    const added = JSON.parse(
      (await agent(['add', '--name', 'Ann', '--role', 'agent', '--json'])).stdout,
    );
    const rotated = await agent(['rotate', '--name', 'Ann', '--json']);
    expect(rotated.code).toBe(0);
    const fresh = JSON.parse(rotated.stdout);
    expect(fresh).toEqual({ id: added.id, name: 'Ann', role: 'agent', token: expect.any(String) });
    expect(fresh.token).not.toBe(added.token);
    const db = createDb({ sqliteFile: path.join(dir, 'users.sqlite') });
    try {
      expect(await findUserByToken(db, added.token)).toBeNull();
      expect(await findUserByToken(db, fresh.token)).toMatchObject({ name: 'Ann' });
      expect((await agent(['disable', '--name', 'Ann'])).code).toBe(0);
      expect(await findUserByToken(db, fresh.token)).toBeNull();
    } finally {
      await db.destroy();
    }
    const unknown = await agent(['rotate', '--name', 'Nobody']);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringMatching(/^--name: /)]);
  });
});
