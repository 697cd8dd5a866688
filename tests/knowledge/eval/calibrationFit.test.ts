import { readFileSync } from 'node:fs';
import {
  calibrationFeatures,
  fitCalibration,
  fitInputsHash,
  replay,
  smallKbSets,
  stableJson,
  type CalibrationSample,
  type FitSettings,
} from '../../../knowledge/eval/calibrationFit';
import { matcherDefaults } from '../../../knowledge/matcher/matcherDefaults';
import type { FaqEntry, MatchResult } from '../../../knowledge';
import { calibrationFile, dataFiles, fitSettings } from '../../../scripts/fitCalibration';

interface StoredFit {
  inputsHash: string;
  settings: FitSettings;
  calibrations: { calibration: { bias: number; coefficients: Record<string, number> } };
}

const stored = JSON.parse(readFileSync(calibrationFile, 'utf8')) as StoredFit;

describe('the committed calibration fit', () => {
  it('was fitted on the current dev data, fit settings and matcher options (else: npm run fit:calibration)', () => {
    expect(stableJson(stored.settings)).toBe(stableJson(fitSettings));
    expect(fitInputsHash(dataFiles(), stored.settings, matcherDefaults)).toBe(stored.inputsHash);
  });

  it('is the calibration the matcher uses', () => {
    expect(matcherDefaults.calibration).toEqual(stored.calibrations.calibration);
  });

  it('changes its hash when a weight changes', () => {
    const changed = {
      ...matcherDefaults,
      weights: { ...matcherDefaults.weights, ngram: matcherDefaults.weights.ngram + 1 },
    };
    expect(fitInputsHash(dataFiles(), stored.settings, changed)).not.toBe(stored.inputsHash);
  });
});

describe('fitCalibration', () => {
  // Two sets; in each, a query's top candidate is right exactly when its margin is above 0.5.
  const samples: CalibrationSample[] = [];
  for (const set of ['a', 'b']) {
    for (let i = 0; i < 200; i += 1) {
      const margin = (i % 100) / 100;
      samples.push({ set, features: { margin, score: 1 }, right: margin > 0.5, wordless: false });
    }
  }

  it('learns that a larger lead means a right answer, and separates the two', () => {
    const fit = fitCalibration(samples, ['margin'], { l2: 1e-4, iterations: 25, biasMargin: 0 });
    expect(fit.coefficients.margin).toBeGreaterThan(5);
    const at = replay(samples, fit, 0.6, 0.45);
    expect(at.answeredRight / at.queries).toBeGreaterThan(0.4);
    expect(at.wrong / at.queries).toBeLessThan(0.05);
  });

  it('lowers the bias by the margin asked for', () => {
    const plain = fitCalibration(samples, ['margin'], { l2: 1e-3, iterations: 10, biasMargin: 0 });
    const lower = fitCalibration(samples, ['margin'], {
      l2: 1e-3,
      iterations: 10,
      biasMargin: 0.2,
    });
    expect(lower.bias).toBeCloseTo(plain.bias - 0.2, 3);
  });

  it('caps a candidate found by meaning alone when replaying', () => {
    const only: CalibrationSample[] = [
      { set: 'a', features: { margin: 1 }, right: true, wordless: true },
    ];
    const fit = { bias: 5, coefficients: {} };
    expect(replay(only, fit, 0.6, 0.45).answeredRight).toBe(0);
  });
});

describe('smallKbSets', () => {
  const kb: FaqEntry[] = Array.from({ length: 40 }, (_, i) => ({
    id: `e${i}`,
    locale: 'en',
    question: `question ${i}`,
    alternates: [`one ${i}`, `two ${i}`, `three ${i}`],
    answer: '',
    tags: [],
    followUps: [],
    enabled: true,
  }));
  const queries = kb.flatMap((e) => [
    { q: `ask ${e.id}`, expected: e.id, locale: 'en' },
    { q: `again ${e.id}`, expected: e.id, locale: 'en' },
  ]);
  const settings = { perSet: 2, entries: 10, phrasings: 3, outOfScopeShare: 0.5 };

  it('draws small FAQs with few phrasings, their queries and others as out of scope, the same for a seed', () => {
    const sets = smallKbSets({ name: 'x', kb, queries }, settings, 7);
    expect(sets.map((s) => s.name)).toEqual(['x/small1', 'x/small2']);
    for (const set of sets) {
      expect(set.kb).toHaveLength(10);
      expect(set.kb.every((e) => e.alternates.length === 2)).toBe(true);
      const ids = new Set(set.kb.map((e) => e.id));
      const inScope = set.queries.filter((q) => q.expected !== null);
      expect(inScope).toHaveLength(20);
      expect(inScope.every((q) => ids.has(q.expected ?? ''))).toBe(true);
      expect(set.queries.filter((q) => q.expected === null)).toHaveLength(10);
    }
    expect(smallKbSets({ name: 'x', kb, queries }, settings, 7)).toEqual(sets);
    expect(smallKbSets({ name: 'x', kb, queries }, settings, 8)).not.toEqual(sets);
  });
});

describe('calibrationFeatures', () => {
  it('reads the lead over the runner-up and the log of the entry count', () => {
    const candidate = (id: string, combined: number) => ({
      id,
      locale: 'en',
      question: id,
      answer: '',
      confidence: 0.5,
      matchedPhrasing: id,
      scores: { fuzzy: 0, lexical: 0.5, combined },
      synonymsApplied: [],
    });
    const result: MatchResult = {
      query: 'q',
      locale: 'en',
      band: 'clarify',
      candidates: [candidate('a', 3), candidate('b', 1)],
    };
    const features = calibrationFeatures(result, 24, matcherDefaults);
    expect(features).toMatchObject({ score: 3, margin: 2, lexical: 0.5 });
    expect(features?.logEntries).toBeCloseTo(Math.log(24), 6);
    // Below the smallest fitted FAQ size the feature stays at its floor.
    expect(calibrationFeatures(result, 2, matcherDefaults)?.logEntries).toBeCloseTo(
      Math.log(24),
      6,
    );
    expect(calibrationFeatures(result, 1500, matcherDefaults)?.logEntries).toBeCloseTo(
      Math.log(1500),
      6,
    );
    expect(calibrationFeatures({ ...result, candidates: [] }, 24, matcherDefaults)).toBeUndefined();
  });
});
