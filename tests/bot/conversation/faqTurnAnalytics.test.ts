import { AnalyticsReader } from '../../../handoff/analytics/analyticsReader';
import { createBotHarness, type BotHarness } from '../../helpers/botHarness';

/** The bot tags its transcript so the analytics can tell answered questions from the rest. */
describe('FAQ turns in the analytics (real bot, KB and handoff on SQLite)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await createBotHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('counts answered and unanswered questions and each conversation under its locale', async () => {
    await h
      .conversation()
      .send('What are your opening hours?')
      .assertReply((reply) => expect(reply.text).toContain('Monday to Friday'))
      .send('xylophone quantum marmalade')
      .assertReply(() => undefined);
    await h
      .conversation('he')
      .send('מה שעות הפעילות שלכם?')
      .assertReply((reply) => expect(reply.locale).toBe('he'))
      .send('hi')
      .assertReply(() => undefined);

    const now = h.clock.now().getTime();
    const period = {
      from: new Date(now - 3_600_000).toISOString(),
      to: new Date(now + 3_600_000).toISOString(),
    };
    const reader = new AnalyticsReader(h.testDb.db, h.clock);
    const all = await reader.summary(period);
    // Small talk ("hi") is not an FAQ question.
    expect([all.conversations, all.faqQuestions, all.unansweredQuestions]).toEqual([2, 3, 1]);
    expect(all.unansweredRate).toBeCloseTo(1 / 3);
    expect(all.deflectionRate).toBe(1);
    const hebrew = await reader.summary({ ...period, locale: 'he' });
    expect([hebrew.conversations, hebrew.faqQuestions, hebrew.unansweredQuestions]).toEqual([
      1, 1, 0,
    ]);
  });
});
