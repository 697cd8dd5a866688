import type { LocaleProfile } from './localeProfile';
import { charNgrams } from '../scoring/score';
import { resolveStemmer, type Stem } from './stemmers';

/** One word of a text after the locale pipeline. */
export interface AnalyzedToken {
  /** Lower-cased, diacritics folded, clitics kept: what fuzzy matching and n-grams see. */
  surface: string;
  /** Folded stem after clitic stripping and stemming: the lexical term. */
  stem: string;
  /** In the locale's stop-word list. */
  isStop: boolean;
  /** Character n-grams of `surface` (computed once per distinct word). */
  grams: readonly string[];
}

/** Bounds that keep the cost of one text fixed however long it is. */
export interface TextLimits {
  /** Characters kept from the start of the text. */
  maxChars: number;
  /** Tokens kept after tokenising. */
  maxTokens: number;
  /** Character n-gram sizes attached to each token. */
  ngramSizes: readonly number[];
}

// Letters, digits and combining marks (marks stay inside a word so niqqud cannot split it).
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
const APOSTROPHES = /[\u0027\u2019\u02bc]/g;
const MARKS = /\p{M}/gu;
// Romanian is often typed with cedillas (ş ţ) instead of the correct commas below (ș ț).
const CEDILLA_TO_COMMA: Readonly<Record<string, string>> = { ş: 'ș', ţ: 'ț' };
const CEDILLAS = /[şţ]/;

/** Lower-cases, decomposes and drops every combining mark: diacritics and Hebrew niqqud. */
export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(MARKS, '').normalize('NFC');
}

/** Splits into words (Unicode letters and digits); "don't" stays one word ("dont"). */
export function tokenize(
  text: string,
  limits: Pick<TextLimits, 'maxChars' | 'maxTokens'>,
): string[] {
  const cut = text.slice(0, limits.maxChars).toLowerCase().replace(APOSTROPHES, '');
  const words: string[] = [];
  const normalized = cut.normalize('NFC');
  const cedillas = CEDILLAS.test(normalized); // rare: skip the per-word replace otherwise
  for (const match of normalized.matchAll(WORD)) {
    words.push(cedillas ? match[0].replace(/[şţ]/g, (c) => CEDILLA_TO_COMMA[c] ?? c) : match[0]);
    if (words.length >= limits.maxTokens) break;
  }
  return words;
}

/** Removes up to `maxClitics` leading one-letter clitics, keeping short words whole. */
export function stripClitics(word: string, profile: LocaleProfile): string {
  let rest = word;
  for (let stripped = 0; stripped < profile.maxClitics; stripped += 1) {
    const first = rest[0];
    if (first === undefined || !profile.clitics.includes(first)) break;
    if (rest.length - 1 < profile.minLengthAfterClitic) break;
    rest = rest.slice(1);
  }
  return rest;
}

/** Removes the longest matching suffix of the profile, keeping short words whole. */
export function stripSuffix(word: string, profile: LocaleProfile): string {
  let best = '';
  for (const suffix of profile.suffixes) {
    if (suffix.length > best.length && word.endsWith(suffix)) best = suffix;
  }
  if (best === '' || word.length - best.length < profile.minLengthAfterClitic) return word;
  return word.slice(0, -best.length);
}

/** The per-locale text pipeline: fold, tokenise, mark stop words, strip clitics, stem. */
export class TextPipeline {
  private readonly stem: Stem;
  private readonly stopWords: ReadonlySet<string>;
  // Stemming dominates the cost; words repeat, so memoise (bounded, cleared when full).
  private readonly cache = new Map<string, AnalyzedToken>();

  constructor(
    readonly profile: LocaleProfile,
    private readonly limits: TextLimits,
  ) {
    this.stem = resolveStemmer(profile.stemmer);
    const stops = profile.stopWords.map((w) => w.toLowerCase());
    this.stopWords = new Set([...stops, ...stops.map(foldDiacritics)]);
  }

  /** Tokens of `text`; empty for empty, whitespace-only or emoji-only text. */
  analyze(text: string): AnalyzedToken[] {
    return tokenize(text, this.limits).map((word) => this.analyzeWord(word));
  }

  private analyzeWord(word: string): AnalyzedToken {
    const cached = this.cache.get(word);
    if (cached) return cached;
    const surface = foldDiacritics(word);
    const isStop = this.stopWords.has(word) || this.stopWords.has(surface);
    const stem = this.profile.stemBeforeFolding
      ? foldDiacritics(this.stem(stripClitics(word, this.profile)))
      : this.stem(stripSuffix(stripClitics(surface, this.profile), this.profile));
    const grams = charNgrams(surface, this.limits.ngramSizes);
    const token: AnalyzedToken = { surface, stem: stem || surface, isStop, grams };
    if (this.cache.size >= 50_000) this.cache.clear();
    this.cache.set(word, token);
    return token;
  }
}
