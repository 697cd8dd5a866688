import { GoldenQuestionsBrokenError, InvalidInputError, NotFoundError } from '../errors';
import type { MatcherOptions } from '../matcher/matcherDefaults';
import type { KbStore } from '../store/kbStore';
import type { FaqEntry, GoldenQuestion, GoldenQuestionStatus, MatchResult } from '../types';
import type { EvalQuery } from '../eval/evalFiles';
import {
  checkGoldenQuestions,
  GoldenStore,
  MAX_GOLDEN_CHARS,
  withChanges,
  type GoldenCheck,
} from './golden';

/**
 * Options of a write. The golden questions of the locales it touches are answered before and
 * after it; one answered right before and not after refuses the write
 * (GoldenQuestionsBrokenError, nothing written) unless `force`.
 */
export interface WriteOptions {
  force?: boolean;
  /** Golden questions checked on this write only, beside the stored ones (`kb import --golden`). */
  extraGolden?: readonly EvalQuery[];
}

/** How a caller names the fields of a golden question in its error messages. */
export interface GoldenFieldNames {
  q: string;
  expected: string;
  /** What `expected` takes for "no direct answer". */
  none: string;
}

const apiFieldNames: GoldenFieldNames = { q: '"q"', expected: '"expected"', none: 'null' };

/** A write as the guard sees it: the entries after it, and the synonyms it sets. */
export interface GuardedChange {
  entries?: (current: FaqEntry[]) => FaqEntry[];
  synonyms?: { locale: string; groups: readonly (readonly string[])[] };
}

/** Answer sets of recent golden checks kept (see `guard`). */
const GOLDEN_ANSWERS_KEPT = 8;

/** What the guard reads from the knowledge base around it. */
export interface GoldenGuardDeps {
  golden: GoldenStore;
  store: KbStore;
  matcherOptions: Partial<MatcherOptions>;
  /** The live answer to a question (for each question's status). */
  match: (query: string, locale: string) => Promise<MatchResult>;
  /** System entries of the locales `inScope` accepts (they answer too). */
  systemEntries: (inScope: (entry: FaqEntry) => boolean) => FaqEntry[];
  /** Whether (id, locale) is an entry, stored or system. */
  entryExists: (id: string, locale: string) => Promise<boolean>;
}

/**
 * The golden questions editors keep, and the guard they put on every write: validation of a
 * new question, each question's live status, and the before/after check of a write.
 */
export class GoldenGuard {
  /** Golden answers of recent checks: a write's after is the next write's before. */
  private readonly answers = new Map<string, (string | null)[]>();

  constructor(private readonly deps: GoldenGuardDeps) {}

  /** The golden questions (of `locale`), each with what the live bot answers now. */
  async questions(locale?: string): Promise<GoldenQuestionStatus[]> {
    const questions = await this.deps.golden.list(locale);
    return Promise.all(questions.map((g) => this.withStatus(g)));
  }

  /** See KnowledgeBase.addGoldenQuestion. */
  async add(
    question: Pick<GoldenQuestion, 'locale' | 'q' | 'expected'>,
    actor: string,
    names: GoldenFieldNames = apiFieldNames,
  ): Promise<GoldenQuestionStatus> {
    const valid = await this.validated(question, names);
    return this.withStatus(await this.deps.golden.add(valid, actor));
  }

  /**
   * The question trimmed, or an InvalidInputError naming the field: `q` empty or too long,
   * `expected` naming no entry of the locale (null means "no direct answer").
   */
  async validated(
    question: Pick<GoldenQuestion, 'locale' | 'q' | 'expected'>,
    names: GoldenFieldNames = apiFieldNames,
  ): Promise<Pick<GoldenQuestion, 'locale' | 'q' | 'expected'>> {
    const q = question.q.trim();
    const problem = (field: 'q' | 'expected', message: string) =>
      new InvalidInputError(`${names[field]} ${message}`, [{ line: 0, field, message }]);
    if (q === '') throw problem('q', 'is empty — write the question as a customer would');
    if (q.length > MAX_GOLDEN_CHARS) {
      throw problem('q', `is longer than ${MAX_GOLDEN_CHARS} characters — shorten it`);
    }
    const { locale, expected } = question;
    if (expected !== null && !(await this.deps.entryExists(expected, locale))) {
      throw problem(
        'expected',
        `names no entry of locale "${locale}" ("${expected}") — pick an entry id, or ${names.none} for "no direct answer"`,
      );
    }
    return { locale, q, expected };
  }

  /** NotFoundError when there is no golden question `id`. */
  async remove(id: number): Promise<void> {
    if (!(await this.deps.golden.remove(id))) {
      throw new NotFoundError(`No golden question ${id} — it may have been removed already`);
    }
  }

  /**
   * Refuses a write to `locales` that breaks a golden question (see WriteOptions). Both sides
   * are answered by matchers built from the store for those locales only (system entries and
   * synonyms included), so the live matcher never sees a change that is refused, and an
   * edit-by-edit state of the live matcher never counts as the change. Free when the locales
   * have no golden question; otherwise two builds of the locale (milliseconds for a typical
   * FAQ, about a second per 10,000 phrasings). Returns the check (undefined when forced or
   * free) for a caller that reports what the write fixes.
   */
  async guard(
    locales: readonly string[],
    options: WriteOptions,
    change: GuardedChange,
  ): Promise<GoldenCheck | undefined> {
    if (options.force) return undefined;
    const { store } = this.deps;
    const golden: EvalQuery[] = [...(await this.deps.golden.list()), ...(options.extraGolden ?? [])]
      .filter((g) => locales.includes(g.locale))
      .map(({ q, expected, locale }) => ({ q, expected, locale }));
    if (golden.length === 0) return undefined;
    const checked = [...new Set(golden.map((g) => g.locale))];
    const inScope = (e: FaqEntry) => checked.includes(e.locale);
    const current = (await Promise.all(checked.map((l) => store.list({ locale: l })))).flat();
    // Stored entries shadow system entries of the same key, as in the live matcher.
    const system = this.deps.systemEntries(inScope);
    const synonyms = await Promise.all(
      checked.map(async (locale) => ({ locale, groups: await store.getSynonyms(locale) })),
    );
    const after = change.entries ? change.entries(current).filter(inScope) : current;
    const { synonyms: edited } = change;
    const check = await checkGoldenQuestions(
      withChanges(system, current),
      withChanges(system, after),
      golden,
      {
        synonyms,
        ...(edited && {
          synonymsAfter: synonyms.map((s) => (s.locale === edited.locale ? edited : s)),
        }),
        options: this.deps.matcherOptions,
        cache: this.answers,
      },
    );
    // Keep the latest few (each is one answer per golden question).
    for (const key of this.answers.keys()) {
      if (this.answers.size <= GOLDEN_ANSWERS_KEPT) break;
      this.answers.delete(key);
    }
    if (check.broken.length > 0) throw new GoldenQuestionsBrokenError(check.broken);
    return check;
  }

  private async withStatus(g: GoldenQuestion): Promise<GoldenQuestionStatus> {
    const result = await this.deps.match(g.q, g.locale);
    const answer = result.band === 'answer' ? (result.candidates[0]?.id ?? null) : null;
    return { ...g, answer, right: answer === g.expected };
  }
}
