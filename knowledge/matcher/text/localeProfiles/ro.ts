import { ron } from 'stopword';
import type { LocaleProfile } from '../localeProfile';

/** Romanian: Snowball stemmer on the accented word, then ș/ş ț/ţ ă â î are folded. */
export const ro: LocaleProfile = Object.freeze({
  locale: 'ro',
  stemmer: 'snowball:romanian',
  stemBeforeFolding: true,
  stopWords: ron,
  clitics: [],
  minLengthAfterClitic: 0,
  maxClitics: 0,
  suffixes: [],
});
