import fs from 'node:fs';
import path from 'node:path';
import type { FaqEntry } from '../../knowledge';
import { localesDir } from './replies';
import { systemIntentIds } from './turnPolicy';

type IntentPhrasings = Record<string, Record<string, string[]>>;

let phrasingsRead: IntentPhrasings | undefined;

/** `bot/conversation/locales/intents.json`, read once: the entries and both lookups below share it. */
const readPhrasings = (): IntentPhrasings =>
  (phrasingsRead ??= JSON.parse(
    fs.readFileSync(path.join(localesDir(), 'intents.json'), 'utf8'),
  ) as IntentPhrasings);

/** The intents that are small talk: a greeting or thanks gets one in return. */
export const smallTalkIntentIds = ['__greeting', '__thanks'] as const;

const wordsOf = (text: string): string[] =>
  text
    .normalize('NFC')
    .toLowerCase()
    .match(/\p{L}+/gu) ?? [];

let smallTalkWords: Map<string, Set<string>> | undefined;

/**
 * `text` without the words of the locale's greeting and thanks phrasings ("good morning,
 * where is my parcel?" → "where is my parcel"; "thanks a lot!" → ""): what the customer asks
 * besides the small talk, which is then what the bot answers.
 */
export function withoutSmallTalk(text: string, locale: string): string {
  if (!smallTalkWords) {
    const phrasings = readPhrasings();
    smallTalkWords = new Map();
    for (const id of smallTalkIntentIds) {
      for (const [l, list] of Object.entries(phrasings[id] ?? {})) {
        const words = smallTalkWords.get(l) ?? new Set<string>();
        for (const phrasing of list) for (const w of wordsOf(phrasing)) words.add(w);
        smallTalkWords.set(l, words);
      }
    }
  }
  const words = smallTalkWords.get(locale) ?? new Set<string>();
  return wordsOf(text)
    .filter((w) => !words.has(w))
    .join(' ');
}

/**
 * The built-in intents (ask for a person, status, cancel, greetings, thanks) as matcher entries, one per locale
 * that has phrasings in `bot/conversation/locales/intents.json`. They are matched like FAQ entries, so typos
 * and paraphrases work, but they are never stored, listed or exported.
 */
export function systemIntentEntries(locales: readonly string[]): FaqEntry[] {
  const phrasings = readPhrasings();
  const entries: FaqEntry[] = [];
  for (const id of systemIntentIds) {
    for (const locale of locales) {
      const [question, ...alternates] = phrasings[id]?.[locale] ?? [];
      if (!question) continue;
      entries.push({
        id,
        locale,
        question,
        alternates,
        answer: '',
        tags: ['system'],
        followUps: [],
        enabled: true,
      });
    }
  }
  return entries;
}

let phraseLocales: Map<string, Set<string>> | undefined;

/**
 * The one supported locale among whose built-in intent phrasings the whole message is
 * ("szia", "mulțumesc", "תודה"), or null when none or several are ("agent" is English and
 * Romanian). A greeting of one word is too short for `detectLocale`, yet says the language.
 */
export function localeOfPhrase(text: string, supported: readonly string[]): string | null {
  if (!phraseLocales) {
    phraseLocales = new Map();
    for (const byLocale of Object.values(readPhrasings())) {
      for (const [locale, list] of Object.entries(byLocale)) {
        for (const phrasing of list) {
          const key = wordsOf(phrasing).join(' ');
          const locales = phraseLocales.get(key) ?? new Set<string>();
          locales.add(locale);
          phraseLocales.set(key, locales);
        }
      }
    }
  }
  const found = [...(phraseLocales.get(wordsOf(text).join(' ')) ?? [])].filter((l) =>
    supported.includes(l),
  );
  return found.length === 1 ? (found[0] as string) : null;
}
