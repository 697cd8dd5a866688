import { TextPipeline } from '../../../../knowledge/matcher/text/normalize';
import { en } from '../../../../knowledge/matcher/text/localeProfiles/en';
import {
  commonDirection,
  normalize,
  principalDirections,
  removeDirection,
  centroidSimilarity,
  SemanticSpace,
  softMatch,
} from '../../../../knowledge/matcher/semantic/semantic';
import { quantiseRow, WordVectors } from '../../../../knowledge/matcher/semantic/wordVectors';

/**
 * A toy table: a shared "common" axis (every word has some of it, as in GloVe) plus topic
 * axes: delivery (arrive, deliver, shipping), money (cash, money, withdraw), card.
 */
const toy = WordVectors.fromFloats([
  ['the', [1, 0, 0, 0]],
  ['my', [1, 0.1, 0.1, 0]],
  ['card', [0.5, 0, 0, 1]],
  ['arrive', [0.5, 1, 0, 0]],
  ['deliver', [0.5, 0.9, 0.1, 0]],
  ['delivered', [0.5, 0.95, 0, 0.05]],
  ['cash', [0.5, 0, 1, 0]],
  ['money', [0.5, 0.05, 0.95, 0]],
  ['withdraw', [0.5, 0.1, 0.9, 0.1]],
]);
const settings = { sifSmoothing: 1e-3, commonWords: 2, maxEntryWords: 32 };
const pipeline = new TextPipeline(en, { maxChars: 1000, maxTokens: 64, ngramSizes: [3] });
const tokens = (text: string) => pipeline.analyze(text);

describe('word vectors', () => {
  it('quantises a row to int8 with a scale that restores the unit vector', () => {
    const into = new Int8Array(3);
    const scale = quantiseRow([3, 0, -4], into, 0);
    expect(Array.from(into, (q) => q * scale)).toEqual([
      expect.closeTo(0.6, 2),
      0,
      expect.closeTo(-0.8, 2),
    ]);
    expect(quantiseRow([0, 0, 0], into, 0)).toBe(0);
  });

  it('looks words up by row and takes dot products close to the float cosines', () => {
    expect(toy.row('cash')).toBe(6);
    expect(toy.row('unknown')).toBe(-1);
    const v = new Float32Array(4);
    toy.addRow(toy.row('cash'), 1, v);
    expect(toy.dotRow(toy.row('cash'), v, 0)).toBeCloseTo(1, 2);
    expect(toy.dotRow(toy.row('arrive'), v, 0)).toBeCloseTo(0.2, 2);
  });
});

describe('vector helpers', () => {
  it('normalises in place and leaves a zero vector alone', () => {
    expect(Array.from(normalize(Float32Array.from([3, 4])))).toEqual([
      expect.closeTo(0.6),
      expect.closeTo(0.8),
    ]);
    expect(Array.from(normalize(new Float32Array(2)))).toEqual([0, 0]);
  });

  it('removes the projection on a direction', () => {
    const v = Float32Array.from([2, 3]);
    removeDirection(v, Float32Array.from([1, 0]));
    expect(Array.from(v)).toEqual([0, 3]);
  });

  it('finds the direction shared by the most frequent words', () => {
    const common = commonDirection(toy, 2, () => 1);
    expect(common[0]).toBeGreaterThan(0.99);
  });

  it('finds the principal directions beside the mean: unit, orthogonal, largest spread first', () => {
    // Spread along axis 1 (±3) is larger than along axis 2 (±1); axis 0 is the shared part.
    const table = WordVectors.fromFloats([
      ['a', [1, 3, 1, 0]],
      ['b', [1, -3, -1, 0]],
      ['c', [1, 3, -1, 0]],
      ['d', [1, -3, 1, 0]],
    ]);
    const mean = Float32Array.from([1, 0, 0, 0]);
    const [first, second, ...rest] = principalDirections(table, 4, () => 1, mean, 2);
    expect(rest).toEqual([]);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
    expect(Math.abs(first?.[1] ?? 0)).toBeGreaterThan(0.99);
    expect(Math.abs(second?.[2] ?? 0)).toBeGreaterThan(0.99);
    for (const direction of [first, second] as Float32Array[]) {
      expect(dot(direction, direction)).toBeCloseTo(1, 4);
      expect(dot(direction, mean)).toBeCloseTo(0, 4);
    }
    expect(dot(first as Float32Array, second as Float32Array)).toBeCloseTo(0, 4);
    expect(principalDirections(table, 4, () => 1, mean, 0)).toEqual([]);
  });
});

describe('SemanticSpace', () => {
  const space = new SemanticSpace(toy, settings);

  it('removes the common direction only by default, more components on request', () => {
    expect(space.directions).toHaveLength(1);
    const wider = new SemanticSpace(toy, { ...settings, commonWords: 9, commonComponents: 3 });
    expect(wider.directions).toHaveLength(3);
    // A word's length without the removed directions shrinks as more are removed.
    const row = toy.row('card');
    expect(wider.residualOf(row)).toBeLessThanOrEqual(space.residualOf(row) + 1e-6);
    expect(space.residualOf(row)).toBeLessThan(1);
    // Sentence vectors stay unit length and orthogonal to every removed direction.
    const sentence = wider.sentence([toy.row('card'), toy.row('cash')]);
    for (const direction of wider.directions) {
      expect(sentence.reduce((s, x, i) => s + x * (direction[i] ?? 0), 0)).toBeCloseTo(0, 4);
    }
  });

  it('damps frequent words (SIF weight grows with the rank)', () => {
    expect(space.sifWeight(0)).toBeLessThan(space.sifWeight(5));
    expect(space.sifWeight(5)).toBeLessThan(1);
  });

  it('gives paraphrases without a shared word a higher score than other topics', () => {
    const delivery = space.embedEntry([tokens('my card was delivered'), tokens('deliver card')]);
    const cash = space.embedEntry([tokens('withdraw cash'), tokens('my money')]);
    const query = space.embedQuery(tokens('when does it arrive'), () => 1);
    expect(centroidSimilarity(space, query, delivery)).toBeGreaterThan(
      centroidSimilarity(space, query, cash),
    );
    expect(softMatch(space, query, delivery.words)).toBeGreaterThan(0.8);
    expect(softMatch(space, query, cash.words)).toBeLessThan(0.5);
  });

  it('credits a word the entry has in full, and ignores stop and unknown words', () => {
    const entry = space.embedEntry([tokens('cash card')]);
    const query = space.embedQuery(tokens('the cash zzzz'), () => 1);
    expect(Array.from(query.rows)).toEqual([toy.row('cash')]);
    expect(softMatch(space, query, entry.words)).toBeCloseTo(1);
  });

  it('keeps the words most phrasings use when an entry has too many', () => {
    const narrow = new SemanticSpace(toy, { ...settings, maxEntryWords: 1 });
    const entry = narrow.embedEntry([tokens('cash card'), tokens('cash money'), tokens('cash')]);
    expect(Array.from(entry.words)).toEqual([toy.row('cash')]);
  });

  it('scores 0 when nothing is known', () => {
    const entry = space.embedEntry([tokens('zzzz')]);
    const query = space.embedQuery(tokens('qqqq'), () => 1);
    expect(centroidSimilarity(space, query, entry)).toBe(0);
    expect(softMatch(space, query, entry.words)).toBe(0);
  });
});
