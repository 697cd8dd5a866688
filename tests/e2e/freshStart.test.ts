import { createDb, migrateLatest } from '../../bot/infrastructure/db';
import { customerSays } from '../helpers/askdeskClient';
import { createEmptyDb, type EmptyDb } from '../helpers/emptyDb';
import { FakeConnector } from '../helpers/fakeConnector';
import { killAllServers, spawnServer } from '../helpers/serverProcess';
import { testDialects } from '../helpers/testDb';

const instances = 3;

/**
 * Several instances behind a load balancer share one database. On a first
 * deployment they start together on an empty database and must all come up (migrations and
 * the sample KB seed are safe to run from several processes at once).
 */
describe.each(testDialects())(
  'e2e on %s: instances starting together on a fresh database',
  (dialect) => {
    let empty: EmptyDb;
    const connector = new FakeConnector();

    beforeAll(async () => {
      await connector.start();
      empty = await createEmptyDb(dialect);
    });
    afterAll(async () => {
      await killAllServers();
      await connector.stop();
      await empty?.destroy();
    });

    it(`${instances} server processes started at once all become healthy and answer`, async () => {
      const started = await Promise.allSettled(
        Array.from({ length: instances }, () => spawnServer(empty.env)),
      );
      const failures = started
        .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
        .map((s) => String(s.reason).slice(0, 600));
      expect(failures).toEqual([]);
      for (const [i, s] of started.entries()) {
        if (s.status !== 'fulfilled') continue;
        const conversationId = `fresh-${dialect}-${i}-${Date.now()}`;
        await customerSays(
          s.value.url,
          connector.url,
          conversationId,
          'What are your opening hours?',
        );
        await connector.waitFor(conversationId, (a) => /Monday/.test(a.text ?? ''));
      }
    }, 120_000);

    // The mechanism behind the test above, made deterministic: start-up runs migrateLatest, and
    // two connections migrating the same fresh database at the same moment must both succeed.
    it('migrateLatest from two connections at once on a fresh database succeeds for both', async () => {
      const errors: string[] = [];
      for (let round = 0; round < 5; round += 1) {
        const fresh = await createEmptyDb(dialect);
        const dbs = [0, 1].map(() =>
          createDb({
            sqliteFile: fresh.env.SQLITE_FILE ?? ':memory:',
            databaseUrl: fresh.env.DATABASE_URL,
          }),
        );
        try {
          const results = await Promise.allSettled(dbs.map((db) => migrateLatest(db)));
          for (const r of results)
            if (r.status === 'rejected') errors.push(String(r.reason).slice(0, 200));
        } finally {
          for (const db of dbs) await db.destroy();
          await fresh.destroy();
        }
      }
      expect(errors).toEqual([]);
      // A round can wait out one SQLite busy timeout (5 s) when a connection opens mid-migration.
    }, 90_000);
  },
);
