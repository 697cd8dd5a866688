import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKbJson, parseQueriesJsonl } from '../../../knowledge/eval/evalFiles';
import {
  evaluateMatcher,
  metricsOf,
  runQueries,
  type EvalMetrics,
  type EvalQuery,
} from '../../../knowledge/eval/evaluate';
import type { FaqEntry } from '../../../knowledge/types';

/**
 * Golden set: the production matcher at its default settings on the dev splits copied into
 * tests/fixtures/eval (attributions in its README). Floors sit a little below the measured
 * values so a scoring regression fails CI. Each set is also scored on its two interleaved
 * halves: the defaults were tuned on the whole dev set, and similar numbers on both halves
 * are a cheap check that they did not fit the noise of one half.
 */
const fixtures = join(__dirname, '..', '..', 'fixtures', 'eval');

function load(set: string): { kb: FaqEntry[]; queries: EvalQuery[] } {
  const dir = join(fixtures, set);
  return {
    kb: parseKbJson(readFileSync(join(dir, 'kb.json'), 'utf8'), `${set}/kb.json`),
    queries: parseQueriesJsonl(
      readFileSync(join(dir, 'queries.jsonl'), 'utf8'),
      `${set}/queries.jsonl`,
    ),
  };
}

interface Floors {
  top1: number;
  top3: number;
  answeredRight?: number;
  oosRecall?: number;
  maxWrong?: number;
}

// Each set encodes its phrasings and queries with the sentence encoder (~8 ms a sentence).
jest.setTimeout(180_000);

const FLOORS: Record<string, Floors> = {
  // Measured on 2026-11-23 (session 8: sentence encoder on, word vectors, discriminative):
  // top1 .814, top3 .934, answered right .662, wrong .037.
  banking77: { top1: 0.795, top3: 0.91, maxWrong: 0.05 },
  // top1 .823, top3 .943, OOS recall .701, wrong .126.
  'banking77-oos': { top1: 0.8, top3: 0.925, oosRecall: 0.67, maxWrong: 0.14 },
  // top1 .871, top3 .962, answered right .768, OOS recall .880, wrong .054.
  clinc150: {
    top1: 0.85,
    top3: 0.945,
    answeredRight: 0.745,
    oosRecall: 0.84,
    maxWrong: 0.07,
  },
  // top1 .809, top3 .925, wrong .039 (halves .792 / .826: 335 queries).
  hwu64: { top1: 0.785, top3: 0.905, maxWrong: 0.055 },
};

function expectFloors(metrics: EvalMetrics, floors: Floors, slack = 0): void {
  expect(metrics.top1Accuracy).toBeGreaterThanOrEqual(floors.top1 - slack);
  expect(metrics.top3Recall).toBeGreaterThanOrEqual(floors.top3 - slack);
  if (floors.answeredRight !== undefined)
    expect(metrics.inScopeAccuracy).toBeGreaterThanOrEqual(floors.answeredRight - slack);
  if (floors.oosRecall !== undefined)
    expect(metrics.oosRecall).toBeGreaterThanOrEqual(floors.oosRecall - slack);
  if (floors.maxWrong !== undefined)
    expect(metrics.wrongAnswerRate).toBeLessThanOrEqual(floors.maxWrong + slack);
}

const summary = (m: EvalMetrics): string =>
  `top1 ${m.top1Accuracy} top3 ${m.top3Recall} answered-right ${m.inScopeAccuracy} oos ${m.oosRecall} wrong ${m.wrongAnswerRate}`;

describe('golden dev sets', () => {
  it.each(Object.entries(FLOORS))(
    '%s stays above its floors, on the whole set and on both halves',
    async (set, floors) => {
      const { kb, queries } = load(set);
      const { outcomes } = await runQueries(kb, queries);
      const whole = metricsOf(outcomes);
      console.log(`${set}: ${summary(whole)}`);
      expectFloors(whole, floors);
      for (const parity of [0, 1]) {
        const half = metricsOf(outcomes.filter((_, i) => i % 2 === parity));
        console.log(`${set} half ${parity}: ${summary(half)}`);
        expectFloors(half, floors, 0.04);
      }
    },
  );

  it('telecom-ml, a 24-entry FAQ in four languages, stays above its floors per locale', async () => {
    const { kb, queries } = load('telecom-ml');
    const report = await evaluateMatcher(kb, queries);
    // Measured (24 queries per locale, 3 out of scope: one query is 4.2 points of top-1):
    // en top1 .714 top3 .952 answered-right .191 wrong 0; he .667 / .810 / .143 / 0;
    // ro .714 / .905 / .143 / .042; hu .524 / .619 / .191 / .042; OOS recall 1 everywhere.
    const floors: Record<string, Floors> = {
      en: { top1: 0.66, top3: 0.9, answeredRight: 0.14, oosRecall: 0.66, maxWrong: 0.05 },
      he: { top1: 0.61, top3: 0.76, answeredRight: 0.09, oosRecall: 0.66, maxWrong: 0.05 },
      ro: { top1: 0.66, top3: 0.85, answeredRight: 0.09, oosRecall: 0.66, maxWrong: 0.09 },
      hu: { top1: 0.47, top3: 0.57, answeredRight: 0.14, oosRecall: 0.66, maxWrong: 0.09 },
    };
    for (const [locale, floor] of Object.entries(floors)) {
      const metrics = report.perLocale[locale];
      expect(metrics).toBeDefined();
      console.log(`telecom-ml ${locale}: ${summary(metrics as EvalMetrics)}`);
      expectFloors(metrics as EvalMetrics, floor);
    }
  });

  it('keeps Hebrew, Romanian and Hungarian close to English on words and n-grams (sib200)', async () => {
    const { kb, queries } = load('sib200');
    // English without its word vectors and encoder: the same components every locale has.
    const lexical = await evaluateMatcher(kb, queries, {
      localeWordVectors: { en: 'none' },
      sentenceEncoder: false,
    });
    const withVectors = await evaluateMatcher(kb, queries);
    const top1 = (r: typeof lexical) =>
      Object.fromEntries(Object.entries(r.perLocale).map(([l, m]) => [l, m.top1Accuracy]));
    console.log(`sib200 words only: ${JSON.stringify(top1(lexical))}`);
    console.log(`sib200 defaults: ${JSON.stringify(top1(withVectors))}`);
    // Measured words only: en .403, he .403, ro .371, hu .387 (62 queries each: one is 1.6 points).
    const en = lexical.perLocale.en?.top1Accuracy ?? 0;
    expect(en).toBeGreaterThanOrEqual(0.37);
    for (const locale of ['he', 'ro', 'hu']) {
      const own = lexical.perLocale[locale]?.top1Accuracy ?? 0;
      expect(own).toBeGreaterThanOrEqual(0.8 * en);
      // English vectors never touch another locale's results.
      expect(withVectors.perLocale[locale]?.top1Accuracy).toBe(own);
    }
    // Measured with GloVe and the sentence encoder: en .806 (GloVe alone .645). They are what
    // lifts English topic matching; he/ro/hu have neither here (see DESIGN.md).
    expect(withVectors.perLocale.en?.top1Accuracy ?? 0).toBeGreaterThanOrEqual(0.78);
  });
});
