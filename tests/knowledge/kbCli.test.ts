import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFaqJson } from '../../knowledge/faqFile';

// Spawns the real CLI (tsx), so these are few and slow; the logic itself is tested elsewhere.
jest.setTimeout(120_000);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('scripts/kb.ts', () => {
  let dir: string;
  const kb = (args: string[], sqliteFile = path.join(dir, 'kb.sqlite')): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        'npx',
        ['tsx', 'scripts/kb.ts', ...args],
        {
          cwd: path.join(__dirname, '../..'),
          env: { ...process.env, SQLITE_FILE: sqliteFile, DATABASE_URL: '' },
        },
        (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      );
    });
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
});
