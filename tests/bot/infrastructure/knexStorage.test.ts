import { KnexStorage } from '../../../bot/infrastructure/knexStorage';
import { createTestDb, testDialects, type TestDb } from '../../helpers/testDb';

describe.each(testDialects())('KnexStorage on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('writes, reads back, overwrites and deletes state items', async () => {
    const storage = new KnexStorage(t.db);
    expect(await storage.read(['a'])).toEqual({});
    await storage.write({ a: { misses: 1, locale: 'he' }, b: { x: [1, 2] } });
    const first = await storage.read(['a', 'b', 'c']);
    expect(first.a).toMatchObject({ misses: 1, locale: 'he' });
    expect(first.b).toMatchObject({ x: [1, 2] });
    expect(first.c).toBeUndefined();
    await storage.write({ a: { ...first.a, misses: 2 } });
    const second = await storage.read(['a']);
    expect(second.a).toMatchObject({ misses: 2 });
    expect(second.a.eTag).not.toBe(first.a.eTag);
    await storage.delete(['a', 'b']);
    expect(await storage.read(['a', 'b'])).toEqual({});
  });

  it('survives a new storage instance (state lives in the database)', async () => {
    await new KnexStorage(t.db).write({ k: { v: 'kept' } });
    expect((await new KnexStorage(t.db).read(['k'])).k).toMatchObject({ v: 'kept' });
  });
});
