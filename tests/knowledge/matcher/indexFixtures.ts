import type { LocaleIndex } from '../../../knowledge/matcher/index/localeIndex';
import { en } from '../../../knowledge/matcher/text/localeProfiles/en';
import { TextPipeline } from '../../../knowledge/matcher/text/normalize';
import type { FaqEntry } from '../../../knowledge/types';

/** English pipeline with the matcher's default limits, for index-level tests. */
export const pipeline = new TextPipeline(en, {
  maxChars: 1000,
  maxTokens: 64,
  ngramSizes: [3, 4],
});

/** An enabled English entry with the given phrasings. */
export const entry = (id: string, question: string, alternates: string[]): FaqEntry => ({
  id,
  locale: 'en',
  question,
  alternates,
  answer: 'a',
  tags: [],
  followUps: [],
  enabled: true,
});

/** An enabled entry in any locale, answer "Answer for <id>", for matcher-level tests. */
export const faqEntry = (
  id: string,
  locale: string,
  question: string,
  alternates: string[] = [],
  extra: Partial<FaqEntry> = {},
): FaqEntry => ({
  id,
  locale,
  question,
  alternates,
  answer: `Answer for ${id}`,
  tags: [],
  followUps: [],
  enabled: true,
  ...extra,
});

/** Adds `e` to `index` with its phrasings analysed as the matcher would. */
export const add = (index: LocaleIndex, e: FaqEntry): void =>
  index.add(
    e.id,
    e,
    [e.question, ...e.alternates].map((t) => pipeline.analyze(t)),
  );

/** Input with nothing to read: every matcher path must give band none and no candidates. */
export const unreadableInputs: readonly [string, string][] = [
  ['empty', ''],
  ['whitespace', '   \n\t '],
  ['emoji-only', '🙂🙂👍🔥'],
  ['punctuation', '?!?!...'],
];

/** Hostile or unrelated input: never answered, never a crash. */
export const hostileInputs: readonly [string, string][] = [
  ['SQL', "'; DROP TABLE faq_entries; --"],
  ['HTML', '<script>alert("x")</script><img src=x onerror=alert(1)>'],
  ['mixed unrelated scripts', 'שלום 你好 привет hello'],
  ['unrelated', 'the quarterly weather of jupiter moons'],
];

/** A 10,000-character question (the matcher cuts it to a bounded cost). */
export const longQuestion = 'please help me reset my pin because '.repeat(280).slice(0, 10_000);
