import fs from 'node:fs';
import path from 'node:path';
import type { FaqEntry, MatchCandidate, MatchResult } from '../../knowledge';
import { localesDir } from './replies';
import { systemIntentIds, type SystemIntent } from './turnPolicy';

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

/** Lower-cased, without diacritics or niqqud ("Anulează" → "anuleaza", "ügyintéző" → "ugyintezo"). */
const folded = (text: string): string =>
  text.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC').toLowerCase();

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
 * Typed without diacritics ("multumesc", "koszonom") it still does, unless that spelling
 * belongs to several locales.
 */
export function localeOfPhrase(text: string, supported: readonly string[]): string | null {
  if (!phraseLocales) {
    phraseLocales = new Map();
    const add = (key: string, locale: string): void => {
      phraseLocales?.set(key, (phraseLocales.get(key) ?? new Set<string>()).add(locale));
    };
    for (const byLocale of Object.values(readPhrasings())) {
      for (const [locale, list] of Object.entries(byLocale)) {
        for (const phrasing of list) {
          add(wordsOf(phrasing).join(' '), locale);
          add(`~${wordsOf(folded(phrasing)).join(' ')}`, locale);
        }
      }
    }
  }
  const among = (key: string): string[] =>
    [...(phraseLocales?.get(key) ?? [])].filter((l) => supported.includes(l));
  const exact = among(wordsOf(text).join(' '));
  const found = exact.length > 0 ? exact : among(`~${wordsOf(folded(text)).join(' ')}`);
  return found.length === 1 ? (found[0] as string) : null;
}

/**
 * Words that only soften or open a request ("please", "vă rog", "kérem", "בבקשה", "hi"): a
 * message is the same request with or without them ("agent please" is "agent").
 */
const courtesyWords: Readonly<Record<string, readonly string[]>> = {
  en: ['please', 'pls', 'plz', 'now', 'just', 'ok', 'okay', 'hi', 'hello', 'hey'],
  he: ['בבקשה', 'עכשיו', 'שלום', 'היי'],
  ro: ['va', 'te', 'rog', 'acum', 'salut', 'buna', 'ok'],
  hu: ['kerem', 'kerlek', 'legyszi', 'legyen', 'szives', 'most', 'szia', 'hello', 'ok'],
};

/** The words of `text` that carry the request: folded, courtesy words left out. */
function requestKey(text: string, locale: string): string {
  const courtesy = courtesyWords[locale] ?? [];
  return (folded(text).match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((w) => !courtesy.includes(w))
    .join(' ');
}

let requestKeys: Map<string, Map<string, Set<SystemIntent>>> | undefined;

/**
 * The built-in intent whose phrasing the whole message is, read without diacritics, case,
 * punctuation or courtesy words ("Anuleaza!", "ugyintezo", "Can I talk to someone, please?"),
 * or null when none is or the words are a phrasing of several intents. Such a message is that
 * request whatever the FAQ holds: an FAQ entry about cancelling orders must not take
 * "anulează" from a customer waiting in the queue.
 */
export function recognizedIntent(text: string, locale: string): SystemIntent | null {
  if (!requestKeys) {
    const phrasings = readPhrasings();
    requestKeys = new Map();
    for (const id of systemIntentIds) {
      for (const [l, list] of Object.entries(phrasings[id] ?? {})) {
        const keys = requestKeys.get(l) ?? new Map<string, Set<SystemIntent>>();
        for (const phrasing of list) {
          const key = requestKey(phrasing, l);
          if (key === '') continue;
          keys.set(key, (keys.get(key) ?? new Set<SystemIntent>()).add(id));
        }
        requestKeys.set(l, keys);
      }
    }
  }
  if (text.length > 200) return null;
  const intents = requestKeys.get(locale)?.get(requestKey(text, locale));
  return intents?.size === 1 ? ([...intents][0] as SystemIntent) : null;
}

/**
 * `result` with the built-in intent the message names (`recognizedIntent`) as its confident
 * top candidate, or `result` as it is when the message names none. The matcher's own
 * candidate for the intent is kept (its scores explain the turn); a built-in intent the
 * matcher did not list gets a candidate of its own.
 */
export function withRecognizedIntent(result: MatchResult, text: string): MatchResult {
  const intent = recognizedIntent(text, result.locale);
  if (!intent) return result;
  const own = result.candidates.find((c) => c.id === intent);
  const top: MatchCandidate = own
    ? { ...own, confidence: 1 }
    : {
        id: intent,
        locale: result.locale,
        question: text,
        answer: '',
        confidence: 1,
        matchedPhrasing: text,
        scores: { fuzzy: 1, lexical: 1 },
        synonymsApplied: [],
      };
  return {
    ...result,
    band: 'answer',
    candidates: [top, ...result.candidates.filter((c) => c.id !== intent)],
  };
}
