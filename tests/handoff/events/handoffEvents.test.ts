import {
  InMemoryHandoffEvents,
  type HandoffEvent,
  type HandoffEvents,
} from '../../../handoff/events/handoffEvents';
import { PgHandoffEvents, payloadOf } from '../../../handoff/events/pgEventBus';
import { silentLogger } from '../../../handoff/types';
import { createDb } from '../../../bot/infrastructure/db';
import { createTestDb, testDialects, type TestDb } from '../../helpers/testDb';

/** Waits until `events` holds an event matching `pred`, or fails after `ms`. */
async function waitFor(
  events: HandoffEvent[],
  pred: (e: HandoffEvent) => boolean,
  ms = 3000,
): Promise<HandoffEvent> {
  const until = Date.now() + ms;
  for (;;) {
    const found = events.find(pred);
    if (found) return found;
    if (Date.now() > until)
      throw new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface BusUnderTest {
  bus: HandoffEvents;
  close(): Promise<void>;
}

const implementations: [string, () => Promise<BusUnderTest>][] = [
  [
    'in-memory',
    () => Promise.resolve({ bus: new InMemoryHandoffEvents(), close: () => Promise.resolve() }),
  ],
];
let pgDb: TestDb | undefined;
if (testDialects().includes('postgres')) {
  implementations.push([
    'postgres',
    async () => {
      pgDb = await createTestDb('postgres');
      const bus = await PgHandoffEvents.start(pgDb.db, silentLogger);
      return {
        bus,
        close: async () => {
          await bus.close();
          await pgDb!.destroy();
        },
      };
    },
  ]);
}

describe.each(implementations)('HandoffEvents contract: %s', (_name, make) => {
  let under: BusUnderTest;
  beforeEach(async () => {
    under = await make();
  });
  afterEach(async () => {
    await under.close();
  });

  it('delivers published events to every subscriber until it unsubscribes', async () => {
    const a: HandoffEvent[] = [];
    const b: HandoffEvent[] = [];
    const stopA = under.bus.subscribe((e) => a.push(e));
    under.bus.subscribe((e) => b.push(e));
    await under.bus.publish({
      type: 'ticketCreated',
      ticketId: 't1',
      queue: 'general',
      priority: 0,
    });
    await waitFor(a, (e) => e.type === 'ticketCreated');
    await waitFor(b, (e) => e.type === 'ticketCreated');
    stopA();
    await under.bus.publish({ type: 'presenceChanged', agentId: 'x' });
    await waitFor(b, (e) => e.type === 'presenceChanged');
    expect(a.map((e) => e.type)).toEqual(['ticketCreated']);
  });

  it('keeps delivering when one listener throws', async () => {
    const got: HandoffEvent[] = [];
    under.bus.subscribe(() => {
      throw new Error('broken stream');
    });
    under.bus.subscribe((e) => got.push(e));
    await under.bus.publish({ type: 'presenceChanged', agentId: 'y' });
    await waitFor(got, (e) => e.type === 'presenceChanged');
  });
});

for (const dialect of testDialects().filter((d) => d === 'postgres')) {
  describe(`PgHandoffEvents across instances (${dialect})`, () => {
    it('lets an instance hear events published by another one on the same database', async () => {
      const testDb = await createTestDb('postgres');
      const other = createDb({ sqliteFile: ':memory:', databaseUrl: testDb.settings.databaseUrl });
      const a = await PgHandoffEvents.start(testDb.db, silentLogger);
      const b = await PgHandoffEvents.start(other, silentLogger);
      try {
        expect(a.channelName).toBe(b.channelName);
        const heard: HandoffEvent[] = [];
        b.subscribe((e) => heard.push(e));
        await a.publish({
          type: 'ticketUpdated',
          ticketId: 't9',
          status: 'assigned',
          event: 'claim',
        });
        await waitFor(heard, (e) => e.type === 'ticketUpdated');
      } finally {
        await a.close();
        await b.close();
        await other.destroy();
        await testDb.destroy();
      }
    });
  });
}

describe('NOTIFY payloads', () => {
  it('cut long transcript text so the payload fits PostgreSQL limits', () => {
    const payload = payloadOf({
      type: 'transcriptLine',
      ticketId: null,
      conversationId: 'c',
      line: { role: 'customer', text: 'é'.repeat(20_000), at: '2026-11-23T10:00:00.000Z' },
    });
    expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    expect(JSON.parse(payload)).toMatchObject({ line: { truncated: true } });
  });
});
