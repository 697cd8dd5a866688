import type { Knex } from 'knex';
import {
  ConflictError,
  GoldenQuestionsBrokenError,
  InvalidInputError,
  NotFoundError,
  type FieldProblem,
} from '../errors';
import { canonicalFaqEntry } from '../store/faqFile';
import { FaqMatcher } from '../matcher/faqMatcher';
import {
  checkGoldenQuestions,
  GoldenStore,
  MAX_GOLDEN_CHARS,
  withChanges,
  type GoldenQuestion,
  type GoldenQuestionStatus,
} from '../golden/golden';
import type { Overlap } from '../matcher/overlaps';
import {
  groupQuestions,
  UnansweredStore,
  type UnansweredGroup,
  type UnansweredQuestion,
} from '../inbox/unanswered';
import { KnexKbStore } from '../store/knexKbStore';
import type {
  EntryChange,
  EntryChangeRecord,
  EntryFilter,
  EntryVersion,
  ImportSummary,
  KbStore,
  SynonymVersion,
} from '../store/kbStore';
import { SWEPT_THRESHOLDS, thresholdSweep, type Outcome } from '../eval/evaluate';
import { matcherDefaults, type MatcherOptions } from '../matcher/matcherDefaults';
import { entryKey as keyOf, type FaqEntry, type MatchResult } from '../types';

export interface KnowledgeBaseOptions {
  matcherOptions?: Partial<MatcherOptions>;
  now?: () => Date;
  /**
   * Applied to a question before it is kept in the unanswered inbox (personal data
   * redaction); default: kept as written.
   */
  redact?: (text: string) => string;
  /** Defaults to a KnexKbStore on `db`. */
  store?: KbStore;
  /**
   * `refresh()` applies up to this many entry changes one by one (default 500); after more
   * (a large import elsewhere, say) it rebuilds the matcher instead, which is cheaper then.
   */
  maxIncrementalChanges?: number;
}

/**
 * Options of a write. The golden questions of the locales it touches are answered before and
 * after it; one answered right before and not after refuses the write
 * (GoldenQuestionsBrokenError, nothing written) unless `force`.
 */
export interface WriteOptions {
  force?: boolean;
}

/** What `refresh()` did. */
export interface RefreshReport {
  /**
   * `none`: nothing changed since the last load or refresh. `changes`: the entry changes
   * (and any synonym edits) were applied to the live matcher one by one. `reload`: too many
   * changes, so every entry was loaded into a new matcher.
   */
  applied: 'none' | 'changes' | 'reload';
  /** Entry changes read from the store's change log (0 unless `applied` is `changes`). */
  changes: number;
}

/** Inbox questions the threshold simulator replays (the most recent). */
export const SIMULATED_LOGGED_QUESTIONS = 300;

/** One answer threshold replayed over the golden and the logged questions. */
export interface ThresholdRow {
  answerThreshold: number;
  /** Golden questions with an entry: share answered directly, and answered right. */
  goldenAnswerRate: number;
  goldenAnsweredRight: number;
  /** Golden questions answered directly with a wrong entry (or when none was due), share of all. */
  goldenWrong: number;
  /** Logged questions the bot could not answer then that it would answer directly now. */
  loggedAnswered: number;
}

/** The threshold simulator's report (see `simulateThresholds`). */
export interface ThresholdSimulation {
  /** The threshold the bot runs with (`MATCH_ANSWER_THRESHOLD`). */
  answerThreshold: number;
  golden: number;
  logged: number;
  rows: ThresholdRow[];
}

/** Answer sets of recent golden checks kept (see guardGolden). */
const GOLDEN_ANSWERS_KEPT = 8;

/** Characters of a question kept in the unanswered inbox. */
export const MAX_KEPT_CHARS = 500;
/** Characters of an agent's answer kept as a draft. */
export const MAX_KEPT_ANSWER_CHARS = 4000;

/**
 * The FAQ knowledge base as the bot, the routes and the CLI see it: every write goes to the
 * store and to the live matcher at once, so changes answer without a restart. Other instances
 * catch up through `refresh()`.
 */
export class KnowledgeBase {
  private matcher: FaqMatcher;
  private readonly systemEntries = new Map<string, FaqEntry>();
  /** Store revision and change-log position the matcher reflects; synonyms it was given. */
  private loadedRevision = -1;
  private loadedSeq = 0;
  private readonly loadedSynonyms = new Map<string, string>();
  private refreshing: Promise<RefreshReport> | undefined;
  /** Golden answers of recent checks: a write's after is the next write's before. */
  private readonly goldenAnswers = new Map<string, (string | null)[]>();

  private constructor(
    readonly store: KbStore,
    private readonly matcherOptions: Partial<MatcherOptions>,
    private readonly maxIncrementalChanges: number,
    private readonly unanswered: UnansweredStore,
    private readonly golden: GoldenStore,
    private readonly redact: (text: string) => string,
  ) {
    this.matcher = new FaqMatcher(matcherOptions);
  }

  /** Opens the store (already migrated) and loads every entry and synonym into the matcher. */
  static async open(db: Knex, options: KnowledgeBaseOptions = {}): Promise<KnowledgeBase> {
    const store = options.store ?? new KnexKbStore(db, { now: options.now });
    const kb = new KnowledgeBase(
      store,
      options.matcherOptions ?? {},
      options.maxIncrementalChanges ?? 500,
      new UnansweredStore(db, options.now),
      new GoldenStore(db, options.now),
      options.redact ?? ((text) => text),
    );
    await kb.reload();
    return kb;
  }

  /** Settles when the matcher's background work (model fits and refits) is done. */
  whenReady(): Promise<void> {
    return this.matcher.whenReady();
  }

  /**
   * Ranked candidates for `query` among the enabled entries (and system entries) of `locale`,
   * with the sentence encoder where the locale has one (`FaqMatcher.matchAsync`).
   */
  match(query: string, locale: string, limit?: number): Promise<MatchResult> {
    return this.matcher.matchAsync(query, locale, limit);
  }

  /**
   * Keeps a question the bot could not answer directly for the editors' inbox (redacted as
   * configured, cut to `MAX_KEPT_CHARS`).
   */
  recordUnanswered(q: Omit<UnansweredQuestion, 'id' | 'at' | 'answer'>): Promise<void> {
    const text = this.redact(q.text).slice(0, MAX_KEPT_CHARS).trim();
    if (text === '') return Promise.resolve();
    return this.unanswered.record({ ...q, text });
  }

  /**
   * Keeps an agent's answer to an escalated question as a draft for the editors: it joins the
   * question's group in the inbox, and "New entry" starts with it. Once per ticket.
   */
  recordAgentAnswer(a: {
    ticketId: string;
    locale: string;
    question: string;
    answer: string;
  }): Promise<void> {
    const text = this.redact(a.question).slice(0, MAX_KEPT_CHARS).trim();
    const answer = this.redact(a.answer).slice(0, MAX_KEPT_ANSWER_CHARS).trim();
    if (text === '' || answer === '') return Promise.resolve();
    return this.unanswered.record({
      locale: a.locale,
      text,
      outcome: 'handoff',
      topId: null,
      confidence: 0,
      answer,
      ticketId: a.ticketId,
    });
  }

  /** The unanswered inbox: recent questions (of `locale`) grouped by what they ask. */
  async unansweredGroups(locale?: string): Promise<UnansweredGroup[]> {
    const questions = await this.unanswered.list({ ...(locale ? { locale } : {}) });
    return groupQuestions(questions, (text, l) => this.matcher.contentWords(text, l));
  }

  /** Removes questions from the inbox (handled, or not worth it); returns how many. */
  dismissUnanswered(ids: readonly number[]): Promise<number> {
    return this.unanswered.dismiss(ids);
  }

  /** The golden questions (of `locale`), each with what the live bot answers now. */
  async goldenQuestions(locale?: string): Promise<GoldenQuestionStatus[]> {
    const questions = await this.golden.list(locale);
    return Promise.all(questions.map((g) => this.withStatus(g)));
  }

  /**
   * Adds a golden question: from now on a write that stops the bot answering it as it must
   * (`expected`: an entry id of the locale, or null for "no direct answer") is refused.
   */
  async addGoldenQuestion(
    question: Pick<GoldenQuestion, 'locale' | 'q' | 'expected'>,
    actor: string,
  ): Promise<GoldenQuestionStatus> {
    const q = question.q.trim();
    const problem = (field: string, message: string) =>
      new InvalidInputError(`"${field}" ${message}`, [{ line: 0, field, message }]);
    if (q === '') throw problem('q', 'is empty — write the question as a customer would');
    if (q.length > MAX_GOLDEN_CHARS) {
      throw problem('q', `is longer than ${MAX_GOLDEN_CHARS} characters — shorten it`);
    }
    const { locale, expected } = question;
    if (expected !== null && !(await this.get(expected, locale))) {
      throw problem(
        'expected',
        `names no entry of locale "${locale}" ("${expected}") — pick an entry id, or null for "no direct answer"`,
      );
    }
    return this.withStatus(await this.golden.add({ locale, q, expected }, actor));
  }

  /** NotFoundError when there is no golden question `id`. */
  async removeGoldenQuestion(id: number): Promise<void> {
    if (!(await this.golden.remove(id))) {
      throw new NotFoundError(`No golden question ${id} — it may have been removed already`);
    }
  }

  /**
   * The threshold simulator: the golden questions (labelled) and the most recent questions of
   * the unanswered inbox (logged) matched once on the live matcher, then replayed at answer
   * thresholds 0.30–0.90, so an editor sees what another `MATCH_ANSWER_THRESHOLD` would do on
   * their own questions before setting it.
   */
  async simulateThresholds(locale?: string): Promise<ThresholdSimulation> {
    const golden = await this.golden.list(locale);
    const logged = await this.unanswered.list({
      ...(locale ? { locale } : {}),
      limit: SIMULATED_LOGGED_QUESTIONS,
    });
    const outcomesOf = async (
      queries: { q: string; locale: string; expected: string | null }[],
    ) => {
      const outcomes: Outcome[] = [];
      for (const query of queries) {
        outcomes.push({ query, result: await this.match(query.q, query.locale), latencyMs: 0 });
      }
      return outcomes;
    };
    const goldenOutcomes = await outcomesOf(golden);
    const loggedOutcomes = await outcomesOf(
      logged.map((u) => ({ q: u.text, locale: u.locale, expected: null })),
    );
    const labelled = thresholdSweep(goldenOutcomes, SWEPT_THRESHOLDS);
    const unlabelled = thresholdSweep(loggedOutcomes, SWEPT_THRESHOLDS);
    const inScope = golden.filter((g) => g.expected !== null).length;
    return {
      answerThreshold: { ...matcherDefaults, ...this.matcherOptions }.answerThreshold,
      golden: golden.length,
      logged: logged.length,
      rows: labelled.map((point, i) => ({
        answerThreshold: point.answerThreshold,
        goldenAnswerRate: inScope === 0 ? 0 : point.answerRate,
        goldenAnsweredRight: point.inScopeAccuracy,
        goldenWrong: point.wrongAnswerRate,
        // Every logged question counts as out of scope: answered = 1 − "OOS recall".
        loggedAnswered:
          logged.length === 0 ? 0 : Math.round((1 - (unlabelled[i]?.oosRecall ?? 1)) * 1000) / 1000,
      })),
    };
  }

  private async withStatus(g: GoldenQuestion): Promise<GoldenQuestionStatus> {
    const result = await this.match(g.q, g.locale);
    const answer = result.band === 'answer' ? (result.candidates[0]?.id ?? null) : null;
    return { ...g, answer, right: answer === g.expected };
  }

  /**
   * Refuses a write to `locales` that breaks a golden question (see WriteOptions). Both sides
   * are answered by matchers built from the store for those locales only (system entries and
   * synonyms included), so the live matcher never sees a change that is refused, and an
   * edit-by-edit state of the live matcher never counts as the change. Free when the locales
   * have no golden question; otherwise two builds of the locale (milliseconds for a typical
   * FAQ, about a second per 10,000 phrasings).
   */
  private async guardGolden(
    locales: readonly string[],
    options: WriteOptions,
    change: {
      entries?: (current: FaqEntry[]) => FaqEntry[];
      synonyms?: { locale: string; groups: readonly (readonly string[])[] };
    },
  ): Promise<void> {
    if (options.force) return;
    const golden = (await this.golden.list()).filter((g) => locales.includes(g.locale));
    if (golden.length === 0) return;
    const checked = [...new Set(golden.map((g) => g.locale))];
    const inScope = (e: FaqEntry) => checked.includes(e.locale);
    const current = (await Promise.all(checked.map((l) => this.store.list({ locale: l })))).flat();
    // Stored entries shadow system entries of the same key, as in the live matcher.
    const system = [...this.systemEntries.values()].filter(inScope);
    const synonyms = await Promise.all(
      checked.map(async (locale) => ({ locale, groups: await this.store.getSynonyms(locale) })),
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
        options: this.matcherOptions,
        cache: this.goldenAnswers,
      },
    );
    // Keep the latest few (each is one answer per golden question).
    for (const key of this.goldenAnswers.keys()) {
      if (this.goldenAnswers.size <= GOLDEN_ANSWERS_KEPT) break;
      this.goldenAnswers.delete(key);
    }
    if (check.broken.length > 0) throw new GoldenQuestionsBrokenError(check.broken);
  }

  /**
   * Phrasings of the entry (id, locale) that overlap another entry of its locale, system
   * entries included (see overlaps.ts). NotFoundError when no enabled entry has that key.
   */
  overlapsOf(id: string, locale: string): Overlap[] {
    if (!this.matcher.indexedPhrasings(id, locale)) {
      throw new NotFoundError(`no enabled entry "${id}" in locale "${locale}"`);
    }
    return this.matcher.overlaps(locale, [id]);
  }

  /**
   * Entries the bot matches but editors never see (e.g. `__human`, "talk to a person"): kept
   * only in memory, never written, listed or exported. Registering an id again replaces it.
   */
  registerSystemEntries(entries: readonly FaqEntry[]): void {
    for (const entry of entries) {
      this.systemEntries.set(keyOf(entry.id, entry.locale), entry);
      this.matcher.upsert(entry);
    }
    void this.matcher.warmEncoders(); // a locale may be new
  }

  /** A stored entry, else a system entry; undefined when neither exists. */
  async get(id: string, locale: string): Promise<FaqEntry | undefined> {
    return (await this.store.get(id, locale)) ?? this.systemEntries.get(keyOf(id, locale));
  }

  /** A stored entry (never a system entry); undefined when absent. */
  getStored(id: string, locale: string): Promise<FaqEntry | undefined> {
    return this.store.get(id, locale);
  }

  /** Stored entries only (never system entries), ordered by locale then id. */
  list(filter?: EntryFilter): Promise<FaqEntry[]> {
    return this.store.list(filter);
  }

  /** Creates or replaces one entry. Follow-ups must name entries of the same locale. */
  async upsert(entry: FaqEntry, actor: string, options: WriteOptions = {}): Promise<EntryChange> {
    await this.assertFollowUpsResolve([entry]);
    await this.guardGolden([entry.locale], options, {
      entries: (current) => withChanges(current, [entry]),
    });
    const change = await this.store.upsert(entry, actor);
    this.matcher.upsert(entry);
    return change;
  }

  /** Like upsert, but a ConflictError when (id, locale) already exists. */
  async create(entry: FaqEntry, actor: string, options: WriteOptions = {}): Promise<FaqEntry> {
    if (await this.store.get(entry.id, entry.locale)) {
      throw new ConflictError(
        `Entry "${entry.id}" already exists in locale "${entry.locale}" — edit it instead`,
      );
    }
    await this.upsert(entry, actor, options);
    return entry;
  }

  /**
   * NotFoundError for an unknown entry; ConflictError while other entries of the locale still
   * offer it as a follow-up, so no prompt ever leads nowhere.
   */
  async delete(
    id: string,
    locale: string,
    actor: string,
    options: WriteOptions = {},
  ): Promise<void> {
    const referrers = (await this.store.list({ locale }))
      .filter((e) => e.id !== id && e.followUps.includes(id))
      .map((e) => `"${e.id}"`);
    if (referrers.length > 0) {
      throw new ConflictError(
        `Entry "${id}" (${locale}) is a follow-up of ${referrers.join(', ')} — remove it from their followUps first`,
      );
    }
    await this.guardGolden([locale], options, {
      entries: (current) => current.filter((e) => !(e.id === id && e.locale === locale)),
    });
    await this.store.delete(id, locale, actor);
    this.matcher.remove(id, locale);
    this.reAddSystemEntry(id, locale);
  }

  /**
   * Writes all entries in one transaction or none. Follow-ups may point into the same import
   * or at stored entries. `dryRun` reports what would change and writes nothing.
   */
  async import(
    entries: readonly FaqEntry[],
    actor: string,
    options: { dryRun?: boolean } & WriteOptions = {},
  ): Promise<ImportSummary> {
    await this.assertFollowUpsResolve(entries);
    await this.guardGolden([...new Set(entries.map((e) => e.locale))], options, {
      entries: (current) => withChanges(current, entries),
    });
    const summary = await this.store.importEntries(entries, actor, options);
    if (!options.dryRun) await this.reload();
    return summary;
  }

  /** Newest first; empty when the entry never existed. */
  listVersions(id: string, locale: string): Promise<EntryVersion[]> {
    return this.store.listVersions(id, locale);
  }

  /** Makes the entry what it was after `version` (also undeletes); see KbStore.restoreVersion. */
  async restoreVersion(
    id: string,
    locale: string,
    version: number,
    actor: string,
    options: WriteOptions = {},
  ): Promise<FaqEntry> {
    const restored = (await this.store.listVersions(id, locale)).find((v) => v.version === version);
    const target = restored?.after; // else the store says why it cannot restore
    if (target) {
      await this.guardGolden([locale], options, {
        entries: (current) => withChanges(current, [target]),
      });
    }
    const entry = await this.store.restoreVersion(id, locale, version, actor);
    this.matcher.upsert(entry);
    return entry;
  }

  /** Synonym groups of a locale; each group's first word is the one the others map to. */
  getSynonyms(locale: string): Promise<string[][]> {
    return this.store.getSynonyms(locale);
  }

  /**
   * Word vectors per locale: configured sources and whether they loaded (a source that is
   * missing or unreadable leaves that locale on words and n-grams only).
   */
  wordVectorStatus(): { locale: string; source: string; loaded: boolean }[] {
    const loaded = new Set(this.matcher.semanticLocales);
    return Object.entries(this.matcher.wordVectorSources).map(([locale, source]) => ({
      locale,
      source,
      loaded: loaded.has(locale),
    }));
  }

  /** Locales that use the sentence encoder and whether it is ready (see FaqMatcher). */
  sentenceEncoderStatus(): { locale: string; ready: boolean }[] {
    return this.matcher.sentenceEncoderStatus;
  }

  /** Replaces all synonym groups of a locale; the live matcher re-indexes that locale. */
  async setSynonyms(
    locale: string,
    groups: readonly (readonly string[])[],
    actor: string,
    options: WriteOptions = {},
  ): Promise<void> {
    await this.guardGolden([locale], options, { synonyms: { locale, groups } });
    await this.store.setSynonyms(locale, groups, actor);
    this.applySynonyms(locale, groups);
  }

  /** Newest first; empty when the locale's synonyms were never edited. */
  listSynonymVersions(locale: string): Promise<SynonymVersion[]> {
    return this.store.listSynonymVersions(locale);
  }

  /**
   * Makes the locale's synonyms what they were after `version`, as a new edit (so it is
   * versioned, and guarded by the golden questions). NotFoundError for an unknown version.
   */
  async restoreSynonymVersion(
    locale: string,
    version: number,
    actor: string,
    options: WriteOptions = {},
  ): Promise<string[][]> {
    const found = (await this.store.listSynonymVersions(locale)).find((v) => v.version === version);
    if (!found) {
      throw new NotFoundError(`The synonyms of "${locale}" have no version ${version}`);
    }
    await this.setSynonyms(locale, found.after, actor, options);
    return found.after;
  }

  private applySynonyms(locale: string, groups: readonly (readonly string[])[]): void {
    this.matcher.setSynonyms(locale, groups);
    this.loadedSynonyms.set(locale, JSON.stringify(groups));
    void this.matcher.warmEncoders(); // the locale was re-indexed
  }

  /**
   * Imports `entries` when the store holds no entry at all; returns the summary, or null when
   * there was something already (including when another instance seeded first).
   */
  async seedIfEmpty(entries: readonly FaqEntry[], actor = 'seed'): Promise<ImportSummary | null> {
    if ((await this.store.count()) > 0) {
      // Another instance may have seeded after this one opened: pick its entries up now rather
      // than at the next refresh, or this instance would answer nothing for a few seconds.
      await this.refresh();
      return null;
    }
    try {
      return await this.import(entries, actor);
    } catch (err) {
      // Two instances starting on an empty database race; the loser's transaction fails on
      // the primary key and it simply loads what the winner wrote.
      if ((await this.store.count()) === 0) throw err;
      await this.reload();
      return null;
    }
  }

  /**
   * Brings the matcher up to date with the store (changes another instance wrote; this
   * instance's own writes are in the matcher already and are skipped). Cheap when nothing
   * changed: one SELECT. Otherwise it reads the entry changes since the last refresh and
   * applies each like a live edit (~0.3 ms per entry at 25,000 entries), plus any edited
   * synonyms (that locale is re-indexed); it rebuilds the whole matcher only after more than
   * `maxIncrementalChanges` changes. A rebuild at 25,000 entries blocks the event loop for
   * seconds, which every edit used to cost every instance, the writer included. When nothing
   * changed, it starts the background refit of the discriminative model of locales edited
   * since their last full fit (`FaqMatcher.refitEdited`), so instances converge on the model a
   * fresh load would fit.
   */
  refresh(): Promise<RefreshReport> {
    // One at a time: the timer may fire again while a slow refresh (a reload) still runs.
    this.refreshing ??= this.catchUp().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async catchUp(): Promise<RefreshReport> {
    // Revision first: a write landing after this read bumps it again, so the next refresh
    // looks again and no change is ever missed (applying one twice is harmless).
    const revision = await this.store.revision();
    if (revision === this.loadedRevision) {
      // A quiet moment: refit the model of locales edited entry by entry (in the background).
      void this.matcher.refitEdited();
      return { applied: 'none', changes: 0 };
    }
    const changes = await this.store.changesSince(this.loadedSeq, this.maxIncrementalChanges + 1);
    if (changes.length > this.maxIncrementalChanges) {
      await this.reload();
      return { applied: 'reload', changes: 0 };
    }
    for (const { locale, groups } of await this.store.listSynonyms()) {
      if (this.loadedSynonyms.get(locale) !== JSON.stringify(groups)) {
        this.applySynonyms(locale, groups);
      }
    }
    for (const change of latestPerEntry(changes)) this.applyChange(change);
    this.loadedSeq = changes[changes.length - 1]?.seq ?? this.loadedSeq;
    this.loadedRevision = revision;
    return { applied: 'changes', changes: changes.length };
  }

  /** One entry's latest state into the live matcher, unless it is there already. */
  private applyChange({ id, locale, after }: EntryChangeRecord): void {
    const current = this.matcher.entry(id, locale);
    if (after) {
      if (!current || !sameEntry(current, after)) this.matcher.upsert(after);
      return;
    }
    if (current && current !== this.systemEntries.get(keyOf(id, locale))) {
      this.matcher.remove(id, locale);
      this.reAddSystemEntry(id, locale);
    }
  }

  private async reload(): Promise<void> {
    // Revision, then change-log position, then the data: a write landing in between is both
    // in the data and after these marks, so the next refresh applies it again (harmlessly).
    const revision = await this.store.revision();
    const seq = await this.store.lastChangeSeq();
    const [entries, synonyms] = await Promise.all([this.store.list(), this.store.listSynonyms()]);
    // Build a fresh matcher and swap it in: matches never see a half-loaded index, and
    // synonyms set before load() index each locale once instead of twice.
    const next = new FaqMatcher(this.matcherOptions);
    this.loadedSynonyms.clear();
    for (const { locale, groups } of synonyms) {
      next.setSynonyms(locale, groups);
      this.loadedSynonyms.set(locale, JSON.stringify(groups));
    }
    next.load([...entries, ...this.systemEntries.values()]);
    this.matcher = next;
    void next.warmEncoders();
    this.loadedRevision = revision;
    this.loadedSeq = seq;
  }

  private reAddSystemEntry(id: string, locale: string): void {
    const system = this.systemEntries.get(keyOf(id, locale));
    if (system) this.matcher.upsert(system);
  }

  private async assertFollowUpsResolve(entries: readonly FaqEntry[]): Promise<void> {
    const known = new Set(entries.map((e) => keyOf(e.id, e.locale)));
    const dangling = entries.flatMap((entry) =>
      entry.followUps
        .filter((target) => !known.has(keyOf(target, entry.locale)))
        .map((target) => ({ entry, target })),
    );
    if (dangling.length === 0) return;
    const locales = [...new Set(dangling.map((d) => d.entry.locale))];
    const stored = (await Promise.all(locales.map((locale) => this.store.list({ locale })))).flat();
    for (const e of stored) known.add(keyOf(e.id, e.locale));
    const problems: FieldProblem[] = dangling
      .filter(({ entry, target }) => !known.has(keyOf(target, entry.locale)))
      .map(({ entry, target }) => ({
        line: 0,
        field: 'followUps',
        message: `"${entry.id}" (${entry.locale}): follow-up "${target}" is not an entry in locale "${entry.locale}" — add that entry or remove the follow-up`,
      }));
    if (problems.length > 0) {
      throw new InvalidInputError(problems.map((p) => p.message).join('\n'), problems);
    }
  }
}

const sameEntry = (a: FaqEntry, b: FaqEntry): boolean =>
  JSON.stringify(canonicalFaqEntry(a)) === JSON.stringify(canonicalFaqEntry(b));

/** The last change of each entry, in the order of those last changes. */
function latestPerEntry(changes: readonly EntryChangeRecord[]): EntryChangeRecord[] {
  const latest = new Map<string, EntryChangeRecord>();
  for (const change of changes) {
    const key = keyOf(change.id, change.locale);
    latest.delete(key); // re-insert: Map order becomes the order of last changes
    latest.set(key, change);
  }
  return [...latest.values()];
}
