import fs from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import {
  ActionTypes,
  CardFactory,
  MessageFactory,
  type Activity,
  type CardAction,
} from 'botbuilder';
import { hungarianArticle } from './hungarianArticle';

/**
 * User-facing texts. Each locale is one JSON catalogue in `bot/conversation/locales/<locale>.json`, so a new
 * language is a new file plus an entry in SUPPORTED_LOCALES, not code. English is the fallback
 * for a missing locale or key. Texts are ICU MessageFormat: `{n, plural, one {…} other {…}}`
 * picks the language's plural form, `{queue, select, supervisor {…} other {…}}` a word, and
 * every parameter `x` comes with `xArticle` ("a" or "az", for Hungarian) to select on.
 */
export type Catalogue = Record<string, string>;
export type TextKey = keyof typeof import('./locales/en.json');

export const localesDir = (): string => {
  const candidates = [
    path.join(__dirname, 'locales'),
    path.join(__dirname, '..', '..', '..', 'bot', 'conversation', 'locales'),
  ];
  // tsc copies en.json (imported for its keys) into dist/ but not the other catalogues.
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'intents.json'))) ?? candidates[0]!;
};

const catalogues = new Map<string, Catalogue>();

function catalogueFor(locale: string): Catalogue {
  let catalogue = catalogues.get(locale);
  if (!catalogue) {
    const file = path.join(localesDir(), `${locale}.json`);
    catalogue = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Catalogue) : {};
    catalogues.set(locale, catalogue);
  }
  return catalogue;
}

/** Locales that have a catalogue file. */
export function availableLocales(): string[] {
  return fs
    .readdirSync(localesDir())
    .filter((f) => /^[a-z]{2,3}(-[A-Za-z]{2,4})?\.json$/.test(f))
    .map((f) => f.replace(/\.json$/, ''));
}

const formats = new Map<string, IntlMessageFormat>();

function formatFor(locale: string, key: TextKey): IntlMessageFormat {
  const own = catalogueFor(locale)[key];
  const lang = own === undefined ? 'en' : locale;
  const cacheKey = `${lang}\u0000${key}`;
  let format = formats.get(cacheKey);
  if (!format) {
    const template = own ?? catalogueFor('en')[key] ?? key;
    format = new IntlMessageFormat(template, lang, undefined, { ignoreTag: true });
    formats.set(cacheKey, format);
  }
  return format;
}

/**
 * The text for `key` in `locale`, formatted with `params` (plural and select rules of the
 * language). A parameter the text needs but `params` lacks is a programming error and throws.
 */
export function t(
  locale: string,
  key: TextKey,
  params: Record<string, string | number> = {},
): string {
  const values: Record<string, string | number> = { ...params };
  for (const [name, value] of Object.entries(params)) {
    values[`${name}Article`] = hungarianArticle(String(value));
  }
  return String(formatFor(locale, key).format(values));
}

/** "about 12 minutes" / "between 8 and 16 minutes" / "not known yet". Seconds in, words out. */
export function describeWait(
  locale: string,
  etaSeconds: number | null,
  etaRange: readonly [number, number] | null = null,
): string {
  if (etaRange && Math.round(etaRange[1] / 60) > Math.round(etaRange[0] / 60)) {
    const min = Math.max(1, Math.round(etaRange[0] / 60));
    return t(locale, 'waitRange', { min, max: Math.max(min + 1, Math.round(etaRange[1] / 60)) });
  }
  if (etaSeconds === null) return t(locale, 'waitUnknown');
  if (etaSeconds < 60) return t(locale, 'waitSoon');
  return t(locale, 'waitMinutes', { min: Math.round(etaSeconds / 60) });
}

/** Values carried by our buttons (messageBack `value`), so clicks never depend on wording. */
export type ButtonValue =
  | { action: 'feedback'; helpful: boolean; entryId: string }
  | { action: 'handoff'; reason: 'requested' | 'clarify_none' | 'negative_feedback' }
  | { action: 'decline' }
  | { action: 'solved' }
  | { action: 'rate'; ticketId: string; rating: number };

const button = (title: string, value: ButtonValue, displayText = title): CardAction => ({
  type: ActionTypes.MessageBack,
  title,
  text: displayText,
  displayText,
  value,
});

const imBack = (text: string): CardAction => ({
  type: ActionTypes.ImBack,
  title: text,
  value: text,
});

/** A confident answer: the Markdown answer, follow-up prompts, and the 👍/👎 question. */
export function answerMessage(
  locale: string,
  entry: { id: string; answer: string },
  followUps: readonly string[],
  prefix?: string,
): Partial<Activity> {
  const body = prefix ? `${prefix}\n\n${entry.answer}` : entry.answer;
  const text = `${body}\n\n*${t(locale, 'wasThisHelpful')}*`;
  const actions: CardAction[] = [
    ...followUps.map(imBack),
    button(t(locale, 'helpfulYes'), { action: 'feedback', helpful: true, entryId: entry.id }),
    button(t(locale, 'helpfulNo'), { action: 'feedback', helpful: false, entryId: entry.id }),
  ];
  const message = MessageFactory.suggestedActions(actions, text);
  message.textFormat = 'markdown';
  message.locale = locale;
  return message;
}

/** "Did you mean…" with up to three candidate questions and "None of these". */
export function clarifyMessage(locale: string, questions: readonly string[]): Partial<Activity> {
  const actions = [
    ...questions.slice(0, 3).map(imBack),
    button(t(locale, 'noneOfThese'), { action: 'handoff', reason: 'clarify_none' }),
  ];
  return withLocale(MessageFactory.suggestedActions(actions, t(locale, 'didYouMean')), locale);
}

/** A text with buttons offering a person (and declining). */
export function offerHumanMessage(
  locale: string,
  text: string,
  reason: 'requested' | 'negative_feedback',
): Partial<Activity> {
  const yes = reason === 'requested' ? t(locale, 'talkToPerson') : t(locale, 'yesConnect');
  const actions = [
    button(yes, { action: 'handoff', reason }),
    button(t(locale, 'noThanks'), { action: 'decline' }),
  ];
  return withLocale(MessageFactory.suggestedActions(actions, text), locale);
}

/** An FAQ answer given while the customer waits in the queue, with a way to leave it. */
export function waitingAnswerMessage(locale: string, answer: string): Partial<Activity> {
  const actions = [button(t(locale, 'thatSolvedIt'), { action: 'solved' })];
  const message = MessageFactory.suggestedActions(
    actions,
    `${t(locale, 'whileWaiting')}\n\n${answer}`,
  );
  message.textFormat = 'markdown';
  return withLocale(message, locale);
}

/** The 1–5 satisfaction question, as a card whose buttons survive being scrolled past. */
export function ratingMessage(locale: string, ticketId: string): Partial<Activity> {
  const buttons = [1, 2, 3, 4, 5].map((rating) =>
    button(
      '⭐'.repeat(rating) + ` ${rating}`,
      { action: 'rate', ticketId, rating },
      String(rating),
    ),
  );
  const card = CardFactory.heroCard('', t(locale, 'rateQuestion'), undefined, buttons);
  return withLocale(MessageFactory.attachment(card), locale);
}

export function textMessage(locale: string, text: string): Partial<Activity> {
  const message = MessageFactory.text(text);
  message.textFormat = 'markdown';
  return withLocale(message, locale);
}

function withLocale(message: Partial<Activity>, locale: string): Partial<Activity> {
  message.locale = locale;
  return message;
}
