import { checkGoldenQuestions, withChanges } from '../../../knowledge/golden/golden';
import type { EvalQuery } from '../../../knowledge/eval/evalFiles';
import { faqEntry as entry } from '../matcher/indexFixtures';

jest.setTimeout(60_000); // the production matcher, sentence encoder included

describe('golden questions', () => {
  const kb = [
    entry('hours', 'en', 'When are you open?', ['opening hours', 'what time do you open']),
    entry('refund', 'en', 'How do I get a refund?', ['money back', 'return an order for a refund']),
    entry('parking', 'en', 'Where can I park?', ['parking spaces']),
  ];
  const golden: EvalQuery[] = [
    { q: 'what are your opening hours', expected: 'hours', locale: 'en' },
    { q: 'I want my money back', expected: 'refund', locale: 'en' },
    { q: 'purple elephants juggling on the moon', expected: null, locale: 'en' },
  ];

  it('writes an import over the current entries by key', () => {
    const changed = entry('hours', 'en', 'Opening times?');
    const next = withChanges(kb, [changed, entry('gifts', 'en', 'Gift cards?')]);
    expect(next.map((e) => e.id)).toEqual(['hours', 'refund', 'parking', 'gifts']);
    expect(next[0]).toBe(changed);
  });

  it('passes a change that keeps every golden answer', async () => {
    const next = withChanges(kb, [entry('gifts', 'en', 'Do you sell gift cards?')]);
    const check = await checkGoldenQuestions(kb, next, golden);
    expect(check).toMatchObject({ broken: [], fixed: [], right: 3, total: 3 });
  });

  it('names the golden questions a change takes away, and the ones it fixes', async () => {
    const next = withChanges(kb, [
      // Steals the hours question…
      entry('holiday-hours', 'en', 'What are your opening hours on holidays?', [
        'what are your opening hours',
      ]),
      // …and switching refund off takes that one away too.
      { ...kb[1]!, enabled: false },
    ]);
    const check = await checkGoldenQuestions(kb, next, golden);
    expect(check.broken.map((b) => [b.expected, b.after])).toEqual([
      ['hours', 'holiday-hours'],
      ['refund', null],
    ]);
    expect(check.right).toBe(1);
    // Undoing it fixes both.
    const back = await checkGoldenQuestions(next, kb, golden);
    expect(back.fixed.map((q) => q.expected)).toEqual(['hours', 'refund']);
    expect(back.broken).toEqual([]);
  });

  it('remembers answered sides: the same KB in another order is not answered again', async () => {
    const cache = new Map<string, (string | null)[]>();
    const next = withChanges(kb, [{ ...kb[1]!, enabled: false }]);
    const first = await checkGoldenQuestions(kb, next, golden, { cache });
    expect(cache.size).toBe(2);
    const back = await checkGoldenQuestions([...next].reverse(), [...kb].reverse(), golden, {
      cache,
    });
    expect(cache.size).toBe(2);
    expect(first.broken.map((b) => b.expected)).toEqual(['refund']);
    expect(back.fixed.map((q) => q.expected)).toEqual(['refund']);
    // Other questions are another side.
    await checkGoldenQuestions(kb, next, golden.slice(1), { cache });
    expect(cache.size).toBe(4);
  });
});
