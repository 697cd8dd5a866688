import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../../bot/infrastructure/db';
import { parseFaqJson } from '../../knowledge/store/faqFile';
import { GoldenStore } from '../../knowledge/golden/golden';
import { run } from '../../scripts/kb';

// Each call opens a real SQLite file and a real matcher; the logic itself is tested elsewhere.
jest.setTimeout(120_000);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('scripts/kb.ts', () => {
  let dir: string;
  /** Runs the CLI in-process, as `npm run kb -- …` would, on the SQLite file given. */
  const kb = async (args: string[], sqliteFile = path.join(dir, 'kb.sqlite')): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const code = await run(
      args,
      { out: (text) => (stdout += text), err: (text) => (stderr += text) },
      { ...process.env, SQLITE_FILE: sqliteFile, DATABASE_URL: '' },
    );
    return { code, stdout, stderr };
  };
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askdesk-kbcli-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('seeds a fresh data file and exports JSON and CSV that import back unchanged', async () => {
    expect((await kb(['seed'])).stdout).toContain('104 added');
    const json = await kb(['export']);
    expect(json.code).toBe(0);
    const entries = parseFaqJson(json.stdout);
    expect(entries).toHaveLength(104);
    const csv = await kb(['export', '--format', 'csv']);
    const csvFile = write('all.csv', csv.stdout);
    expect((await kb(['import', csvFile])).stdout.trim()).toBe('0 added, 0 updated, 104 unchanged');

    const other = path.join(dir, 'other.sqlite');
    expect((await kb(['import', csvFile], other)).stdout.trim()).toBe(
      '104 added, 0 updated, 0 unchanged',
    );
    expect(parseFaqJson((await kb(['export'], other)).stdout)).toEqual(entries);
  });

  it('prints every error line, exits 1 and changes nothing', async () => {
    const db = path.join(dir, 'bad.sqlite');
    const file = write('faq.csv', 'id,locale,question,answer\nok,en,Fine?,Yes\nx,en,Q,\ny,en,,A\n');
    const run = await kb(['import', file], db);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file} line 3: "answer" is empty — every entry needs an answer`);
    expect(run.stderr).toContain(
      `${file} line 4: "question" is empty — every entry needs a question`,
    );
    expect((await kb(['list'], db)).stdout).toBe('');
  });

  it('writes nothing on --dry-run', async () => {
    const db = path.join(dir, 'dry.sqlite');
    const file = write(
      'one.json',
      JSON.stringify([{ id: 'a', locale: 'en', question: 'Q?', answer: 'A', tags: [] }]),
    );
    expect((await kb(['import', file, '--dry-run'], db)).stdout).toContain(
      '1 added, 0 updated, 0 unchanged (dry run',
    );
    expect((await kb(['list'], db)).stdout).toBe('');
  });

  it('refuses an import that breaks a golden question, unless forced', async () => {
    const db = path.join(dir, 'golden.sqlite');
    expect((await kb(['seed'], db)).code).toBe(0);
    const golden = write(
      'golden.jsonl',
      '{"q":"what are your opening hours","expected":"opening-hours","locale":"en"}\n',
    );
    const steal = write(
      'steal.json',
      JSON.stringify([
        {
          id: 'holiday-hours',
          locale: 'en',
          question: 'What are your opening hours?',
          alternates: ['what are your opening hours on holidays'],
          answer: 'Closed on holidays.',
        },
      ]),
    );
    const refused = await kb(['import', steal, '--golden', golden], db);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'golden question broken: [en] "what are your opening hours" expects opening-hours, would get holiday-hours',
    );
    expect((await kb(['list', '--locale', 'en'], db)).stdout).not.toContain('holiday-hours');
    const forced = await kb(['import', steal, '--golden', golden, '--force'], db);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('1 added');
    const broken = write('broken-golden.jsonl', 'not json\n');
    const bad = await kb(['import', steal, '--golden', broken], db);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${broken} line 1`);
  });

  it('guards every import with the golden questions kept in the database, and lists them', async () => {
    const db = path.join(dir, 'stored-golden.sqlite');
    expect((await kb(['seed'], db)).code).toBe(0);
    // Added as the editor page would (the CLI has created the table by now).
    const knex = createDb({ sqliteFile: db });
    try {
      await new GoldenStore(knex).add(
        { locale: 'en', q: 'what are your opening hours', expected: 'opening-hours' },
        'ann',
      );
    } finally {
      await knex.destroy();
    }
    const bad = await kb(
      ['golden', 'add', 'where do I park', '--locale', 'en', '--expected', 'parking'],
      db,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--expected names no entry of locale "en" ("parking")');
    const added = await kb(
      ['golden', 'add', 'purple elephants on the moon', '--locale', 'en', '--expected', 'none'],
      db,
    );
    expect(added.stdout).toContain('golden question 2 added');
    const listed = await kb(['golden', '--locale', 'en'], db);
    expect(listed.stdout).toContain('en\topening-hours\twhat are your opening hours\t(ann)');
    expect(listed.stdout).toContain('2\ten\t(no direct answer)\tpurple elephants on the moon');
    expect(listed.stdout).toMatch(/^2 golden questions$/m);
    expect((await kb(['golden', 'remove', '2'], db)).stdout).toContain('golden question 2 removed');
    expect((await kb(['golden', 'remove', '2'], db)).code).toBe(1);
    const steal = write(
      'steal-stored.json',
      JSON.stringify([
        {
          id: 'holiday-hours',
          locale: 'en',
          question: 'What are your opening hours?',
          answer: 'Closed on holidays.',
        },
      ]),
    );
    const refused = await kb(['import', steal], db);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'golden question broken: [en] "what are your opening hours" expects opening-hours',
    );
    expect(refused.stderr).toContain('nothing was written');
    expect((await kb(['import', steal, '--force'], db)).code).toBe(0);
  });

  it('lists the phrasings of a file that overlap another entry', async () => {
    const entry = (id: string, question: string, alternates: string[]) => ({
      id,
      locale: 'en',
      question,
      alternates,
      answer: `About ${id}`,
    });
    const file = write(
      'overlapping.json',
      JSON.stringify([
        entry('parking', 'Where can I park?', ['parking spaces for visitors']),
        entry('garage', 'Is there a garage nearby?', ['where can I park']),
        entry('hours', 'When are you open?', ['opening hours']),
      ]),
    );
    const empty = path.join(dir, 'empty.sqlite');
    const text = await kb(['overlaps', file], empty);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      'en\tduplicate\tgarage: "where can I park"\t~ parking: "Where can I park?"',
    );
    expect(text.stdout).toMatch(/^2 overlapping phrasings$/m);
    const json = await kb(['overlaps', file, '--json'], empty);
    const { overlaps } = JSON.parse(json.stdout) as { overlaps: { id: string; otherId: string }[] };
    expect(overlaps.map((o) => `${o.id}~${o.otherId}`).sort()).toEqual([
      'garage~parking',
      'parking~garage',
    ]);
  });

  it('evaluates a KB on labelled queries and explains every candidate with --explain', async () => {
    const kbFile = write(
      'eval-kb.json',
      JSON.stringify([
        {
          id: 'refund',
          locale: 'en',
          question: 'How do I get a refund?',
          alternates: ['money back'],
          answer: 'A',
        },
        {
          id: 'hours',
          locale: 'en',
          question: 'When are you open?',
          alternates: ['opening hours'],
          answer: 'A',
        },
        {
          id: 'hours',
          locale: 'he',
          question: 'מתי אתם פתוחים?',
          alternates: ['שעות פתיחה'],
          answer: 'A',
        },
      ]),
    );
    const queries = write(
      'eval-queries.jsonl',
      [
        { q: 'I want my money back', expected: 'refund', locale: 'en' },
        { q: 'what are your opening hours', expected: 'hours', locale: 'en' },
        { q: 'מה שעות הפתיחה', expected: 'hours', locale: 'he' },
        { q: 'purple elephants juggling on the moon', expected: null, locale: 'en' },
      ]
        .map((q) => JSON.stringify(q))
        .join('\n'),
    );
    const run = await kb(['eval', '--kb', kbFile, '--queries', queries, '--json', '--explain']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ queries: 4, inScope: 3, outOfScope: 1, top1Accuracy: 1 });
    expect(Object.keys(report.perLocale)).toEqual(['en', 'he']);
    expect(report.explained).toHaveLength(4);
    const [refund] = report.explained;
    expect(refund.candidates[0]).toMatchObject({ id: 'refund', matchedPhrasing: 'money back' });
    expect(refund.candidates[0].scores.lexical).toBeGreaterThan(0);
    expect(refund.candidates[0].synonymsApplied).toEqual([]);

    const text = await kb(['eval', '--kb', kbFile, '--queries', queries, '--explain']);
    expect(text.stdout).toMatch(/1\. refund \d\.\d\d via "money back": .*lexical \d\.\d\d/);

    // The threshold simulator replays the same run: at the default threshold it is the run.
    const swept = JSON.parse(
      (await kb(['eval', '--kb', kbFile, '--queries', queries, '--json', '--sweep'])).stdout,
    );
    expect(swept.thresholds.map((p: { answerThreshold: number }) => p.answerThreshold)).toEqual([
      0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9,
    ]);
    expect(swept.thresholds[6]).toEqual({
      answerThreshold: 0.6,
      answerRate: expect.any(Number),
      inScopeAccuracy: swept.inScopeAccuracy,
      oosRecall: swept.oosRecall,
      wrongAnswerRate: swept.wrongAnswerRate,
    });
    const listed = await kb(['eval', '--kb', kbFile, '--queries', queries, '--thresholds', '0,1']);
    expect(listed.stdout).toMatch(/^ {2}0\.00 {2}answered 100\.0%/m);
    expect(listed.stdout).toMatch(/^ {2}1\.00 {2}answered {3}0\.0% .* wrong {3}0\.0%$/m);
    const badList = await kb([
      'eval',
      '--kb',
      kbFile,
      '--queries',
      queries,
      '--thresholds',
      'high',
    ]);
    expect(badList.code).toBe(2);
    expect(badList.stderr).toContain('--thresholds "high" is not a list of numbers from 0 to 1');

    const broken = write('broken.jsonl', '{"q":"hi","expected":null,"locale":"en"}\nnot json\n');
    const bad = await kb(['eval', '--kb', kbFile, '--queries', broken, '--json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${broken} line 2: not valid JSON`);
  });
});
