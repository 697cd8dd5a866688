import { LocaleIndex } from '../../../../knowledge/matcher/index/localeIndex';
import { matcherDefaults } from '../../../../knowledge/matcher/matcherDefaults';
import { editDistanceAtMostOne } from '../../../../knowledge/matcher/text/typoCorrector';
import { add, entry } from '../indexFixtures';

const settings = { ...matcherDefaults, stopWordWeight: 0.6, bigramWeight: 0.5, typoMinLength: 4 };

describe('LocaleIndex', () => {
  it('counts entry frequencies and shares at entry level', () => {
    const index = new LocaleIndex(settings);
    add(index, entry('a', 'lost card', ['card stolen', 'my card is gone']));
    add(index, entry('b', 'reset pin', ['new pin for my card']));
    expect(index.size).toBe(2);
    expect(index.frequency('card')).toBe(2);
    expect(index.frequency('pin')).toBe(1);
    expect(index.frequency('lost card')).toBe(1); // bigram
    expect(LocaleIndex.share(index.entries.get('a')!, 'card')).toBeCloseTo(1);
    expect(LocaleIndex.share(index.entries.get('b')!, 'card')).toBeCloseTo(0.5);
  });

  it('counts an n-gram once per entry, however many of its phrasings contain it', () => {
    const index = new LocaleIndex(settings);
    add(index, entry('a', 'card', ['card card', 'my card']));
    add(index, entry('b', 'cards', []));
    add(index, entry('c', 'pin', []));
    const id = index.gramId('car') as number;
    expect(index.gramFrequency[id]).toBe(2);
    index.remove('a');
    expect(index.gramFrequency[id]).toBe(1);
  });

  it('keeps every phrasing n-gram ids intact when replaced entries make it compact', () => {
    const index = new LocaleIndex(settings);
    add(index, entry('keep', 'lost card', ['card stolen', 'my card is gone']));
    const before = index.entries.get('keep')!.phrasings.map((p) => [...p.gramIds]);
    const firstBuffer = index.entries.get('keep')!.phrasings[0]!.gramIds.buffer;
    // Enough replaced ids to pass a 65,536-id chunk of garbage: compaction runs.
    for (let i = 0; i < 1500; i += 1) {
      add(index, entry('churn', 'how do i reset my pin code', ['new pin please', 'pin reset']));
    }
    const after = index.entries.get('keep')!.phrasings;
    expect(after.map((p) => [...p.gramIds])).toEqual(before);
    expect(after[0]!.gramIds.buffer).not.toBe(firstBuffer);
  });

  it('returns to an empty state after removing everything it added', () => {
    const index = new LocaleIndex(settings);
    add(index, entry('a', 'lost card', ['card stolen']));
    add(index, entry('b', 'reset pin', ['new pin']));
    add(index, entry('a', 'lost my card', ['card was stolen'])); // replace
    index.remove('a');
    index.remove('b');
    index.remove('never-added');
    expect(index.size).toBe(0);
    expect(index.postings.size).toBe(0);
    expect(index.collectionTotal).toBe(0);
    expect(index.frequency('card')).toBe(0);
    expect(index.frequency('lost card')).toBe(0);
    expect(index.gramFrequency.every((n) => n === 0)).toBe(true);
    expect(index.typos.has('card')).toBe(false);
  });
});

describe('editDistanceAtMostOne', () => {
  it.each([
    ['card', 'card', true],
    ['card', 'cart', true],
    ['card', 'crad', true],
    ['card', 'cards', true],
    ['card', 'car', true],
    ['tabl', 'talk', false],
    ['card', 'cold', false],
    ['', 'a', true],
    ['ab', 'ba', true],
  ])('%s ~ %s: %s', (a, b, expected) => {
    expect(editDistanceAtMostOne(a, b)).toBe(expected);
    expect(editDistanceAtMostOne(b, a)).toBe(expected);
  });
});
