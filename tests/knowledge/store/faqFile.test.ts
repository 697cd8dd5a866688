import { InvalidInputError } from '../../../knowledge/errors';
import {
  parseFaqCsv,
  parseFaqFile,
  parseFaqJson,
  parseFaqValue,
  serialiseFaqCsv,
  serialiseFaqJson,
} from '../../../knowledge/store/faqFile';
import type { FaqEntry } from '../../../knowledge/types';

const full = (id: string, overrides: Partial<FaqEntry> = {}): FaqEntry => ({
  id,
  locale: 'en',
  question: `Question ${id}?`,
  alternates: [],
  answer: `Answer ${id}`,
  tags: [],
  followUps: [],
  enabled: true,
  ...overrides,
});

function problemsOf(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (err) {
    if (err instanceof InvalidInputError) return err;
    throw err;
  }
  throw new Error('expected an InvalidInputError');
}

describe('parseFaqJson', () => {
  it('reads the documented file format and fills in the optional fields', () => {
    const text = JSON.stringify([
      { id: 'a', question: ' Q? ', alternates: ['x'], answer: 'A', locale: 'en', tags: [] },
      {
        id: 'b',
        question: 'Q2',
        answer: 'A2',
        locale: 'he',
        followUps: [],
        enabled: false,
        extra: 1,
      },
    ]);
    expect(parseFaqJson(text)).toEqual([
      full('a', { question: 'Q?', alternates: ['x'], answer: 'A' }),
      full('b', { locale: 'he', question: 'Q2', answer: 'A2', enabled: false }),
    ]);
  });

  it('refuses entries in a language the bot does not speak, naming line and field', () => {
    const text = [
      '[',
      '  {"id": "a", "locale": "en", "question": "Q", "answer": "A"},',
      '  {"id": "b", "locale": "xx", "question": "Q", "answer": "A"},',
      '  {"id": "c", "locale": "he-IL", "question": "Q", "answer": "A"}',
      ']',
    ].join('\n');
    const locales = ['en', 'he', 'ro', 'hu'];
    const err = problemsOf(() => parseFaqJson(text, { source: 'faq.json', locales }));
    expect(err.details).toEqual([
      {
        line: 3,
        field: 'locale',
        message:
          '"locale" "xx" is not a language the bot speaks (en, he, ro, hu) — fix the locale, or add it to SUPPORTED_LOCALES',
      },
    ]);
    expect(err.message).toContain('faq.json line 3: "locale" "xx" is not a language');
    // Without the list (e.g. a library caller), any well-formed language code passes.
    expect(parseFaqJson(text).map((e) => e.locale)).toEqual(['en', 'xx', 'he-IL']);
  });

  it('collects every problem with its line and field, in one error', () => {
    const text = [
      '[',
      '  {"id": "a", "locale": "en", "question": "Q", "answer": "A"},',
      '  {"id": "b", "locale": "en", "question": "Q",',
      '   "answer": "  "},',
      '  {"id": "c", "locale": "english", "question": 3, "answer": "A", "alternates": ["ok", ""]},',
      '  {"id": "a", "locale": "en", "question": "Q", "answer": "A", "followUps": ["zzz"]}',
      ']',
    ].join('\n');
    const err = problemsOf(() => parseFaqJson(text, { source: 'faq.json' }));
    expect(err.code).toBe('invalid_input');
    expect(err.details).toEqual([
      { line: 3, field: 'answer', message: '"answer" is empty — every entry needs an answer' },
      expect.objectContaining({ line: 5, field: 'locale' }),
      expect.objectContaining({ line: 5, field: 'question' }),
      {
        line: 5,
        field: 'alternates.1',
        message: '"alternates" item 2 is empty — remove it or fill it in',
      },
      expect.objectContaining({ line: 6, field: 'id' }),
    ]);
    expect(err.details[2]?.message).toContain('must be text');
    expect(err.details[4]?.message).toContain('already appears for locale "en" on line 2');
    expect(err.message).toContain(
      'faq.json line 3: "answer" is empty — every entry needs an answer',
    );
  });

  it('reports a syntax error with its line', () => {
    const err = problemsOf(() => parseFaqJson('[\n{"id": "a",\n oops}]', { source: 'kb.json' }));
    expect(err.details[0]).toMatchObject({ line: 3 });
    expect(err.message).toMatch(/^kb.json has 1 problem:\nkb.json line 3: is not valid JSON/);
  });

  it('wants an array', () => {
    const err = problemsOf(() => parseFaqJson('{"id": "a"}'));
    expect(err.details[0]?.message).toContain('must be a JSON array');
  });

  it('resolves follow-ups within the file or among existing entries, per locale', () => {
    const text = JSON.stringify([
      full('a', { followUps: ['b', 'stored'] }),
      full('b'),
      full('c', { locale: 'ro', followUps: ['b'] }),
    ]);
    const err = problemsOf(() =>
      parseFaqJson(text, { existing: [{ id: 'stored', locale: 'en' }] }),
    );
    expect(err.details).toHaveLength(1);
    expect(err.details[0]).toMatchObject({ field: 'followUps', line: 1 }); // one-line JSON
    expect(err.details[0]?.message).toContain('"b", which is not an entry in locale "ro"');
  });

  it('reserves ids starting with "__" for system entries', () => {
    const err = problemsOf(() => parseFaqJson(JSON.stringify([full('__human')])));
    expect(err.details[0]?.message).toContain('reserved for system entries');
  });
});

describe('parseFaqCsv', () => {
  it('reads the columns in any order, splits lists on | and honours \\| escapes', () => {
    const csv = [
      'locale,id,question,answer,alternates,tags,followUps,enabled',
      'en,a,"Q, with comma","Line 1',
      'Line 2",x|y \\| z,t1|t2,,no',
    ].join('\n');
    expect(parseFaqCsv(csv)).toEqual([
      full('a', {
        question: 'Q, with comma',
        answer: 'Line 1\nLine 2',
        alternates: ['x', 'y | z'],
        tags: ['t1', 't2'],
        enabled: false,
      }),
    ]);
  });

  it('numbers lines in the file, counting multi-line fields and blank lines', () => {
    const csv = [
      'id,locale,question,answer',
      'a,en,Q,"multi',
      'line"',
      '',
      'b,en,Q,',
      'c,xx-,Q,A',
    ].join('\n');
    const err = problemsOf(() => parseFaqCsv(csv, { source: 'faq.csv' }));
    expect(err.details).toEqual([
      { line: 5, field: 'answer', message: '"answer" is empty — every entry needs an answer' },
      expect.objectContaining({ line: 6, field: 'locale' }),
    ]);
    expect(err.message).toContain(
      'faq.csv line 5: "answer" is empty — every entry needs an answer',
    );
  });

  it('names unknown and missing columns in the header', () => {
    const err = problemsOf(() => parseFaqCsv('id,locale,question,answr\na,en,Q,A\n'));
    expect(err.details.map((d) => d.message)).toEqual([
      expect.stringContaining('column "answr" is unknown'),
      expect.stringContaining('column "answer" is missing'),
    ]);
  });

  it('rejects an invalid enabled value', () => {
    const err = problemsOf(() =>
      parseFaqCsv('id,locale,question,answer,enabled\na,en,Q,A,maybe\n'),
    );
    expect(err.details[0]).toMatchObject({
      line: 2,
      field: 'enabled',
      message: '"enabled" must be true or false',
    });
  });

  it('reports broken quoting with its line', () => {
    const err = problemsOf(() => parseFaqCsv('id,locale,question,answer\na,en,"Q,A\n'));
    expect(err.details[0]?.message).toContain('is not valid CSV');
  });
});

describe('serialisation', () => {
  const entries: FaqEntry[] = [
    full('a', {
      alternates: ['x|y', 'back\\slash'],
      tags: ['t'],
      followUps: ['b'],
      answer: 'Multi\n"quoted", line',
    }),
    full('b', { locale: 'en', enabled: false }),
    full('a', { locale: 'he', question: 'מה שעות הפעילות?', answer: 'א׳–ה׳' }),
  ];

  it('round-trips JSON', () => {
    expect(parseFaqJson(serialiseFaqJson(entries))).toEqual(entries);
  });

  it('round-trips CSV, including bars, backslashes, quotes and newlines', () => {
    expect(parseFaqCsv(serialiseFaqCsv(entries))).toEqual(entries);
  });

  it('picks the parser by extension, else by content', () => {
    expect(parseFaqFile(serialiseFaqCsv(entries), { source: 'kb.csv' })).toEqual(entries);
    expect(parseFaqFile(serialiseFaqJson(entries), { source: 'kb.txt' })).toEqual(entries);
    expect(parseFaqFile(serialiseFaqCsv(entries), { source: 'kb.txt' })).toEqual(entries);
  });

  it('validates already-parsed values, numbering entries from 1', () => {
    const err = problemsOf(() => parseFaqValue([full('a'), { id: 'b' }]));
    expect(err.details[0]).toMatchObject({ line: 2 });
  });
});

describe('faq entry locale', () => {
  it('lower-cases the language so "EN" and "en" are one locale', () => {
    expect(parseFaqJson(JSON.stringify([full('a', { locale: 'EN-GB' })]))[0]?.locale).toBe('en-GB');
  });
});
