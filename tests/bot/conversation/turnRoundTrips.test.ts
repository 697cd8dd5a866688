import type { Knex } from 'knex';
import { createBotHarness, type BotHarness } from '../../helpers/botHarness';

/**
 * The database round trips of an ordinary FAQ turn, counted with knex's query events on a real
 * SQLite database and the real bot: a count, so a regression shows without timing anything.
 */
describe('database round trips of an ordinary FAQ turn', () => {
  let h: BotHarness;
  let queries: string[] = [];
  const record = (q: Knex.Sql) => queries.push(q.sql);

  beforeAll(async () => {
    h = await createBotHarness();
    h.testDb.db.on('query', record);
  });
  afterAll(async () => {
    h.testDb.db.off('query', record);
    await h.close();
  });

  it('a question the KB answers: 5 queries (state, open ticket, two transcript lines, state)', async () => {
    const conversation = h.conversation();
    // The first turn creates the conversation's state; the counted one is an ordinary next turn.
    await conversation.send('When is customer service open?').assertReply((reply) => {
      expect(reply.text).toMatch(/Monday/);
    });
    queries = [];
    await conversation.send('How do I reach a real person?').assertReply((reply) => {
      expect(reply.text).toMatch(/agent|person|human/i);
    });
    expect(queries).toEqual([
      expect.stringMatching(/^select .* from `bot_state`/),
      expect.stringMatching(/^select .* from `handoff_tickets` where `open_conversation_id`/),
      expect.stringMatching(/^insert into `handoff_transcript_lines`/),
      expect.stringMatching(/^insert into `handoff_transcript_lines`/),
      expect.stringMatching(/^insert into `bot_state` .* on conflict/),
    ]);
  });
});
