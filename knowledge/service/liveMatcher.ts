import { canonicalFaqEntry } from '../store/faqFile';
import { FaqMatcher } from '../matcher/faqMatcher';
import type { MatcherOptions } from '../matcher/matcherDefaults';
import type { EntryChangeRecord, KbStore } from '../store/kbStore';
import { entryKey as keyOf, type FaqEntry } from '../types';

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

/**
 * The matcher the bot answers with, kept in step with the store: this instance's writes are
 * applied at once, other instances' through `refresh()` (the store's change log). System
 * entries (never stored) live here too, under any stored entry of the same key.
 */
export class LiveMatcher {
  private current: FaqMatcher;
  private readonly systemEntries = new Map<string, FaqEntry>();
  /** Store revision and change-log position the matcher reflects; synonyms it was given. */
  private loadedRevision = -1;
  private loadedSeq = 0;
  private readonly loadedSynonyms = new Map<string, string>();
  private refreshing: Promise<RefreshReport> | undefined;

  constructor(
    private readonly store: KbStore,
    private readonly options: Partial<MatcherOptions>,
    /** Entry changes applied one by one at most; past it `refresh()` reloads. */
    private readonly maxIncrementalChanges: number,
  ) {
    this.current = new FaqMatcher(options);
  }

  /** The matcher now (a reload swaps in a new one). */
  get matcher(): FaqMatcher {
    return this.current;
  }

  /** System entries of the locales `inScope` accepts. */
  systemEntriesWhere(inScope: (entry: FaqEntry) => boolean): FaqEntry[] {
    return [...this.systemEntries.values()].filter(inScope);
  }

  systemEntry(id: string, locale: string): FaqEntry | undefined {
    return this.systemEntries.get(keyOf(id, locale));
  }

  /** See KnowledgeBase.registerSystemEntries. */
  registerSystemEntries(entries: readonly FaqEntry[]): void {
    for (const entry of entries) {
      this.systemEntries.set(keyOf(entry.id, entry.locale), entry);
      this.current.upsert(entry);
    }
    void this.current.warmEncoders(); // a locale may be new
  }

  upsert(entry: FaqEntry): void {
    this.current.upsert(entry);
  }

  /** Removes a stored entry; a system entry of the same key answers again. */
  remove(id: string, locale: string): void {
    this.current.remove(id, locale);
    this.reAddSystemEntry(id, locale);
  }

  setSynonyms(locale: string, groups: readonly (readonly string[])[]): void {
    this.current.setSynonyms(locale, groups);
    this.loadedSynonyms.set(locale, JSON.stringify(groups));
    void this.current.warmEncoders(); // the locale was re-indexed
  }

  /** See KnowledgeBase.refresh. */
  refresh(): Promise<RefreshReport> {
    // One at a time: the timer may fire again while a slow refresh (a reload) still runs.
    this.refreshing ??= this.catchUp().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Loads every stored entry and synonym into a new matcher and swaps it in. */
  async reload(): Promise<void> {
    // Revision, then change-log position, then the data: a write landing in between is both
    // in the data and after these marks, so the next refresh applies it again (harmlessly).
    const revision = await this.store.revision();
    const seq = await this.store.lastChangeSeq();
    const [entries, synonyms] = await Promise.all([this.store.list(), this.store.listSynonyms()]);
    // Build a fresh matcher and swap it in: matches never see a half-loaded index, and
    // synonyms set before load() index each locale once instead of twice.
    const next = new FaqMatcher(this.options);
    this.loadedSynonyms.clear();
    for (const { locale, groups } of synonyms) {
      next.setSynonyms(locale, groups);
      this.loadedSynonyms.set(locale, JSON.stringify(groups));
    }
    next.load([...entries, ...this.systemEntries.values()]);
    this.current = next;
    void next.warmEncoders();
    this.loadedRevision = revision;
    this.loadedSeq = seq;
  }

  private async catchUp(): Promise<RefreshReport> {
    // Revision first: a write landing after this read bumps it again, so the next refresh
    // looks again and no change is ever missed (applying one twice is harmless).
    const revision = await this.store.revision();
    if (revision === this.loadedRevision) {
      // A quiet moment: refit the model of locales edited entry by entry (in the background).
      void this.current.refitEdited();
      return { applied: 'none', changes: 0 };
    }
    const changes = await this.store.changesSince(this.loadedSeq, this.maxIncrementalChanges + 1);
    if (changes.length > this.maxIncrementalChanges) {
      await this.reload();
      return { applied: 'reload', changes: 0 };
    }
    for (const { locale, groups } of await this.store.listSynonyms()) {
      if (this.loadedSynonyms.get(locale) !== JSON.stringify(groups)) {
        this.setSynonyms(locale, groups);
      }
    }
    for (const change of latestPerEntry(changes)) this.applyChange(change);
    this.loadedSeq = changes[changes.length - 1]?.seq ?? this.loadedSeq;
    this.loadedRevision = revision;
    return { applied: 'changes', changes: changes.length };
  }

  /** One entry's latest state into the live matcher, unless it is there already. */
  private applyChange({ id, locale, after }: EntryChangeRecord): void {
    const current = this.current.entry(id, locale);
    if (after) {
      if (!current || !sameEntry(current, after)) this.current.upsert(after);
      return;
    }
    if (current && current !== this.systemEntries.get(keyOf(id, locale))) {
      this.remove(id, locale);
    }
  }

  private reAddSystemEntry(id: string, locale: string): void {
    const system = this.systemEntries.get(keyOf(id, locale));
    if (system) this.current.upsert(system);
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
