import { eng } from 'stopword';
import type { LocaleProfile } from '../localeProfile';

/** English: natural's Porter stemmer, the stopword package's English list. */
export const en: LocaleProfile = Object.freeze({
  locale: 'en',
  stemmer: 'porter',
  stemBeforeFolding: false,
  stopWords: eng,
  clitics: [],
  minLengthAfterClitic: 0,
  maxClitics: 0,
  suffixes: [],
});
