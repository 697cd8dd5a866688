import { createDb } from '../../../bot/infrastructure/db';
import { KnowledgeBase } from '../../../knowledge/service/knowledgeBase';
import { loadSampleKb } from '../../../knowledge/sampleKb';
import type { FaqEntry } from '../../../knowledge/types';
import { createTestDb, testDialects, type TestDb } from '../../helpers/testDb';

const entry = (id: string, question: string, overrides: Partial<FaqEntry> = {}): FaqEntry => ({
  id,
  locale: 'en',
  question,
  alternates: [],
  answer: `About ${id}`,
  tags: [],
  followUps: [],
  enabled: true,
  ...overrides,
});

const hours = entry('hours', 'When are you open?', { alternates: ['opening hours'] });
const refund = entry('refund', 'How do refunds work?', { alternates: ['can I get my money back'] });
const human = entry('__human', 'talk to a human', { alternates: ['agent', 'real person'] });

const topId = async (kb: KnowledgeBase, q: string, locale = 'en') =>
  (await kb.match(q, locale)).candidates[0]?.id;

describe.each(testDialects())('KnowledgeBase on %s', (dialect) => {
  let testDb: TestDb;
  let kb: KnowledgeBase;

  beforeEach(async () => {
    testDb = await createTestDb(dialect);
    kb = await KnowledgeBase.open(testDb.db);
    await kb.import([hours, refund], 'ann');
  });
  afterEach(async () => {
    await testDb.destroy();
  });

  it('matches what is stored, from a fresh open', async () => {
    const reopened = await KnowledgeBase.open(testDb.db);
    expect(await reopened.match('what are your opening hours', 'en')).toMatchObject({
      band: 'answer',
      candidates: [expect.objectContaining({ id: 'hours' })],
    });
  });

  it('answers edits at once, without a reload', async () => {
    await kb.upsert(entry('parking', 'Where can I park my car?'), 'ann');
    expect(await topId(kb, 'where do I park the car')).toBe('parking');
    await kb.upsert({ ...refund, enabled: false }, 'ann');
    expect(await topId(kb, 'how do refunds work')).not.toBe('refund');
    await kb.delete('parking', 'en', 'ann');
    expect(await topId(kb, 'where do I park the car')).not.toBe('parking');
  });

  it('creates only new entries', async () => {
    await expect(kb.create(hours, 'ann')).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses follow-ups that lead nowhere, and deleting an entry others link to', async () => {
    await expect(
      kb.upsert(entry('x', 'X?', { followUps: ['missing'] }), 'ann'),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await kb.upsert(entry('x', 'X?', { followUps: ['hours'] }), 'ann');
    await expect(kb.delete('hours', 'en', 'ann')).rejects.toMatchObject({ code: 'conflict' });
    await expect(kb.delete('nope', 'en', 'ann')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('imports all-or-nothing: one bad follow-up leaves the KB as it was', async () => {
    const batch = [
      entry('a', 'A?', { followUps: ['b'] }),
      entry('b', 'B?'),
      entry('c', 'C?', { followUps: ['zz'] }),
    ];
    await expect(kb.import(batch, 'ann')).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await kb.list()).map((e) => e.id)).toEqual(['hours', 'refund']);
  });

  it('keeps system entries in the matcher only: matched, fetched, never listed or stored', async () => {
    kb.registerSystemEntries([human]);
    expect(await topId(kb, 'I want a real person')).toBe('__human');
    expect(await kb.get('__human', 'en')).toEqual(human);
    expect(await kb.getStored('__human', 'en')).toBeUndefined();
    expect((await kb.list()).map((e) => e.id)).toEqual(['hours', 'refund']);
    await kb.import([entry('other', 'Other?')], 'ann'); // reloads the matcher
    expect(await topId(kb, 'I want a real person')).toBe('__human');
  });

  it('applies synonyms to the live matcher and keeps them across reloads', async () => {
    expect(await topId(kb, 'reimbursement')).not.toBe('refund');
    await kb.setSynonyms('en', [['refund', 'reimbursement']], 'ann');
    expect(await topId(kb, 'reimbursement')).toBe('refund');
    expect(await kb.getSynonyms('en')).toEqual([['refund', 'reimbursement']]);
    const reopened = await KnowledgeBase.open(testDb.db);
    expect(await topId(reopened, 'reimbursement')).toBe('refund');
  });

  it('restores a version into the live matcher', async () => {
    await kb.upsert({ ...refund, question: 'Shipping costs?', alternates: [] }, 'bob');
    const [latest, first] = await kb.listVersions('refund', 'en');
    expect(latest).toMatchObject({ version: 2, actor: 'bob' });
    await kb.restoreVersion('refund', 'en', first!.version, 'cid');
    expect(await topId(kb, 'how do refunds work')).toBe('refund');
  });

  it('picks up changes another instance made when refreshed, one entry at a time', async () => {
    const otherDb = createDb(testDb.settings);
    try {
      const other = await KnowledgeBase.open(otherDb);
      expect(await other.refresh()).toEqual({ applied: 'none', changes: 0 });
      await kb.upsert(entry('parking', 'Where can I park my car?'), 'ann');
      expect(await topId(other, 'where do I park the car')).not.toBe('parking');
      expect(await other.refresh()).toEqual({ applied: 'changes', changes: 1 });
      expect(await topId(other, 'where do I park the car')).toBe('parking');
      expect(await other.refresh()).toEqual({ applied: 'none', changes: 0 });

      // Edits, a disable, a delete, a restore and synonyms, all in one refresh.
      await kb.upsert({ ...hours, alternates: ['opening hours', 'business hours'] }, 'ann');
      await kb.upsert({ ...refund, enabled: false }, 'ann');
      await kb.delete('parking', 'en', 'ann');
      await kb.setSynonyms('en', [['hours', 'timetable']], 'ann');
      expect(await other.refresh()).toMatchObject({ applied: 'changes', changes: 3 });
      expect(await topId(other, 'where do I park the car')).not.toBe('parking');
      expect(await topId(other, 'how do refunds work')).not.toBe('refund');
      expect(await topId(other, 'timetable')).toBe('hours');
      const [, disabled] = await kb.listVersions('refund', 'en');
      await kb.restoreVersion('refund', 'en', disabled!.version, 'bob');
      expect(await other.refresh()).toMatchObject({ applied: 'changes', changes: 1 });
      expect(await topId(other, 'how do refunds work')).toBe('refund');
      // Once quiet, each instance refits the model of the edited locale: they answer alike.
      expect(await kb.refresh()).toMatchObject({ applied: 'changes' }); // its own writes
      expect(await kb.refresh()).toMatchObject({ applied: 'none' });
      expect(await other.refresh()).toMatchObject({ applied: 'none' });
      await Promise.all([kb.whenReady(), other.whenReady()]);
      for (const q of ['business hours', 'can I get my money back', 'timetable', 'park']) {
        expect(await other.match(q, 'en')).toEqual(await kb.match(q, 'en'));
      }
    } finally {
      await otherDb.destroy();
    }
  });

  it('skips its own writes on refresh: they are in the matcher already', async () => {
    await kb.upsert(entry('parking', 'Where can I park my car?'), 'ann');
    const before = await kb.match('where do I park the car', 'en');
    expect(await kb.refresh()).toEqual({ applied: 'changes', changes: 1 });
    expect(await kb.match('where do I park the car', 'en')).toEqual(before);
    expect(await kb.refresh()).toEqual({ applied: 'none', changes: 0 });
  });

  it('rebuilds instead after more changes than maxIncrementalChanges', async () => {
    const otherDb = createDb(testDb.settings);
    try {
      const other = await KnowledgeBase.open(otherDb, { maxIncrementalChanges: 2 });
      await kb.import(
        [
          entry('parking', 'Where can I park my car?'),
          entry('wifi', 'Is there free wifi?'),
          entry('pets', 'Can I bring my dog?'),
        ],
        'ann',
      );
      expect(await other.refresh()).toEqual({ applied: 'reload', changes: 0 });
      expect(await topId(other, 'can I bring my dog')).toBe('pets');
      expect(await other.refresh()).toEqual({ applied: 'none', changes: 0 });
      await kb.upsert(entry('wifi', 'Is there free wifi?', { alternates: ['internet'] }), 'ann');
      expect(await other.refresh()).toEqual({ applied: 'changes', changes: 1 });
      expect(await topId(other, 'internet')).toBe('wifi');
    } finally {
      await otherDb.destroy();
    }
  });

  it('gives a system entry back when another instance deletes the stored entry over it', async () => {
    const otherDb = createDb(testDb.settings);
    try {
      const other = await KnowledgeBase.open(otherDb);
      other.registerSystemEntries([human]);
      await kb.upsert({ ...human, question: 'speak to sales', alternates: [] }, 'ann');
      await other.refresh();
      expect((await other.match('speak to sales', 'en')).candidates[0]?.question).toBe(
        'speak to sales',
      );
      await kb.delete('__human', 'en', 'ann');
      expect(await other.refresh()).toMatchObject({ applied: 'changes' });
      expect((await other.match('talk to a human', 'en')).candidates[0]).toMatchObject({
        id: '__human',
        question: 'talk to a human',
      });
    } finally {
      await otherDb.destroy();
    }
  });

  it('answers at once when another instance seeded after this one opened', async () => {
    const fresh = await createTestDb(dialect);
    try {
      const early = await KnowledgeBase.open(fresh.db);
      const seeder = await KnowledgeBase.open(fresh.db);
      await seeder.seedIfEmpty(loadSampleKb());
      expect(await early.seedIfEmpty(loadSampleKb())).toBeNull();
      expect(await topId(early, 'What are your opening hours?')).toBe('opening-hours');
    } finally {
      await fresh.destroy();
    }
  });

  it('seeds only an empty KB', async () => {
    expect(await kb.seedIfEmpty(loadSampleKb())).toBeNull();
    const fresh = await createTestDb(dialect);
    try {
      const empty = await KnowledgeBase.open(fresh.db);
      const sample = loadSampleKb();
      expect(await empty.seedIfEmpty(sample)).toEqual({
        added: sample.length,
        updated: 0,
        unchanged: 0,
      });
      expect(await empty.seedIfEmpty(sample)).toBeNull();
      expect(await topId(empty, 'kiedy jesteście otwarci', 'pl')).toBeUndefined();
      expect(await topId(empty, 'What are your opening hours?')).toBe('opening-hours');
      expect(await topId(empty, 'מה שעות הפעילות שלכם?', 'he')).toBe('opening-hours');
      expect(await topId(empty, 'Care este programul vostru?', 'ro')).toBe('opening-hours');
      expect(await topId(empty, 'Mi a nyitvatartásotok?', 'hu')).toBe('opening-hours');
    } finally {
      await fresh.destroy();
    }
  });
});
