import fs from 'node:fs';
import path from 'node:path';
// By path (see knowledge/naturalModules.d.ts): natural's index would add ~85 MB of RSS.
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import SentimentAnalyzer from 'natural/lib/natural/sentiment/SentimentAnalyzer';
import { foldDiacritics } from '../../knowledge';
import { localesDir } from './replies';

/** natural's sentiment lexicons by our locale; locales without one rely on the other signals. */
const sentimentLanguages: Readonly<Record<string, string>> = { en: 'English' };

const analyzers = new Map<string, SentimentAnalyzer>();

function sentimentOf(words: string[], locale: string): number | null {
  const language = sentimentLanguages[locale];
  if (!language || words.length < 3) return null;
  let analyzer = analyzers.get(locale);
  if (!analyzer) {
    analyzer = new SentimentAnalyzer(language, PorterStemmer, 'afinn');
    analyzers.set(locale, analyzer);
  }
  return analyzer.getSentiment(words);
}

export type FrustrationSignal =
  'negative_sentiment' | 'complaint' | 'shouting' | 'punctuation' | 'repetition';

/** Lower case, accents and niqqud removed, anything but letters and digits a single space. */
const fold = (text: string): string =>
  foldDiacritics(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

interface ComplaintsFile {
  prefixes: Record<string, string>;
  phrases: Record<string, string[]>;
}

let complaintPatterns: Map<string, RegExp> | undefined;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One pattern per locale from `bot/conversation/locales/complaints.json`: any phrase as whole words of the
 * folded text, each word after an optional one-letter prefix where the locale has them.
 */
function complaintPattern(locale: string): RegExp | undefined {
  if (!complaintPatterns) {
    const file = JSON.parse(
      fs.readFileSync(path.join(localesDir(), 'complaints.json'), 'utf8'),
    ) as ComplaintsFile;
    complaintPatterns = new Map();
    for (const [l, phrases] of Object.entries(file.phrases)) {
      const prefix = file.prefixes[l] ? `[${escape(file.prefixes[l])}]?` : '';
      const alternatives = phrases.map((phrase) =>
        fold(phrase)
          .split(' ')
          .map((word) => prefix + escape(word))
          .join(' '),
      );
      complaintPatterns.set(l, new RegExp(`(?:^| )(?:${alternatives.join('|')})(?= |$)`, 'u'));
    }
  }
  return complaintPatterns.get(locale);
}

const normalise = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * Signals of clear frustration in a customer's message. Any one of them is enough to offer a
 * person right away: a bot that keeps answering an angry customer makes things worse.
 * - negative_sentiment: AFINN score ≤ -0.5 per word (only where natural has the language);
 * - complaint: a complaint about the bot or the service from `bot/conversation/locales/complaints.json`
 *   ("thanks a lot, useless bot", "nu mă ajuți", "אתה לא מבין"), in every locale; sentiment
 *   misses these when the message also has kind words, and has no lexicon beyond English;
 * - shouting: ≥ 12 letters, ≥ 80 % of them capitals (scripts without case never shout);
 * - punctuation: "!!!" or "???" or mixes like "?!?";
 * - repetition: the same message (ignoring case/punctuation) sent twice before.
 */
export function detectFrustration(
  text: string,
  locale: string,
  previousTexts: readonly string[],
): FrustrationSignal[] {
  const signals: FrustrationSignal[] = [];
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const sentiment = sentimentOf(words, locale);
  if (sentiment !== null && sentiment <= -0.5) signals.push('negative_sentiment');
  if (complaintPattern(locale)?.test(fold(text))) signals.push('complaint');
  const letters = text.match(/\p{L}/gu) ?? [];
  const capitals = text.match(/\p{Lu}/gu) ?? [];
  if (letters.length >= 12 && capitals.length / letters.length >= 0.8) signals.push('shouting');
  if (/[!?]{3,}/.test(text)) signals.push('punctuation');
  const current = normalise(text);
  if (current && previousTexts.filter((p) => normalise(p) === current).length >= 2) {
    signals.push('repetition');
  }
  return signals;
}
