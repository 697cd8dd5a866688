import '../bot/infrastructure/quietDotenv';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { loadConfig } from '../bot/composition/config';
import { createDb, migrateLatest } from '../bot/infrastructure/db';
import { createUser, listUsers } from '../bot/users/userStore';

const usage = `Usage:
  npm run --silent agent -- add --name NAME --role agent|supervisor|editor|admin [--json]
  npm run --silent agent -- list [--json]`;

async function main(argv: string[]): Promise<number> {
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
    console.log(usage);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  const db = createDb({ databaseUrl: config.DATABASE_URL, sqliteFile: config.SQLITE_FILE });
  try {
    await migrateLatest(db);
    if (command === 'add') {
      const user = await createUser(db, { name: values.name ?? '', role: values.role as never });
      const out = { id: user.id, name: user.name, role: user.role, token: user.token };
      console.log(
        values.json
          ? JSON.stringify(out)
          : `Created ${out.role} "${out.name}" (${out.id}).\nToken (shown once, keep it safe): ${out.token}`,
      );
      return 0;
    }
    if (command === 'list') {
      const users = await listUsers(db);
      if (values.json) console.log(JSON.stringify(users));
      else for (const u of users) console.log(`${u.id}\t${u.role}\t${u.name}`);
      return 0;
    }
    console.error(`Unknown command "${command}".\n${usage}`);
    return 2;
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ZodError) {
      for (const issue of err.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
    } else {
      console.error(err instanceof Error ? err.message : err);
    }
    process.exit(1);
  },
);
