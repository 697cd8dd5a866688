import { thresholdSweep, type Outcome } from '../../../knowledge/eval/evaluate';
import type { MatchCandidate } from '../../../knowledge/types';

const outcome = (expected: string | null, top?: [string, number]): Outcome => ({
  query: { q: 'q', expected, locale: 'en' },
  result: {
    query: 'q',
    locale: 'en',
    band: 'none', // the sweep reads the confidence, not the band of the run
    candidates: top ? [{ id: top[0], confidence: top[1] } as MatchCandidate] : [],
  },
  latencyMs: 1,
});

describe('thresholdSweep', () => {
  const outcomes = [
    outcome('a', ['a', 0.9]), // right, sure
    outcome('b', ['b', 0.5]), // right, unsure
    outcome('c', ['d', 0.7]), // wrong
    outcome('e'), // nothing found
    outcome(null, ['a', 0.55]), // out of scope, middling
    outcome(null, ['a', 0.95]), // out of scope, sure
  ];

  it('answers a question when its top confidence reaches the threshold', () => {
    const [low, mid, high, all, none] = thresholdSweep(outcomes, [0.5, 0.6, 0.9, 0, 1]);
    expect(low).toEqual({
      answerThreshold: 0.5,
      answerRate: 0.75,
      inScopeAccuracy: 0.5,
      oosRecall: 0,
      wrongAnswerRate: 0.5,
    });
    expect(mid).toMatchObject({ answerRate: 0.5, inScopeAccuracy: 0.25, oosRecall: 0.5 });
    expect(mid?.wrongAnswerRate).toBeCloseTo(2 / 6, 4);
    expect(high).toMatchObject({ answerRate: 0.25, inScopeAccuracy: 0.25, oosRecall: 0.5 });
    expect(all?.answerRate).toBe(0.75); // a question without candidates is never answered
    expect(none).toMatchObject({ answerRate: 0, inScopeAccuracy: 0, oosRecall: 1 });
    expect(none?.wrongAnswerRate).toBe(0);
  });

  it('has no OOS recall without out-of-scope questions, and copes with none at all', () => {
    expect(thresholdSweep(outcomes.slice(0, 3), [0.6])[0]?.oosRecall).toBeNull();
    expect(thresholdSweep([], [0.6])).toEqual([
      {
        answerThreshold: 0.6,
        answerRate: 0,
        inScopeAccuracy: 0,
        oosRecall: null,
        wrongAnswerRate: 0,
      },
    ]);
  });
});
