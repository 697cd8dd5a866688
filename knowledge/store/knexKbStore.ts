import type { Knex } from 'knex';
import { z } from 'zod';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import { canonicalFaqEntry } from './faqFile';
import type {
  EntryChange,
  EntryChangeRecord,
  EntryFilter,
  EntryVersion,
  ImportSummary,
  KbStore,
  SynonymVersion,
  VersionAction,
} from './kbStore';
import { entryKey as keyOf, type FaqEntry } from '../types';

const stringList = z.array(z.string());
const entrySnapshot = z.object({
  id: z.string(),
  locale: z.string(),
  question: z.string(),
  alternates: stringList,
  answer: z.string(),
  tags: stringList,
  followUps: stringList,
  enabled: z.boolean(),
});

interface EntryRow {
  id: string;
  locale: string;
  question: string;
  alternates: string;
  answer: string;
  tags: string;
  follow_ups: string;
  enabled: boolean | number;
  version: number;
  updated_at: string;
  updated_by: string;
}

interface VersionRow {
  entry_id: string;
  locale: string;
  version: number;
  action: string;
  actor: string;
  at: string;
  before: string | null;
  after: string | null;
}

const fromRow = (row: EntryRow): FaqEntry => ({
  id: row.id,
  locale: row.locale,
  question: row.question,
  alternates: stringList.parse(JSON.parse(row.alternates)),
  answer: row.answer,
  tags: stringList.parse(JSON.parse(row.tags)),
  followUps: stringList.parse(JSON.parse(row.follow_ups)),
  enabled: Boolean(row.enabled),
});

const snapshotOf = (e: FaqEntry): string => JSON.stringify(canonicalFaqEntry(e));

const parseSnapshot = (text: string | null): FaqEntry | null =>
  text === null ? null : entrySnapshot.parse(JSON.parse(text));

const versionFromRow = (row: VersionRow): EntryVersion => ({
  id: row.entry_id,
  locale: row.locale,
  version: Number(row.version),
  action: z.enum(['create', 'update', 'delete', 'restore']).parse(row.action),
  actor: row.actor,
  at: row.at,
  before: parseSnapshot(row.before),
  after: parseSnapshot(row.after),
});

const localesOf = (keys: ReadonlyArray<{ locale: string }>): string[] => [
  ...new Set(keys.map((k) => k.locale)),
];

/** Thrown inside a dry-run transaction so knex rolls it back; carries the summary out. */
class DryRunRollback extends Error {
  constructor(readonly summary: ImportSummary) {
    super('dry run');
  }
}

/** KbStore on knex; the same SQL runs on SQLite and PostgreSQL. */
export class KnexKbStore implements KbStore {
  private readonly now: () => Date;

  constructor(
    private readonly db: Knex,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async list(filter: EntryFilter = {}): Promise<FaqEntry[]> {
    const query = this.db<EntryRow>('kb_entries').orderBy([{ column: 'locale' }, { column: 'id' }]);
    if (filter.locale !== undefined) void query.where('locale', filter.locale);
    if (filter.enabled !== undefined) void query.where('enabled', filter.enabled);
    const rows = await query;
    return rows.map(fromRow);
  }

  async count(): Promise<number> {
    const row = await this.db('kb_entries').count<{ n: number | string }[]>({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }

  async get(id: string, locale: string): Promise<FaqEntry | undefined> {
    const row = await this.db<EntryRow>('kb_entries').where({ id, locale }).first();
    return row ? fromRow(row) : undefined;
  }

  async upsert(entry: FaqEntry, actor: string): Promise<EntryChange> {
    return this.db.transaction(async (trx) => {
      await this.bumpRevision(trx);
      return changeOf(await this.writeEntries(trx, [entry], actor));
    });
  }

  async delete(id: string, locale: string, actor: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      await this.bumpRevision(trx);
      const [current] = (await this.currentRows(trx, [{ id, locale }])).map(fromRow);
      if (!current) throw new NotFoundError(`No entry "${id}" in locale "${locale}"`);
      await trx('kb_entries').where({ id, locale }).delete();
      const last = (await this.lastVersions(trx, [current])).get(keyOf(id, locale)) ?? 0;
      await trx('kb_entry_versions').insert(
        this.versionRow(current, last + 1, 'delete', actor, current, null),
      );
    });
  }

  async importEntries(
    entries: readonly FaqEntry[],
    actor: string,
    options: { dryRun?: boolean } = {},
  ): Promise<ImportSummary> {
    assertUniqueKeys(entries);
    try {
      return await this.db.transaction(async (trx) => {
        await this.bumpRevision(trx);
        const summary = await this.writeEntries(trx, entries, actor);
        if (options.dryRun) throw new DryRunRollback(summary);
        return summary;
      });
    } catch (err) {
      if (err instanceof DryRunRollback) return err.summary;
      throw err;
    }
  }

  async listVersions(id: string, locale: string): Promise<EntryVersion[]> {
    const rows = await this.db<VersionRow>('kb_entry_versions')
      .where({ entry_id: id, locale })
      .orderBy('version', 'desc');
    return rows.map(versionFromRow);
  }

  async restoreVersion(
    id: string,
    locale: string,
    version: number,
    actor: string,
  ): Promise<FaqEntry> {
    return this.db.transaction(async (trx) => {
      const row = await trx<VersionRow>('kb_entry_versions')
        .where({ entry_id: id, locale, version })
        .first();
      if (!row) throw new NotFoundError(`Entry "${id}" (${locale}) has no version ${version}`);
      const target = versionFromRow(row).after;
      if (!target) {
        throw new ConflictError(
          `Version ${version} of "${id}" (${locale}) is a deletion — restore an earlier version`,
        );
      }
      await this.bumpRevision(trx);
      await this.writeEntries(trx, [target], actor, 'restore');
      return target;
    });
  }

  async getSynonyms(locale: string): Promise<string[][]> {
    const row = await this.db('kb_synonyms').where({ locale }).first<{ groups: string }>();
    return row ? z.array(stringList).parse(JSON.parse(row.groups)) : [];
  }

  async listSynonyms(): Promise<Array<{ locale: string; groups: string[][] }>> {
    const rows = await this.db('kb_synonyms')
      .select<{ locale: string; groups: string }[]>('locale', 'groups')
      .orderBy('locale');
    return rows.map((r) => ({
      locale: r.locale,
      groups: z.array(stringList).parse(JSON.parse(r.groups)),
    }));
  }

  async setSynonyms(
    locale: string,
    groups: readonly (readonly string[])[],
    actor: string,
  ): Promise<void> {
    const after = JSON.stringify(groups);
    await this.db.transaction(async (trx) => {
      const current = await trx('kb_synonyms').where({ locale }).first<{ groups: string }>();
      if (current?.groups === after) return;
      const at = this.now().toISOString();
      await this.bumpRevision(trx);
      await trx('kb_synonyms')
        .insert({ locale, groups: after, updated_at: at, updated_by: actor })
        .onConflict('locale')
        .merge();
      const last = await trx('kb_synonym_versions')
        .where({ locale })
        .max<{ version: number | string | null }>({ version: 'version' })
        .first();
      await trx('kb_synonym_versions').insert({
        locale,
        version: Number(last?.version ?? 0) + 1,
        actor,
        at,
        before: current?.groups ?? null,
        after,
      });
    });
  }

  async listSynonymVersions(locale: string): Promise<SynonymVersion[]> {
    const rows = await this.db('kb_synonym_versions')
      .where({ locale })
      .orderBy('version', 'desc')
      .select<
        {
          locale: string;
          version: number | string;
          actor: string;
          at: string;
          before: string | null;
          after: string;
        }[]
      >('*');
    const groupsOf = (text: string) => z.array(stringList).parse(JSON.parse(text));
    return rows.map((r) => ({
      locale: r.locale,
      version: Number(r.version),
      actor: r.actor,
      at: r.at,
      before: r.before === null ? null : groupsOf(r.before),
      after: groupsOf(r.after),
    }));
  }

  async revision(): Promise<number> {
    const row = await this.db('kb_revision').where({ id: 1 }).first<{ value: number | string }>();
    return Number(row?.value ?? 0);
  }

  async lastChangeSeq(): Promise<number> {
    const row = await this.db('kb_entry_versions').max<{ seq: number | string | null }>({
      seq: 'seq',
    });
    return Number((Array.isArray(row) ? row[0] : row)?.seq ?? 0);
  }

  async changesSince(seq: number, limit: number): Promise<EntryChangeRecord[]> {
    const rows = await this.db<VersionRow & { seq: number | string }>('kb_entry_versions')
      .where('seq', '>', seq)
      .orderBy('seq')
      .limit(limit)
      .select('seq', 'entry_id', 'locale', 'after');
    return rows.map((row) => ({
      seq: Number(row.seq),
      id: row.entry_id,
      locale: row.locale,
      after: parseSnapshot(row.after),
    }));
  }

  // Bumped first in every write transaction: on PostgreSQL the row lock also serialises
  // concurrent KB writers, so version numbers never race.
  private async bumpRevision(trx: Knex.Transaction): Promise<void> {
    await trx('kb_revision')
      .where({ id: 1 })
      .update({ value: trx.raw('value + 1') });
  }

  // Batched: one read of the current rows and of the last versions, then bulk inserts, so a
  // large import costs a handful of round trips rather than several per entry.
  private async writeEntries(
    trx: Knex.Transaction,
    entries: readonly FaqEntry[],
    actor: string,
    action?: 'restore',
  ): Promise<ImportSummary> {
    const rows = await this.currentRows(trx, entries);
    const existing = new Map(rows.map((r) => [keyOf(r.id, r.locale), fromRow(r)]));
    const lastVersions = await this.lastVersions(trx, entries);
    const summary: ImportSummary = { added: 0, updated: 0, unchanged: 0 };
    const versionRows: object[] = [];
    const newRows: object[] = [];
    for (const entry of entries) {
      const key = keyOf(entry.id, entry.locale);
      const current = existing.get(key);
      if (current && snapshotOf(current) === snapshotOf(entry)) {
        summary.unchanged += 1;
        continue;
      }
      const version = (lastVersions.get(key) ?? 0) + 1;
      const kind = action ?? (current ? 'update' : 'create');
      versionRows.push(this.versionRow(entry, version, kind, actor, current ?? null, entry));
      const row = this.entryRow(entry, version, actor);
      if (current)
        await trx('kb_entries').where({ id: entry.id, locale: entry.locale }).update(row);
      else newRows.push(row);
      summary[current ? 'updated' : 'added'] += 1;
    }
    await trx.batchInsert('kb_entries', newRows, 50);
    await trx.batchInsert('kb_entry_versions', versionRows, 50);
    return summary;
  }

  /** Current rows for these keys: exact for one key, by locale for a batch. */
  private currentRows(
    trx: Knex.Transaction,
    keys: ReadonlyArray<{ id: string; locale: string }>,
  ): Promise<EntryRow[]> {
    const [only] = keys;
    const query = trx<EntryRow>('kb_entries');
    if (keys.length === 1 && only) return query.where({ id: only.id, locale: only.locale });
    return query.whereIn('locale', localesOf(keys));
  }

  private async lastVersions(
    trx: Knex.Transaction,
    keys: ReadonlyArray<{ id: string; locale: string }>,
  ): Promise<Map<string, number>> {
    const [only] = keys;
    const query = trx('kb_entry_versions');
    if (keys.length === 1 && only) void query.where({ entry_id: only.id, locale: only.locale });
    else void query.whereIn('locale', localesOf(keys));
    const rows = await query
      .groupBy('entry_id', 'locale')
      .select('entry_id', 'locale')
      .max<Array<{ entry_id: string; locale: string; v: number | string }>>({ v: 'version' });
    return new Map(rows.map((r) => [keyOf(r.entry_id, r.locale), Number(r.v)]));
  }

  private entryRow(entry: FaqEntry, version: number, actor: string): object {
    return {
      id: entry.id,
      locale: entry.locale,
      question: entry.question,
      alternates: JSON.stringify(entry.alternates),
      answer: entry.answer,
      tags: JSON.stringify(entry.tags),
      follow_ups: JSON.stringify(entry.followUps),
      enabled: entry.enabled,
      version,
      updated_at: this.now().toISOString(),
      updated_by: actor,
    };
  }

  private versionRow(
    key: { id: string; locale: string },
    version: number,
    action: VersionAction,
    actor: string,
    before: FaqEntry | null,
    after: FaqEntry | null,
  ): object {
    return {
      entry_id: key.id,
      locale: key.locale,
      version,
      action,
      actor,
      at: this.now().toISOString(),
      before: before && snapshotOf(before),
      after: after && snapshotOf(after),
    };
  }
}

const changeOf = (summary: ImportSummary): EntryChange =>
  summary.added ? 'added' : summary.updated ? 'updated' : 'unchanged';

function assertUniqueKeys(entries: readonly FaqEntry[]): void {
  const seen = new Set<string>();
  for (const [index, e] of entries.entries()) {
    const key = keyOf(e.id, e.locale);
    if (seen.has(key)) {
      throw new InvalidInputError(
        `Entry ${index + 1}: id "${e.id}" appears twice for locale "${e.locale}" — ids must be unique per locale`,
        [{ line: 0, field: 'id', message: `duplicate id "${e.id}" for locale "${e.locale}"` }],
      );
    }
    seen.add(key);
  }
}
