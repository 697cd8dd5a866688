import '../bot/infrastructure/quietDotenv';
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { loadConfig } from '../bot/composition/config';
import { systemIntentEntries } from '../bot/conversation/systemIntents';
import { createDb, migrateLatest } from '../bot/infrastructure/db';
import { runEval } from './kbEval';
import {
  FaqMatcher,
  GoldenQuestionsBrokenError,
  InvalidInputError,
  KnowledgeBase,
  loadSampleKb,
  parseFaqFile,
  parseQueriesJsonl,
  serialiseFaqCsv,
  serialiseFaqJson,
  type EvalQuery,
  type FaqEntry,
  type ImportSummary,
} from '../knowledge';

const usage = `Usage:
  npm run --silent kb -- import FILE [--dry-run] [--golden QUESTIONS.jsonl] [--force]
                                  JSON array or CSV; all-or-nothing; refused (exit 1) when a
                                  golden question (the stored ones, and those of --golden)
                                  answered right would not be, unless --force
  npm run --silent kb -- golden [list] [--locale xx] [--json]
  npm run --silent kb -- golden add "QUESTION" --locale xx --expected ID|none
  npm run --silent kb -- golden remove ID          the golden questions every write must keep
  npm run --silent kb -- export [--format json|csv] [--locale xx]
  npm run --silent kb -- list [--locale xx]
  npm run --silent kb -- validate FILE                  check a file without importing it
  npm run --silent kb -- seed                           load the sample KB into an empty DB
  npm run --silent kb -- overlaps [FILE] [--locale xx] [--json]
                                  phrasings that overlap another entry (the stored KB or FILE)
  npm run --silent kb -- eval --kb FILE --queries FILE [--json]`;

type Options = {
  dryRun: boolean;
  format: string;
  locale?: string;
  json: boolean;
  golden?: string;
  /** `kb golden add`: the entry id, or "none". */
  expected?: string;
  force: boolean;
};
/** Where the CLI writes: the process's streams, or a test's buffers. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const processOutput: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

type Command = (kb: KnowledgeBase, args: string[], options: Options, io: Io) => Promise<number>;

/** CliOutput with line helpers. */
interface Io {
  log: (line: string) => void;
  error: (line: string) => void;
  write: (text: string) => void;
}

/** Recorded as the author of CLI changes in the version history. */
const actor = `cli:${os.userInfo().username}`;

const summaryLine = (s: ImportSummary): string =>
  `${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged`;

/** Reads FILE and validates it; follow-ups may also point at entries already stored. */
async function readFaqFile(kb: KnowledgeBase, file: string | undefined): Promise<FaqEntry[]> {
  if (!file) throw new InvalidInputError('FILE is missing — name a .json or .csv file');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidInputError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return parseFaqFile(text, {
    source: file,
    existing: await kb.list(),
    locales: loadConfig().SUPPORTED_LOCALES,
  });
}

const commands: Record<string, Command> = {
  async import(kb, [file], { dryRun, golden: goldenFile, force }, io) {
    const entries = await readFaqFile(kb, file);
    const extraGolden = goldenFile ? readGoldenFile(goldenFile) : [];
    let summary: Awaited<ReturnType<KnowledgeBase['import']>>;
    try {
      summary = await kb.import(entries, actor, { dryRun, force, extraGolden });
    } catch (err) {
      if (!(err instanceof GoldenQuestionsBrokenError)) throw err;
      for (const { locale, q, expected, after } of err.broken) {
        io.error(
          `golden question broken: [${locale}] "${q}" expects ${expected ?? '(no direct answer)'}, ` +
            `would get ${after ?? '(no direct answer)'}`,
        );
      }
      io.error(
        `refused: the import breaks ${err.broken.length} golden question(s); nothing was written ` +
          '(fix the entries, or import with --force)',
      );
      return 1;
    }
    if (summary.golden) {
      for (const query of summary.golden.fixed) {
        io.log(
          `golden question fixed: [${query.locale}] "${query.q}" → ${query.expected ?? '(none)'}`,
        );
      }
      io.log(
        `golden questions: ${summary.golden.right} of ${summary.golden.total} right after the import`,
      );
    }
    io.log(`${summaryLine(summary)}${dryRun ? ' (dry run: nothing written)' : ''}`);
    return 0;
  },
  async validate(kb, [file], _options, io) {
    const entries = await readFaqFile(kb, file);
    const perLocale = new Map<string, number>();
    for (const e of entries) perLocale.set(e.locale, (perLocale.get(e.locale) ?? 0) + 1);
    const counts = [...perLocale].map(([locale, n]) => `${locale} ${n}`).join(', ');
    io.log(`${file}: ${entries.length} valid entries (${counts || 'none'})`);
    return 0;
  },
  async export(kb, _args, { format, locale }, io) {
    if (format !== 'json' && format !== 'csv') {
      throw new InvalidInputError(`--format "${format}" is not supported — use json or csv`);
    }
    const entries = await kb.list({ locale });
    io.write(format === 'csv' ? serialiseFaqCsv(entries) : serialiseFaqJson(entries));
    return 0;
  },
  async list(kb, _args, { locale }, io) {
    for (const e of await kb.list({ locale })) {
      io.log(`${e.locale}\t${e.id}\t${e.question}${e.enabled ? '' : '\t(disabled)'}`);
    }
    return 0;
  },
  async overlaps(kb, [file], { locale, json }, io) {
    const entries = file ? await readFaqFile(kb, file) : await kb.list();
    const locales = [...new Set(entries.map((e) => e.locale))].sort();
    const matcher = new FaqMatcher();
    matcher.load([...entries, ...systemIntentEntries(locales)]);
    for (const l of locales) matcher.setSynonyms(l, await kb.getSynonyms(l));
    const overlaps = locales
      .filter((l) => locale === undefined || l === locale)
      .flatMap((l) => matcher.overlaps(l));
    if (json) {
      io.log(JSON.stringify({ overlaps }, null, 2));
      return 0;
    }
    for (const o of overlaps) {
      io.log(
        `${o.locale}\t${o.kind}\t${o.id}: "${o.phrasing}"\t~ ${o.otherId}: "${o.otherPhrasing}"` +
          (o.kind === 'duplicate' ? '' : `\t(${o.scoreShare})`),
      );
    }
    io.log(`${overlaps.length} overlapping phrasing${overlaps.length === 1 ? '' : 's'}`);
    return 0;
  },
  async golden(kb, [action = 'list', arg], { locale, json, expected }, io) {
    if (action === 'add') {
      if (!locale) throw new InvalidInputError('--locale is missing — e.g. --locale en');
      if (!expected) {
        throw new InvalidInputError(
          '--expected is missing — an entry id, or "none" for "no direct answer"',
        );
      }
      const added = await kb.addGoldenQuestion(
        { locale, q: arg ?? '', expected: expected === 'none' ? null : expected },
        actor,
        { q: 'QUESTION', expected: '--expected', none: '"none"' },
      );
      io.log(`golden question ${added.id} added`);
      return 0;
    }
    if (action === 'remove') {
      const id = Number(arg);
      if (!Number.isInteger(id) || id < 1) {
        throw new InvalidInputError(
          'ID is missing — kb golden remove ID (the first column of kb golden)',
        );
      }
      await kb.removeGoldenQuestion(id);
      io.log(`golden question ${id} removed`);
      return 0;
    }
    if (action !== 'list') {
      throw new InvalidInputError(`kb golden ${action}: unknown — use list, add or remove`);
    }
    const questions = await kb.goldenQuestions(locale);
    if (json) {
      io.log(JSON.stringify({ questions }, null, 2));
      return 0;
    }
    for (const g of questions) {
      const expectedText = g.expected ?? '(no direct answer)';
      io.log(`${g.id}\t${g.locale}\t${expectedText}\t${g.q}\t(${g.createdBy})`);
    }
    io.log(`${questions.length} golden question${questions.length === 1 ? '' : 's'}`);
    return 0;
  },
  async seed(kb, _args, _options, io) {
    const seeded = await kb.seedIfEmpty(loadSampleKb());
    io.log(
      seeded
        ? `Seeded the sample KB: ${summaryLine(seeded)}`
        : 'The KB already has entries; nothing seeded.',
    );
    return 0;
  },
};

function readGoldenFile(goldenFile: string): EvalQuery[] {
  let text: string;
  try {
    text = fs.readFileSync(goldenFile, 'utf8');
  } catch (err) {
    throw new InvalidInputError(`cannot read ${goldenFile}: ${(err as Error).message}`);
  }
  return parseQueriesJsonl(text, goldenFile);
}

/** Opens the configured database (migrated) as a KnowledgeBase with the built-in requests. */
async function withKnowledgeBase<T>(
  env: NodeJS.ProcessEnv,
  run: (kb: KnowledgeBase) => Promise<T>,
): Promise<T> {
  const config = loadConfig(env);
  const db: Knex = createDb({ databaseUrl: config.DATABASE_URL, sqliteFile: config.SQLITE_FILE });
  try {
    await migrateLatest(db);
    // The CLI answers nothing itself: no sentence-encoder warm-up for its matcher.
    const kb = await KnowledgeBase.open(db, { matcherOptions: { sentenceEncoder: false } });
    kb.registerSystemEntries(systemIntentEntries(config.SUPPORTED_LOCALES));
    return await run(kb);
  } finally {
    await db.destroy();
  }
}

/**
 * `kb …`: runs one command and resolves with its exit code (0 done, 1 refused or invalid
 * input, 2 usage). Errors are written as lines, so an editor fixes a whole file in one pass.
 * `env` configures the database as for the server (SQLITE_FILE, DATABASE_URL).
 */
export async function run(
  argv: string[],
  output: CliOutput = processOutput,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const io: Io = {
    log: (line) => output.out(`${line}\n`),
    error: (line) => output.err(`${line}\n`),
    write: (text) => output.out(text),
  };
  try {
    return await runCommand(argv, io, output, env);
  } catch (err) {
    io.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

async function runCommand(
  argv: string[],
  io: Io,
  output: CliOutput,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  if (argv[0] === 'eval') {
    return runEval(argv.slice(1), output);
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      format: { type: 'string', default: 'json' },
      locale: { type: 'string' },
      json: { type: 'boolean', default: false },
      golden: { type: 'string' },
      expected: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [name, ...args] = positionals;
  const command = name === undefined ? undefined : commands[name];
  if (values.help || !command) {
    (values.help ? io.log : io.error)(
      name && !command ? `Unknown command "${name}".\n${usage}` : usage,
    );
    return values.help ? 0 : 2;
  }
  const options: Options = {
    dryRun: values['dry-run'],
    format: values.format,
    locale: values.locale,
    json: values.json,
    golden: values.golden,
    expected: values.expected,
    force: values.force,
  };
  return withKnowledgeBase(env, (kb) => command(kb, args, options, io));
}

if (require.main === module) {
  // `kb export | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  void run(process.argv.slice(2)).then((code) => process.exit(code));
}
