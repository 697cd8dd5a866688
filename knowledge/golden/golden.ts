import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { ConflictError } from '../errors';
import type { EvalQuery } from '../eval/evalFiles';
import { canonicalFaqEntry } from '../store/faqFile';
import { FaqMatcher } from '../matcher/faqMatcher';
import type { MatcherOptions } from '../matcher/matcherDefaults';
import { entryKey, type BrokenGoldenQuestion, type FaqEntry, type GoldenQuestion } from '../types';

export type { BrokenGoldenQuestion, GoldenQuestion, GoldenQuestionStatus } from '../types';

/** Characters of a golden question (the column's size). */
export const MAX_GOLDEN_CHARS = 500;

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

interface SynonymGroups {
  locale: string;
  groups: readonly (readonly string[])[];
}

/**
 * Runs the golden questions (the `kb eval` query format: `expected` is the entry id the bot
 * should answer directly, or null for "no direct answer") on the production matcher before and
 * after a change. A question right before and wrong after is broken: a publish that breaks
 * answers is blocked unless forced. Questions already wrong do not block (fixing the KB
 * should never need fixing everything first). With `cache`, a side already answered (the
 * same entries, synonyms, questions and options, e.g. the previous write's after) is not
 * answered again.
 */
export async function checkGoldenQuestions(
  before: readonly FaqEntry[],
  after: readonly FaqEntry[],
  golden: readonly EvalQuery[],
  setup: {
    synonyms?: readonly SynonymGroups[];
    /** Synonyms after the change, when it edits them (default: `synonyms`). */
    synonymsAfter?: readonly SynonymGroups[];
    options?: Partial<MatcherOptions>;
    /** Answers by fingerprint of what was answered; bounded by the caller. */
    cache?: Map<string, (string | null)[]>;
  } = {},
): Promise<GoldenCheck> {
  const answersOf = async (
    entries: readonly FaqEntry[],
    synonyms: readonly SynonymGroups[] = [],
  ) => {
    const key = fingerprint(entries, synonyms, golden, setup.options);
    const known = setup.cache?.get(key);
    if (known) return known;
    const answers = await answer(entries, synonyms);
    setup.cache?.set(key, answers);
    return answers;
  };
  const answer = async (entries: readonly FaqEntry[], synonyms: readonly SynonymGroups[]) => {
    const matcher = new FaqMatcher(setup.options ?? {});
    // Synonyms first: load() then indexes each locale once.
    for (const { locale, groups } of synonyms) matcher.setSynonyms(locale, groups);
    matcher.load(entries);
    await matcher.warmEncoders();
    await matcher.whenReady();
    const answers: (string | null)[] = [];
    for (const q of golden) {
      const result = await matcher.matchAsync(q.q, q.locale);
      answers.push(result.band === 'answer' ? (result.candidates[0]?.id ?? null) : null);
    }
    return answers;
  };
  if (golden.length === 0) return { broken: [], fixed: [], right: 0, total: 0 };
  const was = await answersOf(before, setup.synonyms);
  const now = await answersOf(after, setup.synonymsAfter ?? setup.synonyms);
  const broken: BrokenGoldenQuestion[] = [];
  const fixed: EvalQuery[] = [];
  golden.forEach((query, i) => {
    const rightBefore = was[i] === query.expected;
    const rightAfter = now[i] === query.expected;
    if (rightBefore && !rightAfter) {
      const { locale, q, expected } = query;
      broken.push({ locale, q, expected, after: now[i] ?? null });
    }
    if (!rightBefore && rightAfter) fixed.push(query);
  });
  return {
    broken,
    fixed,
    right: golden.filter((q, i) => now[i] === q.expected).length,
    total: golden.length,
  };
}

/** Of everything that decides the answers: entries (in any order), synonyms, questions, options. */
function fingerprint(
  entries: readonly FaqEntry[],
  synonyms: readonly SynonymGroups[],
  golden: readonly EvalQuery[],
  options: Partial<MatcherOptions> | undefined,
): string {
  const sorted = entries
    .map((e) => [entryKey(e.id, e.locale), canonicalFaqEntry(e)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, e]) => e);
  const bySynonymLocale = [...synonyms].sort((a, b) => (a.locale < b.locale ? -1 : 1));
  return createHash('sha256')
    .update(JSON.stringify([sorted, bySynonymLocale, golden, options ?? {}]))
    .digest('base64');
}

interface Row {
  id: number | string;
  locale: string;
  question: string;
  expected: string | null;
  created_by: string;
  at: string;
}

const fromRow = (r: Row): GoldenQuestion => ({
  id: Number(r.id),
  locale: r.locale,
  q: r.question,
  expected: r.expected,
  createdBy: r.created_by,
  at: r.at,
});

/** The `kb_golden` table: the golden questions editors keep. */
export class GoldenStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Ordered by locale, then as added. */
  async list(locale?: string): Promise<GoldenQuestion[]> {
    const query = this.db<Row>('kb_golden').select('*').orderBy(['locale', 'id']);
    if (locale) void query.where({ locale });
    return (await query).map(fromRow);
  }

  /** ConflictError when the locale has that question already. */
  async add(
    q: Pick<GoldenQuestion, 'locale' | 'q' | 'expected'>,
    actor: string,
  ): Promise<GoldenQuestion> {
    const row = {
      locale: q.locale,
      question: q.q,
      expected: q.expected,
      created_by: actor,
      at: this.now().toISOString(),
    };
    const duplicate = () =>
      new ConflictError(
        `"${q.q}" is a golden question of locale "${q.locale}" already — remove it first to change what it expects`,
      );
    if (await this.db('kb_golden').where({ locale: q.locale, question: q.q }).first()) {
      throw duplicate();
    }
    try {
      await this.db('kb_golden').insert(row);
    } catch (err) {
      // Two editors adding the same question at once: the unique key decides.
      if (await this.db('kb_golden').where({ locale: q.locale, question: q.q }).first()) {
        throw duplicate();
      }
      throw err;
    }
    const stored = await this.db<Row>('kb_golden')
      .where({ locale: q.locale, question: q.q })
      .first();
    return fromRow(stored!);
  }

  /** False when there was no such question. */
  async remove(id: number): Promise<boolean> {
    return (await this.db('kb_golden').where({ id }).delete()) > 0;
  }
}
