import { GoldenQuestionsBrokenError } from '../../../knowledge/errors';
import { KnowledgeBase } from '../../../knowledge/service/knowledgeBase';
import type { FaqEntry } from '../../../knowledge/types';
import { createTestDb, testDialects, type TestDb } from '../../helpers/testDb';
import { faqEntry } from '../matcher/indexFixtures';

jest.setTimeout(60_000); // the production matcher, sentence encoder included

const entry = (id: string, question: string, extra: Partial<FaqEntry> = {}): FaqEntry =>
  faqEntry(id, extra.locale ?? 'en', question, extra.alternates, extra);

const hours = entry('hours', 'When are you open?', {
  alternates: ['opening hours', 'what time do you open'],
});
const refund = entry('refund', 'How do I get a refund?', {
  alternates: ['can I get my money back', 'return an order for a refund'],
});
const parking = entry('parking', 'Where can I park?', { alternates: ['parking spaces'] });
const roHours = entry('program', 'Când sunteți deschiși?', {
  locale: 'ro',
  alternates: ['programul de lucru', 'la ce oră deschideți'],
});
const heHours = entry('hours', 'מתי אתם פתוחים?', {
  locale: 'he',
  alternates: ['שעות הפתיחה', 'באיזו שעה אתם פותחים'],
});
/** Claims the hours question for itself. */
const holidayHours = entry('holiday-hours', 'What are your opening hours on holidays?', {
  alternates: ['what are your opening hours'],
});

describe.each(testDialects())('golden questions guard the KB on %s', (dialect) => {
  let testDb: TestDb;
  let kb: KnowledgeBase;

  beforeEach(async () => {
    testDb = await createTestDb(dialect);
    kb = await KnowledgeBase.open(testDb.db);
    await kb.import([hours, refund, parking, roHours, heHours], 'ann');
    await kb.addGoldenQuestion(
      { locale: 'en', q: 'what are your opening hours', expected: 'hours' },
      'ann',
    );
    await kb.addGoldenQuestion(
      { locale: 'en', q: 'I want my money back', expected: 'refund' },
      'ann',
    );
    await kb.addGoldenQuestion(
      { locale: 'en', q: 'purple elephants juggling on the moon', expected: null },
      'ann',
    );
  });
  afterEach(async () => {
    await testDb.destroy();
  });

  /** The error a refused write throws, for its details. */
  const refusal = async (write: Promise<unknown>): Promise<GoldenQuestionsBrokenError> => {
    const err: unknown = await write.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GoldenQuestionsBrokenError);
    return err as GoldenQuestionsBrokenError;
  };

  it('lists the golden questions with what the live bot answers now', async () => {
    const questions = await kb.goldenQuestions('en');
    expect(questions.map((g) => [g.q, g.expected, g.answer, g.right, g.createdBy])).toEqual([
      ['what are your opening hours', 'hours', 'hours', true, 'ann'],
      ['I want my money back', 'refund', 'refund', true, 'ann'],
      ['purple elephants juggling on the moon', null, null, true, 'ann'],
    ]);
    expect(await kb.goldenQuestions('ro')).toEqual([]);
    // Forced past the check, the live status shows the damage.
    await kb.upsert({ ...refund, enabled: false }, 'bob', { force: true });
    const moneyBack = (await kb.goldenQuestions('en'))[1]!;
    expect(moneyBack.right).toBe(false);
    expect(moneyBack.answer).not.toBe('refund');
  });

  it('refuses an edit that takes a golden answer away, writing nothing; force writes it', async () => {
    const err = await refusal(kb.upsert(holidayHours, 'bob'));
    expect(err.code).toBe('golden_broken');
    expect(err.broken).toEqual([
      {
        locale: 'en',
        q: 'what are your opening hours',
        expected: 'hours',
        after: 'holiday-hours',
      },
    ]);
    expect(err.message).toContain('"what are your opening hours" would get holiday-hours');
    // Nothing stored, nothing versioned, and the bot still answers as before.
    expect(await kb.getStored('holiday-hours', 'en')).toBeUndefined();
    expect(await kb.listVersions('holiday-hours', 'en')).toEqual([]);
    expect((await kb.match('what are your opening hours', 'en')).candidates[0]?.id).toBe('hours');

    await kb.upsert(holidayHours, 'bob', { force: true });
    expect(await kb.getStored('holiday-hours', 'en')).toEqual(holidayHours);
    expect((await kb.match('what are your opening hours', 'en')).candidates[0]?.id).toBe(
      'holiday-hours',
    );
  });

  it('lets harmless edits through', async () => {
    await kb.upsert(entry('gifts', 'Do you sell gift cards?'), 'bob');
    await kb.upsert({ ...parking, answer: 'Level -1, free for customers.' }, 'bob');
    await kb.delete('parking', 'en', 'bob');
    expect(await kb.getStored('gifts', 'en')).toBeDefined();
  });

  it('refuses deleting or disabling the entry a golden question needs', async () => {
    const deleted = await refusal(kb.delete('refund', 'en', 'bob'));
    expect(deleted.broken).toEqual([
      { locale: 'en', q: 'I want my money back', expected: 'refund', after: null },
    ]);
    await refusal(kb.upsert({ ...refund, enabled: false }, 'bob'));
    expect(await kb.getStored('refund', 'en')).toEqual(refund);
  });

  it('refuses an entry that would answer a question the bot must not answer directly', async () => {
    const circus = entry('circus', 'Do purple elephants juggle on the moon?', {
      alternates: ['purple elephants juggling on the moon'],
    });
    const err = await refusal(kb.create(circus, 'bob'));
    expect(err.broken).toEqual([
      {
        locale: 'en',
        q: 'purple elephants juggling on the moon',
        expected: null,
        after: 'circus',
      },
    ]);
  });

  it('checks imports (dry runs too), version restores and synonym edits', async () => {
    await refusal(kb.import([holidayHours, entry('gifts', 'Gift cards?')], 'bob'));
    await refusal(kb.import([holidayHours], 'bob', { dryRun: true }));
    expect(await kb.getStored('gifts', 'en')).toBeUndefined();

    // Written with force, then undone; restoring the stealing version is checked again.
    await kb.upsert(holidayHours, 'bob', { force: true });
    await kb.delete('holiday-hours', 'en', 'bob');
    await refusal(kb.restoreVersion('holiday-hours', 'en', 1, 'bob'));
    expect(await kb.getStored('holiday-hours', 'en')).toBeUndefined();

    // Synonyms that make every word of the nonsense question mean "parking" answer it.
    const groups = [['parking', 'purple', 'elephants', 'juggling', 'moon']];
    const synonyms = await refusal(kb.setSynonyms('en', groups, 'bob'));
    expect(synonyms.broken).toEqual([
      {
        locale: 'en',
        q: 'purple elephants juggling on the moon',
        expected: null,
        after: 'parking',
      },
    ]);
    expect(await kb.getSynonyms('en')).toEqual([]);
  });

  it('restores a synonym version as a new, guarded edit', async () => {
    await kb.setSynonyms('en', [['hours', 'timetable']], 'ann');
    await kb.setSynonyms('en', [['parking', 'purple', 'elephants', 'juggling', 'moon']], 'bob', {
      force: true,
    });
    await kb.setSynonyms('en', [], 'ann');
    // Version 2 would answer the nonsense question again: refused unless forced.
    await refusal(kb.restoreSynonymVersion('en', 2, 'eve'));
    expect(await kb.getSynonyms('en')).toEqual([]);
    expect(await kb.restoreSynonymVersion('en', 1, 'eve')).toEqual([['hours', 'timetable']]);
    expect(await kb.getSynonyms('en')).toEqual([['hours', 'timetable']]);
    const [latest] = await kb.listSynonymVersions('en');
    expect(latest).toMatchObject({ version: 4, actor: 'eve', before: [] });
    expect((await kb.match('timetable please', 'en')).candidates[0]?.id).toBe('hours');
    await expect(kb.restoreSynonymVersion('en', 9, 'eve')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('keeps each locale to its own golden questions, in every language', async () => {
    await kb.addGoldenQuestion({ locale: 'ro', q: 'Când deschideți?', expected: 'program' }, 'ann');
    await kb.addGoldenQuestion({ locale: 'he', q: 'מה שעות הפתיחה?', expected: 'hours' }, 'ann');
    expect((await kb.goldenQuestions()).filter((g) => !g.right)).toEqual([]);
    // An English change is not blocked by the others, and theirs are checked.
    await kb.upsert(entry('gifts', 'Gift cards?'), 'bob');
    await refusal(kb.upsert({ ...roHours, enabled: false }, 'bob'));
    const he = await refusal(kb.delete('hours', 'he', 'bob'));
    expect(he.broken).toEqual([
      { locale: 'he', q: 'מה שעות הפתיחה?', expected: 'hours', after: null },
    ]);
    // Deleting the English entry of the same id is another locale's business.
    await refusal(kb.delete('hours', 'en', 'bob'));
  });

  it('replays the golden and the logged questions at other answer thresholds', async () => {
    const miss = { locale: 'en', outcome: 'none', topId: null, confidence: 0.1 } as const;
    // Logged when the KB could not answer them; one is answered directly now.
    await kb.recordUnanswered({ ...miss, text: 'what time do you open' });
    await kb.recordUnanswered({ ...miss, text: 'purple cats riding skateboards' });
    await kb.recordUnanswered({ ...miss, locale: 'ro', text: 'la ce oră deschideți' });
    const report = await kb.simulateThresholds('en');
    expect(report).toMatchObject({ answerThreshold: 0.6, golden: 3, logged: 2 });
    expect(report.rows.map((r) => r.answerThreshold)).toEqual([
      0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9,
    ]);
    const now = report.rows.find((r) => r.answerThreshold === 0.6)!;
    expect(now).toMatchObject({
      goldenAnswerRate: 1,
      goldenAnsweredRight: 1,
      goldenWrong: 0,
      loggedAnswered: 0.5,
    });
    // Higher thresholds never answer more.
    report.rows.slice(1).forEach((row, i) => {
      expect(row.goldenAnswerRate).toBeLessThanOrEqual(report.rows[i]!.goldenAnswerRate);
      expect(row.loggedAnswered).toBeLessThanOrEqual(report.rows[i]!.loggedAnswered);
    });
    expect((await kb.simulateThresholds()).logged).toBe(3);
    const ro = await kb.simulateThresholds('ro');
    expect(ro).toMatchObject({ golden: 0, logged: 1 });
    expect(ro.rows.find((r) => r.answerThreshold === 0.6)?.loggedAnswered).toBe(1);
  });

  it('validates golden questions and removes them', async () => {
    await expect(
      kb.addGoldenQuestion({ locale: 'en', q: '   ', expected: null }, 'ann'),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      details: [expect.objectContaining({ field: 'q' })],
    });
    await expect(
      kb.addGoldenQuestion({ locale: 'en', q: 'where is my parcel', expected: 'delivery' }, 'ann'),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      details: [expect.objectContaining({ field: 'expected' })],
    });
    // "hours" exists in Hebrew and English, not in Romanian.
    await expect(
      kb.addGoldenQuestion({ locale: 'ro', q: 'program?', expected: 'hours' }, 'ann'),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(
      kb.addGoldenQuestion(
        { locale: 'en', q: ' what are your opening hours ', expected: null },
        'x',
      ),
    ).rejects.toMatchObject({ code: 'conflict' });

    const [first] = await kb.goldenQuestions('en');
    await kb.removeGoldenQuestion(first!.id);
    await expect(kb.removeGoldenQuestion(first!.id)).rejects.toMatchObject({ code: 'not_found' });
    // Without it, the stealing edit goes through.
    await kb.upsert(holidayHours, 'bob');
  });
});
