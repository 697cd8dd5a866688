import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '../errors';
import { simulateThresholds, SIMULATED_LOGGED_QUESTIONS } from '../eval/thresholdSimulator';
import type { ThresholdSimulation } from '../eval/thresholdSimulator';
import { GoldenStore, withChanges, type GoldenCheck } from '../golden/golden';
import { GoldenGuard, type GoldenFieldNames, type WriteOptions } from '../golden/goldenGuard';
import { UnansweredStore } from '../inbox/unanswered';
import { UnansweredInbox } from '../inbox/unansweredInbox';
import { matcherDefaults, type MatcherOptions } from '../matcher/matcherDefaults';
import type { Overlap } from '../matcher/overlaps';
import type {
  EntryChange,
  EntryFilter,
  EntryVersion,
  ImportSummary,
  KbStore,
  SynonymVersion,
} from '../store/kbStore';
import { KnexKbStore } from '../store/knexKbStore';
import type {
  FaqEntry,
  GoldenQuestion,
  GoldenQuestionStatus,
  MatchResult,
  UnansweredGroup,
  UnansweredQuestion,
} from '../types';
import { assertFollowUpsResolve } from './followUps';
import { LiveMatcher, type RefreshReport } from './liveMatcher';

export { MAX_KEPT_ANSWER_CHARS, MAX_KEPT_CHARS } from '../inbox/unansweredInbox';
export type { GoldenFieldNames, WriteOptions } from '../golden/goldenGuard';
export type { RefreshReport } from './liveMatcher';
export {
  SIMULATED_LOGGED_QUESTIONS,
  type ThresholdRow,
  type ThresholdSimulation,
} from '../eval/thresholdSimulator';

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
 * The FAQ knowledge base as the bot, the routes and the CLI see it: every write goes to the
 * store and to the live matcher at once, so changes answer without a restart (other
 * instances catch up through `refresh()`), and every write is guarded by the golden questions.
 * The parts: LiveMatcher (matcher in step with the store), GoldenGuard, UnansweredInbox and
 * the threshold simulator; this class holds the entry and synonym writes and their rules.
 */
export class KnowledgeBase {
  private readonly live: LiveMatcher;
  private readonly goldenGuard: GoldenGuard;
  private readonly inbox: UnansweredInbox;

  private constructor(
    readonly store: KbStore,
    private readonly matcherOptions: Partial<MatcherOptions>,
    maxIncrementalChanges: number,
    unanswered: UnansweredStore,
    private readonly golden: GoldenStore,
    redact: (text: string) => string,
  ) {
    this.live = new LiveMatcher(store, matcherOptions, maxIncrementalChanges);
    this.inbox = new UnansweredInbox(unanswered, redact, (text, locale) =>
      this.live.matcher.contentWords(text, locale),
    );
    this.goldenGuard = new GoldenGuard({
      golden,
      store,
      matcherOptions,
      match: (query, locale) => this.match(query, locale),
      systemEntries: (inScope) => this.live.systemEntriesWhere(inScope),
      entryExists: async (id, locale) => (await this.get(id, locale)) !== undefined,
    });
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
    await kb.live.reload();
    return kb;
  }

  /** Settles when the matcher's background work (model fits and refits) is done. */
  whenReady(): Promise<void> {
    return this.live.matcher.whenReady();
  }

  /**
   * Ranked candidates for `query` among the enabled entries (and system entries) of `locale`,
   * with the sentence encoder where the locale has one (`FaqMatcher.matchAsync`).
   */
  match(query: string, locale: string, limit?: number): Promise<MatchResult> {
    return this.live.matcher.matchAsync(query, locale, limit);
  }

  /**
   * Keeps a question the bot could not answer directly for the editors' inbox (redacted as
   * configured, cut to `MAX_KEPT_CHARS`).
   */
  recordUnanswered(q: Omit<UnansweredQuestion, 'id' | 'at' | 'answer'>): Promise<void> {
    return this.inbox.record(q);
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
    return this.inbox.recordAgentAnswer(a);
  }

  /** The unanswered inbox: recent questions (of `locale`) grouped by what they ask. */
  unansweredGroups(locale?: string): Promise<UnansweredGroup[]> {
    return this.inbox.groups(locale);
  }

  /** Removes questions from the inbox (handled, or not worth it); returns how many. */
  dismissUnanswered(ids: readonly number[]): Promise<number> {
    return this.inbox.dismiss(ids);
  }

  /** The golden questions (of `locale`), each with what the live bot answers now. */
  goldenQuestions(locale?: string): Promise<GoldenQuestionStatus[]> {
    return this.goldenGuard.questions(locale);
  }

  /**
   * Adds a golden question: from now on a write that stops the bot answering it as it must
   * (`expected`: an entry id of the locale, or null for "no direct answer") is refused.
   */
  addGoldenQuestion(
    question: Pick<GoldenQuestion, 'locale' | 'q' | 'expected'>,
    actor: string,
    names?: GoldenFieldNames,
  ): Promise<GoldenQuestionStatus> {
    return this.goldenGuard.add(question, actor, names);
  }

  /** NotFoundError when there is no golden question `id`. */
  removeGoldenQuestion(id: number): Promise<void> {
    return this.goldenGuard.remove(id);
  }

  /**
   * The threshold simulator: the golden questions (labelled) and the most recent questions of
   * the unanswered inbox (logged) matched once on the live matcher, then replayed at answer
   * thresholds 0.30–0.90 (see thresholdSimulator.ts).
   */
  async simulateThresholds(locale?: string): Promise<ThresholdSimulation> {
    return simulateThresholds({
      golden: await this.golden.list(locale),
      logged: await this.inbox.recent(locale, SIMULATED_LOGGED_QUESTIONS),
      match: (query, l) => this.match(query, l),
      answerThreshold: { ...matcherDefaults, ...this.matcherOptions }.answerThreshold,
    });
  }

  /**
   * Phrasings of the entry (id, locale) that overlap another entry of its locale, system
   * entries included (see overlaps.ts). NotFoundError when no enabled entry has that key.
   */
  overlapsOf(id: string, locale: string): Overlap[] {
    const { matcher } = this.live;
    if (!matcher.indexedPhrasings(id, locale)) {
      throw new NotFoundError(`no enabled entry "${id}" in locale "${locale}"`);
    }
    return matcher.overlaps(locale, [id]);
  }

  /**
   * Entries the bot matches but editors never see (e.g. `__human`, "talk to a person"): kept
   * only in memory, never written, listed or exported. Registering an id again replaces it.
   */
  registerSystemEntries(entries: readonly FaqEntry[]): void {
    this.live.registerSystemEntries(entries);
  }

  /**
   * An entry as the live matcher holds it (stored or system, disabled ones included), without
   * reading the store: what the bot answers from. Other instances' edits arrive with `refresh()`.
   */
  entry(id: string, locale: string): FaqEntry | undefined {
    return this.live.matcher.entry(id, locale) ?? this.live.systemEntry(id, locale);
  }

  /** A stored entry, else a system entry; undefined when neither exists. */
  async get(id: string, locale: string): Promise<FaqEntry | undefined> {
    return (await this.store.get(id, locale)) ?? this.live.systemEntry(id, locale);
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
    await assertFollowUpsResolve(this.store, [entry]);
    await this.goldenGuard.guard([entry.locale], options, {
      entries: (current) => withChanges(current, [entry]),
    });
    const change = await this.store.upsert(entry, actor);
    this.live.upsert(entry);
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
    await this.goldenGuard.guard([locale], options, {
      entries: (current) => current.filter((e) => !(e.id === id && e.locale === locale)),
    });
    await this.store.delete(id, locale, actor);
    this.live.remove(id, locale);
  }

  /**
   * Writes all entries in one transaction or none. Follow-ups may point into the same import
   * or at stored entries. `dryRun` reports what would change and writes nothing. `golden` is
   * the golden check the import passed (absent when forced or no question applies).
   */
  async import(
    entries: readonly FaqEntry[],
    actor: string,
    options: { dryRun?: boolean } & WriteOptions = {},
  ): Promise<ImportSummary & { golden?: GoldenCheck }> {
    await assertFollowUpsResolve(this.store, entries);
    const golden = await this.goldenGuard.guard(
      [...new Set(entries.map((e) => e.locale))],
      options,
      { entries: (current) => withChanges(current, entries) },
    );
    const summary = await this.store.importEntries(entries, actor, options);
    if (!options.dryRun) await this.live.reload();
    return golden ? { ...summary, golden } : summary;
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
      await this.goldenGuard.guard([locale], options, {
        entries: (current) => withChanges(current, [target]),
      });
    }
    const entry = await this.store.restoreVersion(id, locale, version, actor);
    this.live.upsert(entry);
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
    const { matcher } = this.live;
    const loaded = new Set(matcher.semanticLocales);
    return Object.entries(matcher.wordVectorSources).map(([locale, source]) => ({
      locale,
      source,
      loaded: loaded.has(locale),
    }));
  }

  /** Locales that use the sentence encoder and whether it is ready (see FaqMatcher). */
  sentenceEncoderStatus(): { locale: string; ready: boolean }[] {
    return this.live.matcher.sentenceEncoderStatus;
  }

  /** Replaces all synonym groups of a locale; the live matcher re-indexes that locale. */
  async setSynonyms(
    locale: string,
    groups: readonly (readonly string[])[],
    actor: string,
    options: WriteOptions = {},
  ): Promise<void> {
    await this.goldenGuard.guard([locale], options, { synonyms: { locale, groups } });
    await this.store.setSynonyms(locale, groups, actor);
    this.live.setSynonyms(locale, groups);
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
      await this.live.reload();
      return null;
    }
  }

  /**
   * Brings the matcher up to date with the store (changes another instance wrote; this
   * instance's own writes are in the matcher already and are skipped). Cheap when nothing
   * changed: one SELECT. Otherwise it reads the entry changes since the last refresh and
   * applies each like a live edit (~0.3 ms per entry at 25,000 entries), plus any edited
   * synonyms (that locale is re-indexed); it rebuilds the whole matcher only after more than
   * `maxIncrementalChanges` changes, since a rebuild at 25,000 entries blocks the event loop
   * for seconds. When nothing changed, it starts the background refit of the discriminative
   * model of locales edited since their last full fit (`FaqMatcher.refitEdited`), so
   * instances converge on the model a fresh load would fit.
   */
  refresh(): Promise<RefreshReport> {
    return this.live.refresh();
  }
}
