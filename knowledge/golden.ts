import type { EvalQuery } from './evalFiles';
import { FaqMatcher } from './faqMatcher';
import type { MatcherOptions } from './matcherDefaults';
import { entryKey, type FaqEntry } from './types';

/** A golden question whose answer a change would take away. */
export interface BrokenGoldenQuestion {
  query: EvalQuery;
  /** What the bot answers directly after the change (null: no direct answer). */
  after: string | null;
}

export interface GoldenCheck {
  /** Golden questions answered right before the change and not after: they block it. */
  broken: BrokenGoldenQuestion[];
  /** Golden questions the change makes right (for the report). */
  fixed: EvalQuery[];
  /** Golden questions right after the change. */
  right: number;
  total: number;
}

const keyOf = (e: Pick<FaqEntry, 'id' | 'locale'>): string => entryKey(e.id, e.locale);

/** `current` with `changes` written over it, as an import does (insert or replace by key). */
export function withChanges(
  current: readonly FaqEntry[],
  changes: readonly FaqEntry[],
): FaqEntry[] {
  const byKey = new Map(current.map((e) => [keyOf(e), e]));
  for (const e of changes) byKey.set(keyOf(e), e);
  return [...byKey.values()];
}

/**
 * Runs the golden questions (the `kb eval` query format: `expected` is the entry id the bot
 * should answer directly, or null for "no direct answer") on the production matcher before and
 * after a change. A question right before and wrong after is broken: a publish that breaks
 * answers is blocked unless forced. Questions already wrong do not block (fixing the KB
 * should never need fixing everything first).
 */
export async function checkGoldenQuestions(
  before: readonly FaqEntry[],
  after: readonly FaqEntry[],
  golden: readonly EvalQuery[],
  setup: {
    synonyms?: readonly { locale: string; groups: string[][] }[];
    options?: Partial<MatcherOptions>;
  } = {},
): Promise<GoldenCheck> {
  const answersOf = async (entries: readonly FaqEntry[]) => {
    const matcher = new FaqMatcher(setup.options ?? {});
    matcher.load(entries);
    for (const { locale, groups } of setup.synonyms ?? []) matcher.setSynonyms(locale, groups);
    await matcher.warmEncoders();
    await matcher.whenReady();
    const answers: (string | null)[] = [];
    for (const q of golden) {
      const result = await matcher.matchAsync(q.q, q.locale);
      answers.push(result.band === 'answer' ? (result.candidates[0]?.id ?? null) : null);
    }
    return answers;
  };
  const was = await answersOf(before);
  const now = await answersOf(after);
  const broken: BrokenGoldenQuestion[] = [];
  const fixed: EvalQuery[] = [];
  golden.forEach((query, i) => {
    const rightBefore = was[i] === query.expected;
    const rightAfter = now[i] === query.expected;
    if (rightBefore && !rightAfter) broken.push({ query, after: now[i] ?? null });
    if (!rightBefore && rightAfter) fixed.push(query);
  });
  return {
    broken,
    fixed,
    right: golden.filter((q, i) => now[i] === q.expected).length,
    total: golden.length,
  };
}
