import { topMean } from '../../../../knowledge/matcher/scoring/features';
import {
  calibratedConfidence,
  charNgrams,
  clamp01,
  combine,
  confidenceFromFuseScore,
  cosine,
  idf,
  norm,
  saturate,
  sigmoid,
  softmax,
} from '../../../../knowledge/matcher/scoring/score';

const vec = (entries: [string, number][]): Map<string, number> => new Map(entries);

describe('scoring formulas', () => {
  it.each([
    [-1, 0],
    [0.3, 0.3],
    [2, 1],
    [Number.NaN, 0],
  ])('clamp01(%p) = %p', (x, expected) => {
    expect(clamp01(x)).toBe(expected);
  });

  it.each([
    [0, 1],
    [1, 0],
    [0.25, 0.75],
    [undefined, 0],
    [1.5, 0],
  ])('turns fuse score %p into confidence %p', (score, expected) => {
    expect(confidenceFromFuseScore(score)).toBeCloseTo(expected);
  });

  it('gives rarer terms a higher idf, always positive', () => {
    expect(idf(1, 100)).toBeGreaterThan(idf(10, 100));
    expect(idf(100, 100)).toBeGreaterThan(0);
    expect(idf(0, 0)).toBeGreaterThan(0);
  });

  it.each([
    [0, 0.5, 0],
    [1, 0.5, 1],
    [0.5, 0.5, 0.75],
  ])('saturate(%p, k=%p) = %p', (share, k, expected) => {
    expect(saturate(share, k)).toBeCloseTo(expected);
  });

  it('scores cosine 1 for parallel vectors, 0 for disjoint or empty ones', () => {
    const a = vec([
      ['card', 2],
      ['lost', 1],
    ]);
    const b = vec([
      ['card', 4],
      ['lost', 2],
    ]);
    expect(cosine(a, norm(a), b, norm(b))).toBeCloseTo(1);
    expect(cosine(a, norm(a), vec([['pin', 1]]), 1)).toBe(0);
    expect(cosine(a, norm(a), vec([]), 0)).toBe(0);
  });

  it('softmax sums to 1, keeps order, and handles an empty list', () => {
    const p = softmax([-1, -2, -3], 1);
    expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1);
    expect(p[0]).toBeGreaterThan(p[1] ?? 1);
    expect(softmax([], 1)).toEqual([]);
    expect(softmax([-1000, -1001], 1).every(Number.isFinite)).toBe(true);
  });

  it('combines named components with weights, missing ones as 0', () => {
    expect(combine({ lexical: 0.5, fuzzy: 1 }, { lexical: 2, fuzzy: 0.5, ngram: 1 })).toBeCloseTo(
      1.5,
    );
  });

  it('calibrates a higher score and a larger lead into a higher confidence in 0..1', () => {
    const model = { bias: -2, coefficients: { score: 1, margin: 3 } };
    const low = calibratedConfidence({ score: 1, margin: 0 }, model);
    const high = calibratedConfidence({ score: 3, margin: 1, unused: 99 }, model);
    expect(high).toBeGreaterThan(low);
    for (const c of [low, high]) expect(c).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThanOrEqual(1);
    expect(sigmoid(0)).toBe(0.5);
  });

  it('makes boundary-marked character n-grams', () => {
    expect(charNgrams('card', [3])).toEqual(['#ca', 'car', 'ard', 'rd#']);
    expect(charNgrams('a', [3, 4])).toEqual(['#a#']);
  });

  it('averages the k best values', () => {
    expect(topMean([0.1, 0.9, 0.5], 2)).toBeCloseTo(0.7);
    expect(topMean([], 3)).toBe(0);
  });
});
