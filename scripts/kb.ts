import '../bot/infrastructure/quietDotenv';
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { loadConfig } from '../bot/composition/config';
import { systemIntentEntries } from '../bot/conversation/systemIntents';
import { createDb, migrateLatest } from '../bot/infrastructure/db';
import {
  InvalidInputError,
  parseQueriesJsonl,
  type EvalQuery,
  checkGoldenQuestions,
  GoldenStore,
  MAX_GOLDEN_CHARS,
  withChanges,
  FaqMatcher,
  parseFaqFile,
  serialiseFaqCsv,
  serialiseFaqJson,
  KnexKbStore,
  type ImportSummary,
  loadSampleKb,
  type FaqEntry,
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
type Command = (
  store: KnexKbStore,
  args: string[],
  options: Options,
  golden: GoldenStore,
) => Promise<number>;

/** Recorded as the author of CLI changes in the version history. */
const actor = `cli:${os.userInfo().username}`;

const summaryLine = (s: ImportSummary): string =>
  `${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged`;

/** Reads FILE and validates it; follow-ups may also point at entries already stored. */
async function readFaqFile(store: KnexKbStore, file: string | undefined): Promise<FaqEntry[]> {
  if (!file) throw new InvalidInputError('FILE is missing — name a .json or .csv file');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidInputError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return parseFaqFile(text, {
    source: file,
    existing: await store.list(),
    locales: loadConfig().SUPPORTED_LOCALES,
  });
}

const commands: Record<string, Command> = {
  async import(store, [file], { dryRun, golden: goldenFile, force }, golden) {
    const entries = await readFaqFile(store, file);
    const questions: EvalQuery[] = [
      ...(await golden.list()).map(({ q, expected, locale }) => ({ q, expected, locale })),
      ...(goldenFile ? readGoldenFile(goldenFile) : []),
    ];
    if (!(await goldenQuestionsHold(store, entries, questions, force))) return 1;
    const summary = await store.importEntries(entries, actor, { dryRun });
    console.log(`${summaryLine(summary)}${dryRun ? ' (dry run: nothing written)' : ''}`);
    return 0;
  },
  async validate(store, [file]) {
    const entries = await readFaqFile(store, file);
    const perLocale = new Map<string, number>();
    for (const e of entries) perLocale.set(e.locale, (perLocale.get(e.locale) ?? 0) + 1);
    const counts = [...perLocale].map(([locale, n]) => `${locale} ${n}`).join(', ');
    console.log(`${file}: ${entries.length} valid entries (${counts || 'none'})`);
    return 0;
  },
  async export(store, _args, { format, locale }) {
    if (format !== 'json' && format !== 'csv') {
      throw new InvalidInputError(`--format "${format}" is not supported — use json or csv`);
    }
    const entries = await store.list({ locale });
    process.stdout.write(format === 'csv' ? serialiseFaqCsv(entries) : serialiseFaqJson(entries));
    return 0;
  },
  async list(store, _args, { locale }) {
    for (const e of await store.list({ locale })) {
      console.log(`${e.locale}\t${e.id}\t${e.question}${e.enabled ? '' : '\t(disabled)'}`);
    }
    return 0;
  },
  async overlaps(store, [file], { locale, json }) {
    const entries = file ? await readFaqFile(store, file) : await store.list();
    const locales = [...new Set(entries.map((e) => e.locale))].sort();
    const matcher = new FaqMatcher();
    matcher.load([...entries, ...systemIntentEntries(locales)]);
    for (const { locale: l, groups } of await store.listSynonyms()) matcher.setSynonyms(l, groups);
    const overlaps = locales
      .filter((l) => locale === undefined || l === locale)
      .flatMap((l) => matcher.overlaps(l));
    if (json) {
      console.log(JSON.stringify({ overlaps }, null, 2));
      return 0;
    }
    for (const o of overlaps) {
      console.log(
        `${o.locale}\t${o.kind}\t${o.id}: "${o.phrasing}"\t~ ${o.otherId}: "${o.otherPhrasing}"` +
          (o.kind === 'duplicate' ? '' : `\t(${o.scoreShare})`),
      );
    }
    console.log(`${overlaps.length} overlapping phrasing${overlaps.length === 1 ? '' : 's'}`);
    return 0;
  },
  async golden(store, [action = 'list', arg], { locale, json, expected }, golden) {
    if (action === 'add') {
      const q = (arg ?? '').trim();
      if (q === '') throw new InvalidInputError('QUESTION is missing — kb golden add "QUESTION" …');
      if (q.length > MAX_GOLDEN_CHARS) {
        throw new InvalidInputError(`QUESTION is longer than ${MAX_GOLDEN_CHARS} characters`);
      }
      if (!locale) throw new InvalidInputError('--locale is missing — e.g. --locale en');
      if (!expected) {
        throw new InvalidInputError(
          '--expected is missing — an entry id, or "none" for "no direct answer"',
        );
      }
      const id = expected === 'none' ? null : expected;
      const known =
        id === null ||
        (await store.get(id, locale)) !== undefined ||
        systemIntentEntries([locale]).some((e) => e.id === id);
      if (!known) {
        throw new InvalidInputError(
          `--expected "${id}" is no entry of locale "${locale}" — check kb list --locale ${locale}`,
        );
      }
      const added = await golden.add({ locale, q, expected: id }, actor);
      console.log(`golden question ${added.id} added`);
      return 0;
    }
    if (action === 'remove') {
      const id = Number(arg);
      if (!Number.isInteger(id) || id < 1) {
        throw new InvalidInputError(
          'ID is missing — kb golden remove ID (the first column of kb golden)',
        );
      }
      if (!(await golden.remove(id)))
        throw new InvalidInputError(`there is no golden question ${id}`);
      console.log(`golden question ${id} removed`);
      return 0;
    }
    if (action !== 'list') {
      throw new InvalidInputError(`kb golden ${action}: unknown — use list, add or remove`);
    }
    const questions = await golden.list(locale);
    if (json) {
      console.log(JSON.stringify({ questions }, null, 2));
      return 0;
    }
    for (const g of questions) {
      const expectedText = g.expected ?? '(no direct answer)';
      console.log(`${g.id}\t${g.locale}\t${expectedText}\t${g.q}\t(${g.createdBy})`);
    }
    console.log(`${questions.length} golden question${questions.length === 1 ? '' : 's'}`);
    return 0;
  },
  async seed(store) {
    if ((await store.count()) > 0) {
      console.log('The KB already has entries; nothing seeded.');
      return 0;
    }
    console.log(
      `Seeded the sample KB: ${summaryLine(await store.importEntries(loadSampleKb(), 'seed'))}`,
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

/**
 * Runs the golden questions on the KB before and after the import; prints what the import
 * would break (and fix). False when it breaks any and `force` is off: nothing is written.
 */
async function goldenQuestionsHold(
  store: KnexKbStore,
  entries: readonly FaqEntry[],
  golden: readonly EvalQuery[],
  force: boolean,
): Promise<boolean> {
  if (golden.length === 0) return true;
  const current = await store.list();
  const next = withChanges(current, entries);
  const locales = [...new Set(next.map((e) => e.locale))];
  const system = systemIntentEntries(locales);
  const check = await checkGoldenQuestions([...current, ...system], [...next, ...system], golden, {
    synonyms: await store.listSynonyms(),
  });
  for (const { locale, q, expected, after } of check.broken) {
    console.error(
      `golden question broken: [${locale}] "${q}" expects ${expected ?? '(no direct answer)'}, ` +
        `would get ${after ?? '(no direct answer)'}`,
    );
  }
  for (const query of check.fixed) {
    console.log(
      `golden question fixed: [${query.locale}] "${query.q}" → ${query.expected ?? '(none)'}`,
    );
  }
  console.log(`golden questions: ${check.right} of ${check.total} right after the import`);
  if (check.broken.length === 0) return true;
  if (force) {
    console.error(`--force: importing although ${check.broken.length} golden question(s) break`);
    return true;
  }
  console.error(
    `refused: the import breaks ${check.broken.length} golden question(s); nothing was written ` +
      '(fix the entries, or import with --force)',
  );
  return false;
}

async function withStore<T>(
  run: (store: KnexKbStore, golden: GoldenStore) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const db: Knex = createDb({ databaseUrl: config.DATABASE_URL, sqliteFile: config.SQLITE_FILE });
  try {
    await migrateLatest(db);
    return await run(new KnexKbStore(db), new GoldenStore(db));
  } finally {
    await db.destroy();
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'eval') {
    // Lazy: the evaluation harness (and its dependencies) loads only for this command.
    const { runEval } = await import('./kbEval.js');
    return runEval(argv.slice(1));
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
    (values.help ? console.log : console.error)(
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
  return withStore((store, golden) => command(store, args, options, golden));
}

// `kb export | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Every problem on its own line, so an editor fixes a whole file in one pass.
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
