import { FaqMatcher } from '../../../knowledge/matcher/faqMatcher';
import { KnowledgeBase, MAX_KEPT_CHARS } from '../../../knowledge/service/knowledgeBase';
import { groupQuestions, type UnansweredQuestion } from '../../../knowledge/inbox/unanswered';
import { createTestDb, testDialects, type TestDb } from '../../helpers/testDb';
import { faqEntry as entry } from '../matcher/indexFixtures';

describe('groupQuestions (the unanswered inbox)', () => {
  const matcher = new FaqMatcher();
  matcher.load([
    entry('hours', 'en', 'When are you open?'),
    entry('hours', 'he', 'מתי אתם פתוחים?'),
    entry('hours', 'ro', 'Când sunteți deschiși?'),
    entry('hours', 'hu', 'Mikor vagytok nyitva?'),
  ]);
  const words = (text: string, locale: string) => matcher.contentWords(text, locale);
  let next = 1;
  const q = (text: string, locale = 'en', topId: string | null = null): UnansweredQuestion => ({
    id: next,
    locale,
    text,
    outcome: 'none',
    topId,
    confidence: 0.1,
    answer: null,
    at: new Date(Date.UTC(2026, 10, 1, 0, next++)).toISOString(),
  });

  it('puts questions that ask the same thing together, largest group first, in every locale', () => {
    const groups = groupQuestions(
      [
        q('Where is my parcel?', 'en', 'delivery'),
        q('where is my PARCEL', 'en', 'delivery'),
        q("Where's my parcel now?", 'en', 'hours'),
        q('Where is your office?'),
        q('My parcel arrived damaged'),
        q('I lost the parcel slip'),
        q('איפה החבילה שלי?', 'he'),
        q('איפה החבילה שלי', 'he'),
        q('Unde este coletul meu?', 'ro'),
        q('unde e coletul meu', 'ro'),
        q('Hol van a csomagom?', 'hu'),
        q('hol van a csomagom', 'hu'),
      ],
      words,
    );
    const parcel = groups[0]!;
    expect(parcel).toMatchObject({ locale: 'en', count: 3, topId: 'delivery' });
    // Most recent first.
    expect(parcel.examples.map((e) => e.text)[0]).toBe("Where's my parcel now?");
    expect(parcel.ids).toHaveLength(3);
    expect(groups.map((g) => [g.locale, g.count])).toEqual(
      expect.arrayContaining([
        ['he', 2],
        ['ro', 2],
        ['hu', 2],
        ['en', 1],
      ]),
    );
    // A damaged or a lost parcel is another question than "where is it".
    expect(groups).toHaveLength(7);
  });

  it('never mixes locales, and keeps wordless questions apart unless identical', () => {
    const groups = groupQuestions(
      [q('🙂🙂'), q('🙂🙂'), q('?!'), q('parcel', 'ro'), q('parcel')],
      words,
    );
    expect(groups.map((g) => g.count)).toEqual([2, 1, 1, 1]);
    expect(groupQuestions([], words)).toEqual([]);
  });
});

describe.each(testDialects())('the unanswered inbox on %s', (dialect) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb(dialect);
  });
  afterAll(async () => {
    await testDb.destroy();
  });

  it('keeps questions redacted and bounded, groups and dismisses them', async () => {
    const kb = await KnowledgeBase.open(testDb.db, {
      redact: (text) => text.replace(/\d{4,}/g, '[number]'),
    });
    const miss = { locale: 'en', outcome: 'clarify', topId: 'cards', confidence: 0.4 } as const;
    await kb.recordUnanswered({ ...miss, text: 'card 4111111111111111 blocked?' });
    await kb.recordUnanswered({ ...miss, text: 'Card 5500000000000004 blocked' });
    await kb.recordUnanswered({ ...miss, text: '   ' }); // nothing to keep
    await kb.recordUnanswered({ ...miss, text: `why ${'so '.repeat(400)}slow` });
    const groups = await kb.unansweredGroups();
    expect(groups.map((g) => g.count)).toEqual([2, 1]);
    expect(groups[0]!.examples.map((e) => e.text)).toEqual([
      'Card [number] blocked',
      'card [number] blocked?',
    ]);
    expect(groups[0]).toMatchObject({ topId: 'cards', locale: 'en' });
    expect(groups[1]!.examples[0]!.text).toHaveLength(MAX_KEPT_CHARS);
    expect(await kb.dismissUnanswered([...groups[0]!.ids, 999_999])).toBe(2);
    expect(await kb.unansweredGroups('en')).toHaveLength(1);
    expect(await kb.unansweredGroups('he')).toEqual([]);
  });
});
