import { hun } from 'stopword';
import type { LocaleProfile } from '../localeProfile';

/** Hungarian: Snowball stemmer on the accented word, then ő ű á é … are folded. */
export const hu: LocaleProfile = Object.freeze({
  locale: 'hu',
  stemmer: 'snowball:hungarian',
  stemBeforeFolding: true,
  stopWords: hun,
  clitics: [],
  minLengthAfterClitic: 0,
  maxClitics: 0,
  suffixes: [],
});
