import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import {
  neutraliseCsvCell,
  parseFaqCsv,
  restoreCsvCell,
  serialiseFaqCsv,
} from '../../../knowledge/store/faqFile';
import { KnowledgeBase } from '../../../knowledge/service/knowledgeBase';
import { createDb, migrateLatest } from '../../../bot/infrastructure/db';
import type { FaqEntry } from '../../../knowledge/types';
import { startAppHarness, type AppHarness } from '../../helpers/appHarness';

const entry = (id: string, fields: Partial<FaqEntry>): FaqEntry => ({
  id,
  locale: 'en',
  question: `Question ${id}?`,
  alternates: [],
  answer: `Answer ${id}.`,
  tags: [],
  followUps: [],
  enabled: true,
  ...fields,
});

/** Fields a spreadsheet would run, and ones that only look like our escape. */
const risky: FaqEntry[] = [
  entry('f-eq', { question: "=cmd|' /C calc'!A0", answer: '=HYPERLINK("http://evil","x")' }),
  entry('f-plus', { question: '+1 what is this charge?', answer: '+SUM(A1:A9)' }),
  entry('f-minus', { question: '-2 degrees, is shipping delayed?', alternates: ['-minus first'] }),
  entry('f-at', { answer: '@SUM(1+1)*cmd|"/C calc"!A0', tags: ['@home'] }),
  entry('f-quote', { question: "'Tis the season: holiday hours?", answer: "''double quoted" }),
  entry('=HYPERLINK("http://evil")', { question: '=the id is a formula too' }),
  entry('f-tab', {
    answer: 'inner\ttab and =not at the start',
    followUps: ['=HYPERLINK("http://evil")', 'f-eq'],
  }),
];

const byId = (entries: readonly FaqEntry[]): FaqEntry[] =>
  [...entries].sort((a, b) => a.id.localeCompare(b.id));

/** Every cell of a CSV text, header row excluded. */
const cellsOf = (csv: string): string[] => {
  const rows: string[][] = parseCsv(csv, { from_line: 2 });
  return rows.flat();
};

describe('formula-safe CSV', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@x', "'@x"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ["'quoted", "''quoted"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('neutralises %j as %j, and restores it', (cell, safe) => {
    expect(neutraliseCsvCell(cell)).toBe(safe);
    expect(restoreCsvCell(neutraliseCsvCell(cell))).toBe(cell);
  });

  it('exports no cell a spreadsheet would run, and imports them back unchanged', () => {
    const csv = serialiseFaqCsv(risky);
    for (const cell of cellsOf(csv)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(parseFaqCsv(csv)).toEqual(risky);
  });

  describe('over HTTP (real server, SQLite)', () => {
    let h: AppHarness;
    let token: string;
    beforeAll(async () => {
      h = await startAppHarness({ env: { SEED_SAMPLE_KB: 'false' } });
      token = (await h.addUser('Erin', 'editor')).token;
    }, 90_000);
    afterAll(async () => {
      await h?.close();
    });

    it('GET /api/kb/export?format=csv keeps formulas inert, and POST /api/kb/import restores them', async () => {
      const imported = await h.call('POST', '/api/kb/import', { token, body: risky });
      expect(imported.status).toBe(200);
      const exported = await fetch(`${h.app.url}/api/kb/export?format=csv&locale=en`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const csv = await exported.text();
      for (const cell of cellsOf(csv)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      expect(cellsOf(csv)).toContain("'=cmd|' /C calc'!A0");

      await h.call('DELETE', '/api/kb/entries/en/f-eq', { token });
      const again = await fetch(`${h.app.url}/api/kb/import`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv' },
        body: csv,
      });
      expect(again.status).toBe(200);
      const listed = await h.call('GET', '/api/kb/entries?locale=en', { token });
      const byId = new Map(
        (listed.body.entries as FaqEntry[]).map((e) => [e.id, e] as [string, FaqEntry]),
      );
      for (const original of risky) expect(byId.get(original.id)).toMatchObject(original);
    });
  });

  it('kb export --format csv keeps formulas inert, and the file imports back unchanged', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askdesk-csvformula-'));
    const sqliteFile = path.join(dir, 'kb.sqlite');
    try {
      const db = createDb({ sqliteFile });
      await migrateLatest(db);
      await (await KnowledgeBase.open(db)).import(risky, 'test');
      await db.destroy();
      const csv = await new Promise<string>((resolve, reject) => {
        execFile(
          'npx',
          ['tsx', 'scripts/kb.ts', 'export', '--format', 'csv'],
          {
            cwd: path.join(__dirname, '../../..'),
            env: { ...process.env, SQLITE_FILE: sqliteFile, DATABASE_URL: '' },
          },
          (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)),
        );
      });
      for (const cell of cellsOf(csv)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      expect(byId(parseFaqCsv(csv))).toEqual(byId(risky));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
