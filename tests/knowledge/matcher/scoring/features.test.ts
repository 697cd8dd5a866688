import fc from 'fast-check';
import {
  ngramSimilarities,
  ngramSimilarity,
  phraseSimilarity,
  queryGramVector,
  queryVector,
  topMean,
} from '../../../../knowledge/matcher/scoring/features';
import { LocaleIndex, type IndexedEntry } from '../../../../knowledge/matcher/index/localeIndex';
import { matcherDefaults } from '../../../../knowledge/matcher/matcherDefaults';
import { en } from '../../../../knowledge/matcher/text/localeProfiles/en';
import { TextPipeline } from '../../../../knowledge/matcher/text/normalize';
import { analyzeQuery } from '../../../../knowledge/matcher/scoring/queryAnalysis';
import { cosine, idf, norm } from '../../../../knowledge/matcher/scoring/score';
import { gramsOf, termsOf } from '../../../../knowledge/matcher/index/termFeatures';
import type { FaqEntry } from '../../../../knowledge/types';

// The hot-path versions (scratch buffers, dense lookups, no Maps) must give the very same
// floats as the straightforward formulas they replace: `toBe`, not `toBeCloseTo`.

const pipeline = new TextPipeline(en, { maxChars: 1000, maxTokens: 64, ngramSizes: [3, 4] });
const settings = {
  ...matcherDefaults,
  stopWordWeight: 0.6,
  bigramWeight: 0.5,
  typoMinLength: 4,
  typoWeight: 0.8,
};
const WORDS = ['card', 'cards', 'lost', 'my', 'the', 'pin', 'reset', 'how', 'do', 'i', 'top', 'up'];

const phrase = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 });
const entryArb = fc.array(phrase, { minLength: 1, maxLength: 6 });

function indexOf(entries: string[][][]): LocaleIndex {
  const index = new LocaleIndex(settings);
  entries.forEach((phrasings, i) => {
    const texts = phrasings.map((words) => words.join(' '));
    const entry: FaqEntry = {
      id: `e${i}`,
      locale: 'en',
      question: texts[0] ?? '',
      alternates: texts.slice(1),
      answer: 'a',
      tags: [],
      followUps: [],
      enabled: true,
    };
    index.add(
      entry.id,
      entry,
      texts.map((t) => pipeline.analyze(t)),
    );
  });
  return index;
}

/** The sort-based definition topMean replaced. */
const referenceTopMean = (values: number[], k: number): number => {
  if (values.length === 0 || k <= 0) return 0;
  const top = [...values].sort((a, b) => b - a).slice(0, k);
  return top.reduce((sum, v) => sum + v, 0) / top.length;
};

describe('hot-path features equal their reference formulas bit for bit', () => {
  it('topMean equals sort, slice and sum', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true })), fc.nat(6), (v, k) => {
        expect(topMean(v, k)).toBe(referenceTopMean(v, k));
        expect(topMean([...v, 5, 5], k, v.length)).toBe(referenceTopMean(v, k));
      }),
    );
  });

  it('phraseSimilarity equals cosine over termsOf Maps, with a stable order of phrasings', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { minLength: 1, maxLength: 5 }), phrase, (entries, q) => {
        const index = indexOf(entries);
        const analysis = analyzeQuery(pipeline.analyze(q.join(' ')), [], index, settings);
        const vector = queryVector(analysis, index);
        const idfOf = (term: string): number => idf(index.frequency(term), index.size);
        for (const indexed of index.entries.values()) {
          const expected = indexed.phrasings
            .map((phrasing) => {
              const weighted = new Map<string, number>();
              for (const [term, weight] of termsOf(phrasing.tokens, settings)) {
                weighted.set(term, weight * idfOf(term));
              }
              return {
                phrasing,
                similarity: cosine(vector, norm(vector), weighted, norm(weighted)),
              };
            })
            .sort((a, b) => b.similarity - a.similarity);
          const match = phraseSimilarity(vector, norm(vector), indexed, idfOf, 3, settings);
          expect(match.score).toBe(expected[0]?.similarity ?? 0);
          expect(match.knn).toBe(
            referenceTopMean(
              expected.map((e) => e.similarity),
              3,
            ),
          );
          expect(match.top).toEqual(expected.slice(0, 3).map((e) => e.phrasing));
        }
      }),
    );
  });

  it('ngramSimilarities equals the sorted merge with idf per n-gram, and leaves no state', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { minLength: 1, maxLength: 5 }), phrase, (entries, q) => {
        const index = indexOf(entries);
        const grams = gramsOf(pipeline.analyze(q.join(' ')));
        const query = queryGramVector(grams, index);
        const reference = (indexed: IndexedEntry): { score: number; knn: number } => {
          if (query.norm === 0) return { score: 0, knn: 0 };
          const sims = indexed.phrasings.map((phrasing) => {
            const ids = phrasing.gramIds;
            let dot = 0;
            for (let i = 0, j = 0; i < ids.length && j < query.ids.length;) {
              const a = ids[i] as number;
              const b = query.ids[j] as number;
              if (a < b) i += 1;
              else if (a > b) j += 1;
              else {
                dot += idf(index.gramFrequency[a] ?? 0, index.size) * (query.weights[j] ?? 0);
                i += 1;
              }
            }
            const n = index.gramNorm(phrasing);
            return n > 0 ? Math.min(1, dot / (query.norm * n)) : 0;
          });
          return { score: Math.max(0, ...sims), knn: referenceTopMean(sims, 3) };
        };
        const entriesList = [...index.entries.values()];
        expect(ngramSimilarities(query, entriesList, index, 3)).toEqual(entriesList.map(reference));
        // The dense lookup is cleared: an unrelated query afterwards is unaffected.
        const other = queryGramVector(gramsOf(pipeline.analyze('zzz')), index);
        for (const indexed of entriesList) {
          expect(ngramSimilarity(other, indexed, index, 3).score).toBe(0);
        }
      }),
    );
  });
});
