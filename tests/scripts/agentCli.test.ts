import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../scripts/agent';

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
});
