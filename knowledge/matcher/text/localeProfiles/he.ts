import { heb } from 'stopword';
import type { LocaleProfile } from '../localeProfile';

/**
 * Hebrew: no maintained stemmer exists on npm, so we remove niqqud (done by folding) and strip
 * the one-letter clitics ו ה ב ל מ ש כ, keeping at least three letters so that short words
 * such as "מה" or "של" survive. Up to two stack ("וה", "שב").
 */
export const he: LocaleProfile = Object.freeze({
  locale: 'he',
  stemmer: 'none',
  stemBeforeFolding: false,
  stopWords: heb,
  clitics: ['ו', 'ה', 'ב', 'ל', 'מ', 'ש', 'כ'],
  minLengthAfterClitic: 3,
  maxClitics: 2,
  suffixes: ['ים', 'ות'],
});
