import '../bot/infrastructure/quietDotenv';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { loadConfig } from '../bot/composition/config';
import { createDb, migrateLatest } from '../bot/infrastructure/db';
import { createUser, disableUser, listUsers, rotateToken } from '../bot/users/userStore';

const usage = `Usage:
  npm run --silent agent -- add --name NAME --role agent|supervisor|editor|admin [--json]
  npm run --silent agent -- list [--json]
  npm run --silent agent -- rotate --name NAME [--json]
  npm run --silent agent -- disable --name NAME`;

/** Where the CLI writes: the process's streams, or a test's buffers. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const processOutput: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * `agent …`: runs one command and resolves with its exit code (0 done, 1 invalid input,
 * 2 usage). `env` configures the database as for the server.
 */
export async function run(
  argv: string[],
  output: CliOutput = processOutput,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const log = (line: string) => output.out(`${line}\n`);
  const error = (line: string) => output.err(`${line}\n`);
  try {
    return await runCommand(argv, log, error, env);
  } catch (err) {
    if (err instanceof ZodError) {
      for (const issue of err.issues) error(`--${issue.path.join('.')}: ${issue.message}`);
    } else {
      error(err instanceof Error ? err.message : String(err));
    }
    return 1;
  }
}

async function runCommand(
  argv: string[],
  log: (line: string) => void,
  error: (line: string) => void,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    log(usage);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig(env);
  const db = createDb({ databaseUrl: config.DATABASE_URL, sqliteFile: config.SQLITE_FILE });
  try {
    await migrateLatest(db);
    if (command === 'add') {
      const user = await createUser(db, { name: values.name ?? '', role: values.role as never });
      const out = { id: user.id, name: user.name, role: user.role, token: user.token };
      log(
        values.json
          ? JSON.stringify(out)
          : `Created ${out.role} "${out.name}" (${out.id}).\nToken (shown once, keep it safe): ${out.token}`,
      );
      return 0;
    }
    if (command === 'rotate') {
      const user = await rotateToken(db, values.name ?? '');
      if (!user) {
        error(`--name: no user is called "${values.name ?? ''}"; see \`agent -- list\``);
        return 1;
      }
      const out = { id: user.id, name: user.name, role: user.role, token: user.token };
      log(
        values.json
          ? JSON.stringify(out)
          : `New token for ${out.role} "${out.name}" (shown once; the old one no longer works): ${out.token}`,
      );
      return 0;
    }
    if (command === 'disable') {
      if (!(await disableUser(db, values.name ?? ''))) {
        error(`--name: no user is called "${values.name ?? ''}"; see \`agent -- list\``);
        return 1;
      }
      log(`Disabled "${values.name}": their token no longer works.`);
      return 0;
    }
    if (command === 'list') {
      const users = await listUsers(db);
      if (values.json) log(JSON.stringify(users));
      else for (const u of users) log(`${u.id}\t${u.role}\t${u.name}`);
      return 0;
    }
    error(`Unknown command "${command}".\n${usage}`);
    return 2;
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => process.exit(code));
}
