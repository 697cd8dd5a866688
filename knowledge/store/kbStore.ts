import type { FaqEntry, SynonymVersion } from '../types';

export type { SynonymVersion } from '../types';

export type EntryChange = 'added' | 'updated' | 'unchanged';
export type VersionAction = 'create' | 'update' | 'delete' | 'restore';

export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
}

/** One recorded change of an entry: who, when, and the entry before and after it. */
export interface EntryVersion {
  id: string;
  locale: string;
  /** 1 for the first change of (id, locale), then +1 per change, kept across deletes. */
  version: number;
  action: VersionAction;
  actor: string;
  /** ISO-8601. */
  at: string;
  /** null when the entry did not exist before (create). */
  before: FaqEntry | null;
  /** null when the change removed the entry (delete). */
  after: FaqEntry | null;
}

/** An entry as some write left it: `after` is null when that write deleted it. */
export interface EntryChangeRecord {
  /** Position in the store's change log; grows with every recorded change. */
  seq: number;
  id: string;
  locale: string;
  after: FaqEntry | null;
}

export interface EntryFilter {
  locale?: string;
  enabled?: boolean;
}

/** Persistence of the FAQ entries, their versions and per-locale synonyms. */
export interface KbStore {
  /** Entries ordered by locale then id; an empty array when none match. */
  list(filter?: EntryFilter): Promise<FaqEntry[]>;
  count(): Promise<number>;
  /** undefined when (id, locale) does not exist. */
  get(id: string, locale: string): Promise<FaqEntry | undefined>;
  /** Creates or replaces; records a version unless the entry is unchanged. */
  upsert(entry: FaqEntry, actor: string): Promise<EntryChange>;
  /** Throws NotFoundError when (id, locale) does not exist. */
  delete(id: string, locale: string, actor: string): Promise<void>;
  /**
   * Upserts every entry in one transaction: either all are written or none. With `dryRun`
   * the transaction is rolled back and only the summary is returned. Duplicate (id, locale)
   * pairs are an InvalidInputError.
   */
  importEntries(
    entries: readonly FaqEntry[],
    actor: string,
    options?: { dryRun?: boolean },
  ): Promise<ImportSummary>;
  /** Newest first; empty when the entry never existed. */
  listVersions(id: string, locale: string): Promise<EntryVersion[]>;
  /**
   * Makes the entry what it was right after `version` (also undeletes). NotFoundError for an
   * unknown version; ConflictError when that version was a deletion.
   */
  restoreVersion(id: string, locale: string, version: number, actor: string): Promise<FaqEntry>;
  /** Groups of interchangeable words; [] for a locale without synonyms. */
  getSynonyms(locale: string): Promise<string[][]>;
  listSynonyms(): Promise<Array<{ locale: string; groups: string[][] }>>;
  /** Replaces a locale's groups; records a version unless they are unchanged. */
  setSynonyms(locale: string, groups: readonly (readonly string[])[], actor: string): Promise<void>;
  /** Newest first; empty when the locale's synonyms were never edited. */
  listSynonymVersions(locale: string): Promise<SynonymVersion[]>;
  /** Grows with every write; compare two readings to learn whether anything changed. */
  revision(): Promise<number>;
  /** The `seq` of the last recorded entry change (0 when none): where a reader is now. */
  lastChangeSeq(): Promise<number>;
  /**
   * Entry changes recorded after `seq`, oldest first, at most `limit` of them (a reader that
   * gets `limit` asks again or reloads). Writers are serialised (the revision row), so a change
   * committed later never gets a smaller `seq` than one already read. Synonym edits are not
   * entry changes: they bump `revision` only.
   */
  changesSince(seq: number, limit: number): Promise<EntryChangeRecord[]>;
}
