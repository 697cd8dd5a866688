import type { KbStore } from '../../../knowledge/store/kbStore';
import { KnexKbStore } from '../../../knowledge/store/knexKbStore';
import type { FaqEntry } from '../../../knowledge/types';
import { createTestDb, testDialects, type TestDb } from '../../helpers/testDb';

const entry = (id: string, locale = 'en', overrides: Partial<FaqEntry> = {}): FaqEntry => ({
  id,
  locale,
  question: `Question ${id}?`,
  alternates: [`alt ${id}`],
  answer: `Answer **${id}**`,
  tags: ['t'],
  followUps: [],
  enabled: true,
  ...overrides,
});

describe.each(testDialects())('KnexKbStore on %s', (dialect) => {
  let testDb: TestDb;
  let store: KbStore;
  let clock: Date;

  beforeEach(async () => {
    testDb = await createTestDb(dialect);
    clock = new Date('2026-11-23T10:00:00.000Z');
    store = new KnexKbStore(testDb.db, { now: () => clock });
  });
  afterEach(async () => {
    await testDb.destroy();
  });

  it('stores an entry and reads it back unchanged, lists included', async () => {
    const e = entry('a', 'he', {
      alternates: ['א', 'ב|ג'],
      tags: [],
      followUps: [],
      enabled: false,
    });
    expect(await store.upsert(e, 'ann')).toBe('added');
    expect(await store.get('a', 'he')).toEqual(e);
    expect(await store.get('a', 'en')).toBeUndefined();
    expect(await store.count()).toBe(1);
  });

  it('lists by locale and enabled flag, ordered by locale then id', async () => {
    await store.upsert(entry('b'), 'ann');
    await store.upsert(entry('a'), 'ann');
    await store.upsert(entry('a', 'ro', { enabled: false }), 'ann');
    expect((await store.list()).map((e) => `${e.locale}/${e.id}`)).toEqual([
      'en/a',
      'en/b',
      'ro/a',
    ]);
    expect((await store.list({ locale: 'en' })).map((e) => e.id)).toEqual(['a', 'b']);
    expect((await store.list({ enabled: false })).map((e) => e.locale)).toEqual(['ro']);
    expect(await store.list({ locale: 'hu' })).toEqual([]);
  });

  it('reports unchanged and records no version when nothing changed', async () => {
    await store.upsert(entry('a'), 'ann');
    expect(await store.upsert(entry('a'), 'bob')).toBe('unchanged');
    expect(await store.upsert(entry('a', 'en', { answer: 'new' }), 'bob')).toBe('updated');
    expect((await store.listVersions('a', 'en')).map((v) => v.version)).toEqual([2, 1]);
  });

  it('versions every change with who, when, before and after', async () => {
    await store.upsert(entry('a'), 'ann');
    clock = new Date('2026-11-23T11:00:00.000Z');
    await store.upsert(entry('a', 'en', { answer: 'v2' }), 'bob');
    await store.delete('a', 'en', 'cid');
    const [deleted, updated, created] = await store.listVersions('a', 'en');
    expect(created).toMatchObject({ version: 1, action: 'create', actor: 'ann', before: null });
    expect(created?.after).toEqual(entry('a'));
    expect(updated).toMatchObject({
      version: 2,
      action: 'update',
      actor: 'bob',
      at: '2026-11-23T11:00:00.000Z',
    });
    expect(updated?.before?.answer).toBe('Answer **a**');
    expect(updated?.after?.answer).toBe('v2');
    expect(deleted).toMatchObject({ version: 3, action: 'delete', actor: 'cid', after: null });
    expect(await store.get('a', 'en')).toBeUndefined();
  });

  it('restores an old version, even of a deleted entry, as a new version', async () => {
    await store.upsert(entry('a'), 'ann');
    await store.upsert(entry('a', 'en', { answer: 'v2' }), 'ann');
    await store.delete('a', 'en', 'ann');
    const restored = await store.restoreVersion('a', 'en', 1, 'bob');
    expect(restored).toEqual(entry('a'));
    expect(await store.get('a', 'en')).toEqual(entry('a'));
    expect((await store.listVersions('a', 'en'))[0]).toMatchObject({
      version: 4,
      action: 'restore',
      actor: 'bob',
    });
  });

  it('refuses to restore a deletion or an unknown version', async () => {
    await store.upsert(entry('a'), 'ann');
    await store.delete('a', 'en', 'ann');
    await expect(store.restoreVersion('a', 'en', 2, 'bob')).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(store.restoreVersion('a', 'en', 9, 'bob')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('throws not_found when deleting an entry that does not exist', async () => {
    await expect(store.delete('nope', 'en', 'ann')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('imports all entries and reports added, updated and unchanged', async () => {
    await store.upsert(entry('a'), 'ann');
    await store.upsert(entry('b'), 'ann');
    const summary = await store.importEntries(
      [entry('a'), entry('b', 'en', { answer: 'changed' }), entry('c'), entry('c', 'ro')],
      'importer',
    );
    expect(summary).toEqual({ added: 2, updated: 1, unchanged: 1 });
    expect(await store.count()).toBe(4);
    expect((await store.listVersions('c', 'ro'))[0]).toMatchObject({
      actor: 'importer',
      action: 'create',
    });
  });

  it('writes nothing on a dry run but still reports the summary', async () => {
    await store.upsert(entry('a'), 'ann');
    const before = await store.revision();
    const summary = await store.importEntries(
      [entry('a', 'en', { answer: 'x' }), entry('b')],
      'imp',
      {
        dryRun: true,
      },
    );
    expect(summary).toEqual({ added: 1, updated: 1, unchanged: 0 });
    expect(await store.list()).toEqual([entry('a')]);
    expect(await store.revision()).toBe(before);
  });

  it('imports all-or-nothing: a failing entry rolls back the whole import', async () => {
    // The store trusts its callers (validation is at the edges); a NOT NULL violation in the
    // database is the failure both dialects agree on.
    const broken = { ...entry('b'), question: null } as unknown as FaqEntry;
    await expect(store.importEntries([entry('a'), broken], 'imp')).rejects.toBeDefined();
    expect(await store.count()).toBe(0);
    expect(await store.listVersions('a', 'en')).toEqual([]);
  });

  it('rejects duplicate (id, locale) pairs in one import', async () => {
    await expect(store.importEntries([entry('a'), entry('a')], 'imp')).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(await store.count()).toBe(0);
  });

  it('keeps synonyms per locale and replaces them as a whole', async () => {
    expect(await store.getSynonyms('en')).toEqual([]);
    await store.setSynonyms('en', [['refund', 'money back']], 'ann');
    await store.setSynonyms('ro', [['rambursare', 'bani înapoi']], 'ann');
    await store.setSynonyms('en', [['agent', 'human', 'person']], 'ann');
    expect(await store.getSynonyms('en')).toEqual([['agent', 'human', 'person']]);
    expect(await store.listSynonyms()).toEqual([
      { locale: 'en', groups: [['agent', 'human', 'person']] },
      { locale: 'ro', groups: [['rambursare', 'bani înapoi']] },
    ]);
  });

  it('versions every synonym edit per locale: who, when, before and after', async () => {
    await store.setSynonyms('en', [['refund', 'money back']], 'ann');
    clock = new Date('2026-11-23T11:00:00.000Z');
    await store.setSynonyms('he', [['החזר', 'זיכוי']], 'dan');
    await store.setSynonyms('en', [['refund', 'money back', 'reimbursement']], 'bob');
    const revision = await store.revision();
    await store.setSynonyms('en', [['refund', 'money back', 'reimbursement']], 'eve'); // same
    expect(await store.revision()).toBe(revision);
    expect(await store.listSynonymVersions('en')).toEqual([
      {
        locale: 'en',
        version: 2,
        actor: 'bob',
        at: '2026-11-23T11:00:00.000Z',
        before: [['refund', 'money back']],
        after: [['refund', 'money back', 'reimbursement']],
      },
      {
        locale: 'en',
        version: 1,
        actor: 'ann',
        at: '2026-11-23T10:00:00.000Z',
        before: null,
        after: [['refund', 'money back']],
      },
    ]);
    expect((await store.listSynonymVersions('he')).map((v) => [v.version, v.after])).toEqual([
      [1, [['החזר', 'זיכוי']]],
    ]);
    expect(await store.listSynonymVersions('ro')).toEqual([]);
  });

  it('moves the revision on every write and only then', async () => {
    const r0 = await store.revision();
    await store.upsert(entry('a'), 'ann');
    const r1 = await store.revision();
    expect(r1).toBeGreaterThan(r0);
    expect(await store.revision()).toBe(r1);
    await store.setSynonyms('en', [['a', 'b']], 'ann');
    const r2 = await store.revision();
    expect(r2).toBeGreaterThan(r1);
    await store.delete('a', 'en', 'ann');
    expect(await store.revision()).toBeGreaterThan(r2);
  });

  it('sees writes made by another store instance on the same database', async () => {
    const other = new KnexKbStore(testDb.db);
    const before = await store.revision();
    await other.upsert(entry('z'), 'elsewhere');
    expect(await store.revision()).not.toBe(before);
    expect(await store.get('z', 'en')).toEqual(entry('z'));
  });

  it('lists entry changes after a position, oldest first, with the entry as each left it', async () => {
    expect(await store.lastChangeSeq()).toBe(0);
    await store.upsert(entry('a'), 'ann');
    const start = await store.lastChangeSeq();
    expect(start).toBeGreaterThan(0);
    await store.upsert({ ...entry('a'), answer: 'changed' }, 'ann');
    await store.upsert(entry('a', 'en', { answer: 'changed' }), 'ann'); // unchanged: no change recorded
    await store.importEntries([entry('b'), entry('c')], 'bob');
    await store.setSynonyms('en', [['a', 'b']], 'ann'); // not an entry change
    await store.delete('b', 'en', 'ann');
    const changes = await store.changesSince(start, 100);
    expect(changes.map((c) => [c.id, c.after?.answer ?? null])).toEqual([
      ['a', 'changed'],
      ['b', 'Answer **b**'],
      ['c', 'Answer **c**'],
      ['b', null],
    ]);
    const seqs = changes.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(await store.lastChangeSeq()).toBe(seqs[seqs.length - 1]);
    expect(await store.changesSince(start, 2)).toEqual(changes.slice(0, 2));
    expect(await store.changesSince(seqs[seqs.length - 1]!, 100)).toEqual([]);
  });
});
