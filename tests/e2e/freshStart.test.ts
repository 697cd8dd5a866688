import { customerSays } from '../helpers/askdeskClient';
import { createEmptyDb, type EmptyDb } from '../helpers/emptyDb';
import { FakeConnector } from '../helpers/fakeConnector';
import { killAllServers, spawnServer } from '../helpers/serverProcess';
import { testDialects } from '../helpers/testDb';

const instances = 3;

/**
 * PRODUCT.md: several instances behind a load balancer share one database. On a first
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
  },
);
