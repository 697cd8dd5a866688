import {
  changedFields,
  draftFrom,
  entryFrom,
  filterEntries,
  problemsByField,
  synonymGroupsFrom,
  synonymText,
  textDirOf,
} from '../../../knowledge/editor/web/entryDraft.browser';
import type { FaqEntry } from '../../../knowledge/types';

const entry = (over: Partial<FaqEntry> = {}): FaqEntry => ({
  id: 'opening-hours',
  locale: 'en',
  question: 'When are you open?',
  alternates: ['Opening hours', 'Are you open on Sunday?'],
  answer: 'Mon–Fri **9–18**',
  tags: ['hours', 'contact'],
  followUps: ['after-hours'],
  enabled: true,
  ...over,
});

describe('the entry form draft', () => {
  it('round-trips an entry through the form unchanged', () => {
    expect(entryFrom(draftFrom(entry()))).toEqual(entry());
  });

  it('drops blank alternate lines and empty tag slots, and trims the id', () => {
    const draft = {
      ...draftFrom(entry()),
      id: '  opening-hours ',
      alternates: 'one\r\n\n  two  \n',
      tags: 'a,, b ,',
    };
    expect(entryFrom(draft)).toMatchObject({
      id: 'opening-hours',
      alternates: ['one', 'two'],
      tags: ['a', 'b'],
    });
  });

  it('puts API problems next to the field they name, and the rest under "entry"', () => {
    expect(
      problemsByField([
        { line: 0, field: 'question', message: 'q empty' },
        { line: 0, field: 'alternates.2', message: 'alt 3 empty' },
        { line: 0, field: 'alternates.4', message: 'alt 5 empty' },
        { line: 0, field: 'body', message: 'not an object' },
        { line: 0, field: '', message: 'no field' },
      ]),
    ).toEqual({
      question: ['q empty'],
      alternates: ['alt 3 empty', 'alt 5 empty'],
      entry: ['not an object', 'no field'],
    });
  });
});

describe('textDirOf', () => {
  it.each([
    ['he', 'rtl'],
    ['he-IL', 'rtl'],
    ['HE', 'rtl'],
    ['ar', 'rtl'],
    ['en', 'auto'],
    ['hu', 'auto'],
    ['', 'auto'],
  ])('gives %p the direction %p', (locale, dir) => {
    expect(textDirOf(locale)).toBe(dir);
  });
});

describe('filterEntries', () => {
  const entries = [
    entry(),
    entry({ id: 'refunds', question: 'How do refunds work?', alternates: [], tags: ['billing'] }),
    entry({ locale: 'he', question: 'מתי אתם פתוחים?', alternates: [], tags: [] }),
  ];
  it.each([
    [{ locale: '', text: '' }, 3],
    [{ locale: 'he', text: '' }, 1],
    [{ locale: '', text: 'REFUND' }, 1],
    [{ locale: '', text: 'billing' }, 1],
    [{ locale: '', text: 'sunday' }, 1],
    [{ locale: '', text: 'פתוחים' }, 1],
    [{ locale: 'he', text: 'refund' }, 0],
  ])('keeps the entries matching %p (%p of them)', (filter, count) => {
    expect(filterEntries(entries, filter)).toHaveLength(count);
  });
});

describe('changedFields', () => {
  it('names the fields an update changed, and none for a create or a delete', () => {
    const after = entry({ answer: 'new', tags: ['hours'] });
    expect(changedFields(entry(), after)).toEqual(['answer', 'tags']);
    expect(changedFields(null, after)).toEqual([]);
    expect(changedFields(after, null)).toEqual([]);
  });
});

describe('synonym text', () => {
  it('reads one group per line, words by commas, and writes it back the same way', () => {
    const groups = synonymGroupsFrom('car, vehicle ,auto\n\n  , \nrefund,money back\n');
    expect(groups).toEqual([
      ['car', 'vehicle', 'auto'],
      ['refund', 'money back'],
    ]);
    expect(synonymText(groups)).toBe('car, vehicle, auto\nrefund, money back');
  });
});
