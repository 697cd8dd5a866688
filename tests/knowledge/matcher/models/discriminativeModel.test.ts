import {
  DiscriminativeModel,
  MIN_POSTERIOR_POPULATION,
  featureVector,
  linearScore,
  slotOf,
  sparseSoftmax,
} from '../../../../knowledge/matcher/models/discriminativeModel';
import { LocaleIndex } from '../../../../knowledge/matcher/index/localeIndex';
import { matcherDefaults } from '../../../../knowledge/matcher/matcherDefaults';
import { termsOf } from '../../../../knowledge/matcher/index/termFeatures';
import { add, entry, pipeline } from '../indexFixtures';

const termsOfText = (text: string): Map<string, number> =>
  termsOf(pipeline.analyze(text), matcherDefaults);

/** Two entries that share "card" and differ in "arrive" vs "deliver". */
function cardIndex(): LocaleIndex {
  const index = new LocaleIndex(matcherDefaults);
  add(
    index,
    entry('arrival', 'my card has not arrived', ['card still not arrived', 'card arrival']),
  );
  add(
    index,
    entry('estimate', 'when will my card be delivered', ['card delivery time', 'deliver card']),
  );
  add(index, entry('pin', 'reset my pin', ['forgot pin', 'change pin']));
  return index;
}

describe('featureVector', () => {
  it('scales the weighted terms to unit length', () => {
    const x = featureVector(
      new Map([
        ['a', 3],
        ['b', 4],
      ]),
    );
    expect(x.map(([term]) => term)).toEqual(['a', 'b']);
    expect(x[0]?.[1]).toBeCloseTo(0.6);
    expect(x[1]?.[1]).toBeCloseTo(0.8);
  });
  it('is empty for no terms or zero weights', () => {
    expect(featureVector(new Map())).toEqual([]);
    expect(featureVector(new Map([['a', 0]]))).toEqual([]);
  });
});

describe('linearScore', () => {
  it('sums weight × value over known terms only', () => {
    const weights = new Map([
      ['a', 2],
      ['b', -1],
    ]);
    expect(
      linearScore(weights, [
        ['a', 0.5],
        ['c', 9],
      ]),
    ).toBeCloseTo(1);
    expect(linearScore(weights, [])).toBe(0);
  });
});

describe('sparseSoftmax', () => {
  it('counts the unscored classes with score 0 in the normaliser', () => {
    const p = sparseSoftmax([Math.log(2)], 2); // 2 / (2 + 1 + 1)
    expect(p[0]).toBeCloseTo(0.5);
    const [a, b] = sparseSoftmax([0, 0], 0);
    expect(a).toBeCloseTo(0.5);
    expect(b).toBeCloseTo(0.5);
  });
  it('stays finite for large scores', () => {
    const p = sparseSoftmax([1000, 999], 5);
    expect(p.every(Number.isFinite)).toBe(true);
    expect((p[0] ?? 0) + (p[1] ?? 0)).toBeCloseTo(1);
  });
  it('gives an empty list for no scores', () => {
    expect(sparseSoftmax([], 3)).toEqual([]);
  });
});

describe('DiscriminativeModel', () => {
  it('learns the words that tell neighbours apart', () => {
    const index = cardIndex();
    const model = index.discriminative();
    const arrival = index.entries.get('arrival')!;
    const estimate = index.entries.get('estimate')!;
    expect(model.weightOf(arrival, 'arriv')).toBeGreaterThan(model.weightOf(arrival, 'card'));
    expect(model.weightOf(estimate, 'deliv')).toBeGreaterThan(0);
    expect(model.weightOf(arrival, 'deliv')).toBe(0); // not in its phrasings: no weight
    const [pArrival, pEstimate] = model.posteriors(
      termsOfText('card not arrived yet'),
      [arrival, estimate],
      index.size,
    );
    expect(pArrival).toBeGreaterThan(pEstimate ?? 1);
  });

  it('is deterministic', () => {
    const a = cardIndex();
    const b = cardIndex();
    const query = termsOfText('when is my card delivered');
    const pa = a.discriminative().posteriors(query, [...a.entries.values()], a.size);
    const pb = b.discriminative().posteriors(query, [...b.entries.values()], b.size);
    expect(pa).toEqual(pb);
  });

  it('updates one entry on add and drops it on remove, without a refit', () => {
    const index = cardIndex();
    const model = index.discriminative();
    const fitSpy = jest.spyOn(model, 'fit');
    add(index, entry('freeze', 'freeze my card', ['block card', 'lock my card']));
    const freeze = index.entries.get('freeze')!;
    expect(model.size).toBe(4);
    expect(model.weightOf(freeze, 'freez')).toBeGreaterThan(0);
    const [pFreeze] = model.posteriors(
      termsOfText('please freeze the card'),
      [freeze, index.entries.get('arrival')!],
      index.size,
    );
    expect(pFreeze).toBeGreaterThan(0.5);
    index.remove('freeze');
    expect(model.size).toBe(3);
    expect(model.weightOf(freeze, 'freez')).toBe(0);
    expect(fitSpy).not.toHaveBeenCalled();
  });

  it('gives a lone candidate a low posterior when only stop words are shared', () => {
    const index = cardIndex();
    const model = index.discriminative();
    const [p] = model.posteriors(termsOfText('the of my'), [index.entries.get('pin')!], 100);
    expect(p).toBeLessThan(0.2);
  });

  it('scores an untrained or unrelated candidate 0 before the softmax', () => {
    const model = new DiscriminativeModel(matcherDefaults);
    const index = cardIndex();
    const candidates = [...index.entries.values()];
    const population = MIN_POSTERIOR_POPULATION + 2;
    const p = model.posteriors(termsOfText('card'), candidates, population);
    for (const value of p) expect(value).toBeCloseTo(1 / population);
  });

  it('normalises a tiny locale as if it had MIN_POSTERIOR_POPULATION entries', () => {
    const model = new DiscriminativeModel(matcherDefaults);
    const index = cardIndex();
    const candidates = [...index.entries.values()];
    // Three entries: an uninformed posterior is 1/10, not 1/3.
    const p = model.posteriors(termsOfText('card'), candidates, candidates.length);
    for (const value of p) expect(value).toBeCloseTo(1 / MIN_POSTERIOR_POPULATION);
  });
});

describe('DiscriminativeModel size guard', () => {
  it('does not fit a large locale without discriminativeBackground', () => {
    const index = new LocaleIndex({
      ...matcherDefaults,
      discriminativeMaxPhrasings: 4,
      discriminativeBackground: false,
    });
    add(index, entry('arrival', 'my card has not arrived', ['card still not arrived']));
    add(index, entry('pin', 'reset my pin', ['forgot pin', 'change pin']));
    const model = index.discriminative();
    expect(model.isActive).toBe(false);
    expect(model.size).toBe(0);
    expect(model.posteriors(termsOfText('forgot my pin'), [...index.entries.values()], 2)).toEqual([
      0, 0,
    ]);
  });
});

describe('DiscriminativeModel background fit', () => {
  const large = {
    ...matcherDefaults,
    discriminativeMaxPhrasings: 4,
    discriminativeSliceMs: 1,
    discriminativeBackground: true,
  };
  const query = termsOfText('when is my card delivered');
  const cardIndexWith = (settings: typeof large): LocaleIndex => {
    const index = new LocaleIndex(settings);
    for (const e of cardIndex().entries.values()) add(index, e.entry);
    return index;
  };

  it('does not score until fitted, then gives the same model as a fit at once', async () => {
    const index = cardIndexWith(large);
    const model = index.discriminative();
    expect(model.isActive).toBe(false);
    expect(model.posteriors(query, [...index.entries.values()], index.size)).toEqual([0, 0, 0]);
    await index.discriminativeReady();
    expect(model.isActive).toBe(true);
    const now = cardIndex();
    expect(model.posteriors(query, [...index.entries.values()], index.size)).toEqual(
      now.discriminative().posteriors(query, [...now.entries.values()], now.size),
    );
  });

  it('learns entries added during the fit and skips those removed', async () => {
    const index = cardIndexWith(large);
    const model = index.discriminative();
    add(index, entry('freeze', 'freeze my card', ['block card', 'lock my card']));
    index.remove('pin');
    await index.discriminativeReady();
    expect(model.isActive).toBe(true);
    expect(model.size).toBe(3);
    expect(model.weightOf(index.entries.get('freeze')!, 'freez')).toBeGreaterThan(0);
  });

  it('stops when the index is disposed', async () => {
    const index = cardIndexWith(large);
    const model = index.discriminative();
    index.dispose();
    await index.discriminativeReady();
    expect(model.isActive).toBe(false);
    expect(model.size).toBe(0);
  });

  it('ends a stale fit when another starts', async () => {
    const index = cardIndexWith(large);
    const model = index.discriminative();
    const first = index.discriminativeReady();
    const second = index.fitDiscriminative();
    await Promise.all([first, second]);
    expect(model.isActive).toBe(true);
    expect(model.size).toBe(3);
  });
});

describe('DiscriminativeModel refit after live edits', () => {
  const query = termsOfText('when is my card delivered');
  const freeze = entry('freeze', 'freeze my card', ['block card', 'lock my card']);
  const posteriorsOf = (index: LocaleIndex): number[] =>
    index.discriminative().posteriors(query, [...index.entries.values()], index.size);

  it('drifts under live edits, and a refit gives what a fresh fit of the same entries gives', async () => {
    const index = cardIndex();
    index.discriminative();
    // Each edit trains the edited entry and pushes its rivals away once more.
    for (let i = 0; i < 5; i += 1) {
      add(
        index,
        entry('arrival', 'my card has not arrived', ['card still not arrived', `late card ${i}`]),
      );
    }
    add(index, freeze);
    add(
      index,
      entry('arrival', 'my card has not arrived', ['card still not arrived', 'late card']),
    );
    const fresh = new LocaleIndex(matcherDefaults);
    for (const e of index.entries.values()) add(fresh, e.entry);
    expect(posteriorsOf(index)).not.toEqual(posteriorsOf(fresh));

    const before = index.discriminative();
    const refit = index.refitDiscriminative();
    // The current model keeps scoring while the new one is fitted in the background.
    expect(index.discriminative()).toBe(before);
    expect(before.isActive).toBe(true);
    await refit;
    expect(index.discriminative()).not.toBe(before);
    expect(posteriorsOf(index)).toEqual(posteriorsOf(fresh));
  });

  it('does not depend on the order entries were added in', () => {
    const forward = cardIndex();
    const backward = new LocaleIndex(matcherDefaults);
    for (const e of [...cardIndex().entries.values()].reverse()) add(backward, e.entry);
    const byId = (index: LocaleIndex): number[] =>
      ['arrival', 'estimate', 'pin'].flatMap((id) =>
        index.discriminative().posteriors(query, [index.entries.get(id)!], index.size),
      );
    expect(byId(backward)).toEqual(byId(forward));
  });

  it('starts over when the index changes during the refit', async () => {
    const index = cardIndex();
    index.discriminative();
    add(index, freeze);
    const refit = index.refitDiscriminative();
    index.remove('pin');
    await refit;
    const fresh = new LocaleIndex(matcherDefaults);
    for (const e of index.entries.values()) add(fresh, e.entry);
    expect(index.discriminative().size).toBe(3);
    expect(posteriorsOf(index)).toEqual(posteriorsOf(fresh));
  });

  it('is abandoned when the index is disposed or fitted in full meanwhile', async () => {
    const disposed = cardIndex();
    const model = disposed.discriminative();
    const refit = disposed.refitDiscriminative();
    disposed.dispose();
    await refit;
    expect(disposed.discriminative()).toBe(model);
    expect(model.isActive).toBe(false);

    const refitted = cardIndex();
    const current = refitted.discriminative();
    const pending = refitted.refitDiscriminative();
    await refitted.fitDiscriminative();
    await pending;
    expect(refitted.discriminative()).toBe(current);
  });
});

describe('slotOf', () => {
  it('finds ids in a sorted array and -1 otherwise', () => {
    const ids = Int32Array.from([1, 4, 9, 12]);
    expect(slotOf(ids, 9)).toBe(2);
    expect(slotOf(ids, 1)).toBe(0);
    expect(slotOf(ids, 5)).toBe(-1);
    expect(slotOf(new Int32Array(0), 1)).toBe(-1);
  });

  it('keeps the leaders posteriors when later candidates join outside the normaliser', () => {
    const index = cardIndex();
    const model = index.discriminative();
    const [arrival, estimate, pin] = ['arrival', 'estimate', 'pin'].map((id) =>
      index.entries.get(id)!,
    );
    const terms = termsOfText('card not arrived');
    const population = 50;
    const core = model.posteriors(terms, [arrival!, estimate!], population);
    const widened = model.posteriors(terms, [arrival!, estimate!, pin!], population, 2);
    expect(widened.slice(0, 2)).toEqual(core);
    // The joiner is scored as if it alone had joined the two.
    const alone = model.posteriors(terms, [arrival!, estimate!, pin!], population);
    expect(widened[2]).toBeCloseTo(alone[2]!, 10);
  });
});
