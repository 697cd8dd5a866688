import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import knex from 'knex';

const repoRoot = path.resolve(__dirname, '..', '..');

// Each case starts a real process (tsx, the matcher, migrations): tens of seconds on a busy CI box.
jest.setTimeout(120_000);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an entry point as an operator would, with only the given environment (no variables
 * leak in from the test runner), and waits for it to exit.
 */
function run(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    // As `npm start` runs it: Node's deprecation notices would be a second line on stderr.
    const child = spawn(
      process.execPath,
      ['--no-deprecation', '--require', 'tsx/cjs', script, ...args],
      {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: os.tmpdir(),
          DOTENV_CONFIG_QUIET: 'true',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const usersIn = async (sqliteFile: string): Promise<string[]> => {
  const db = knex({
    client: 'sqlite3',
    connection: { filename: sqliteFile },
    useNullAsDefault: true,
  });
  try {
    return (await db<{ name: string }>('users').select('name')).map((u) => u.name);
  } finally {
    await db.destroy();
  }
};

describe('operator start-up: .env, busy port, bad settings', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askdesk-operator-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the CLI reads .env, and a variable in the real environment wins over the file', async () => {
    const envFile = path.join(dir, 'cli.env');
    const fromFile = path.join(dir, 'from-file.sqlite');
    const fromEnv = path.join(dir, 'from-env.sqlite');
    fs.writeFileSync(envFile, `# as copied from .env.example\nSQLITE_FILE=${fromFile}\n`);

    const first = await run(
      'scripts/agent.ts',
      ['add', '--name', 'Fiona File', '--role', 'agent'],
      {
        ENV_FILE: envFile,
      },
    );
    expect(first).toMatchObject({ code: 0 });
    const second = await run('scripts/agent.ts', ['add', '--name', 'Ed Env', '--role', 'agent'], {
      ENV_FILE: envFile,
      SQLITE_FILE: fromEnv,
    });
    expect(second).toMatchObject({ code: 0 });

    expect(await usersIn(fromFile)).toEqual(['Fiona File']);
    expect(await usersIn(fromEnv)).toEqual(['Ed Env']);
  });

  it('the server exits with code 1 and one line naming the port when the port is busy', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '0.0.0.0', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    const envFile = path.join(dir, 'server.env');
    fs.writeFileSync(envFile, `PORT=${port}\nSQLITE_FILE=${path.join(dir, 'server.sqlite')}\n`);
    try {
      const started = await run('bot/main.ts', [], {
        ENV_FILE: envFile,
        LOG_LEVEL: 'silent',
        MATCH_SENTENCE_ENCODER: 'off',
      });
      expect(started.code).toBe(1);
      expect(started.stderr.trim().split('\n')).toEqual([
        `askdesk: port ${port} is already in use; stop the other process or set PORT to a free port`,
      ]);
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });

  it('the server exits with code 1 and one line naming each bad setting', async () => {
    const started = await run('bot/main.ts', [], {
      LOG_LEVEL: 'loud',
      PORT: 'eighty',
      SQLITE_FILE: path.join(dir, 'never.sqlite'),
    });
    expect(started.code).toBe(1);
    const lines = started.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^askdesk: invalid configuration: .*PORT: .*; LOG_LEVEL: /);
    expect(fs.existsSync(path.join(dir, 'never.sqlite'))).toBe(false);
  });

  it('a missing ENV_FILE is named, not ignored', async () => {
    const started = await run('scripts/migrate.ts', ['latest'], {
      ENV_FILE: path.join(dir, 'nope.env'),
    });
    expect(started.code).not.toBe(0);
    expect(started.stderr).toContain(`ENV_FILE: ${path.join(dir, 'nope.env')} does not exist`);
  });
});
