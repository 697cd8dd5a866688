import { decideTurn, decideWaitingTurn, isSensitive } from '../../../bot/conversation/turnPolicy';
import type { MatchBand, MatchCandidate, MatchResult } from '../../../knowledge/types';

const candidate = (id: string, confidence: number): MatchCandidate => ({
  id,
  locale: 'en',
  question: `question ${id}`,
  answer: `answer ${id}`,
  confidence,
  matchedPhrasing: `question ${id}`,
  scores: { fuzzy: confidence, lexical: confidence },
  synonymsApplied: [],
});

const result = (band: MatchBand, ...candidates: MatchCandidate[]): MatchResult => ({
  query: 'q',
  locale: 'en',
  band,
  candidates,
});

describe('decideTurn', () => {
  it.each([
    ['answers a confident FAQ match', result('answer', candidate('hours', 0.9)), 0, [], 'answer'],
    ['clarifies a middling match', result('clarify', candidate('hours', 0.5)), 0, [], 'clarify'],
    ['apologises on a first miss', result('none'), 0, [], 'miss'],
    ['hands off on the second miss in a row', result('none'), 1, [], 'handoff'],
    [
      'hands off on an explicit request',
      result('answer', candidate('__human', 0.95)),
      0,
      [],
      'handoff',
    ],
    ['tells the status on request', result('answer', candidate('__status', 0.9)), 0, [], 'status'],
    ['understands cancel', result('answer', candidate('__cancel', 0.9)), 0, [], 'cancel'],
    [
      'escalates to a supervisor on request',
      result('answer', candidate('__supervisor', 0.9)),
      0,
      [],
      'escalate',
    ],
    [
      'hands off a frustrated customer',
      result('answer', candidate('hours', 0.9)),
      0,
      ['shouting'],
      'handoff',
    ],
    ['greets back', result('answer', candidate('__greeting', 0.9)), 0, [], 'smallTalk'],
    ['welcomes thanks', result('answer', candidate('__thanks', 0.9)), 1, [], 'smallTalk'],
    [
      'hands off a frustrated "thanks for nothing"',
      result('answer', candidate('__thanks', 0.9)),
      0,
      ['negative_sentiment'],
      'handoff',
    ],
    [
      'asks about the FAQ candidates when a greeting is only middling',
      result('clarify', candidate('__greeting', 0.5), candidate('hours', 0.4)),
      0,
      [],
      'clarify',
    ],
    [
      'treats a clarify with only system candidates as a miss',
      result('clarify', candidate('__human', 0.5)),
      0,
      [],
      'miss',
    ],
  ] as const)('%s', (_name, matchResult, misses, frustration, kind) => {
    const action = decideTurn({
      result: matchResult,
      misses,
      missLimit: 2,
      frustration: [...frustration],
    });
    expect(action.kind).toBe(kind);
  });

  it('records why it hands off', () => {
    const byMisses = decideTurn({
      result: result('none'),
      misses: 1,
      missLimit: 2,
      frustration: [],
    });
    const byRequest = decideTurn({
      result: result('answer', candidate('__human', 0.9), candidate('hours', 0.3)),
      misses: 0,
      missLimit: 2,
      frustration: [],
    });
    expect(byMisses).toMatchObject({ kind: 'handoff', reason: 'misses' });
    expect(byRequest).toMatchObject({ kind: 'handoff', reason: 'requested' });
    if (byRequest.kind === 'handoff')
      expect(byRequest.candidates.map((c) => c.id)).toEqual(['hours']);
  });

  it('honours a miss limit of 3 and counts misses up', () => {
    expect(
      decideTurn({ result: result('none'), misses: 1, missLimit: 3, frustration: [] }),
    ).toEqual({
      kind: 'miss',
      misses: 2,
    });
    expect(
      decideTurn({ result: result('none'), misses: 0, missLimit: 1, frustration: [] }).kind,
    ).toBe('handoff');
  });

  it('offers at most three FAQ candidates, never system intents', () => {
    const action = decideTurn({
      result: result(
        'clarify',
        candidate('a', 0.6),
        candidate('__human', 0.55),
        candidate('b', 0.5),
        candidate('c', 0.45),
        candidate('d', 0.44),
      ),
      misses: 0,
      missLimit: 2,
      frustration: [],
    });
    expect(action.kind === 'clarify' && action.candidates.map((c) => c.id)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
});

describe('decideWaitingTurn', () => {
  it.each([
    [result('answer', candidate('__status', 0.9)), 'status'],
    [result('answer', candidate('__cancel', 0.9)), 'cancel'],
    [result('answer', candidate('__supervisor', 0.9)), 'escalate'],
    [result('answer', candidate('__human', 0.9)), 'acknowledge'],
    [result('answer', candidate('hours', 0.9)), 'answerWhileWaiting'],
    [result('clarify', candidate('hours', 0.5)), 'acknowledge'],
    [result('none'), 'acknowledge'],
  ] as const)('%# → %s', (matchResult, kind) => {
    expect(decideWaitingTurn(matchResult).kind).toBe(kind);
  });
});

describe('isSensitive', () => {
  it.each([
    [['privacy', 'Sensitive'], ['sensitive'], true],
    [['privacy'], ['sensitive'], false],
    [[], ['sensitive'], false],
    [['fraud'], ['sensitive', 'fraud'], true],
    [['fraud'], [], false],
  ])('tags %j with sensitive tags %j → %s', (tags, sensitiveTags, expected) => {
    expect(isSensitive(tags, sensitiveTags)).toBe(expected);
  });
});
