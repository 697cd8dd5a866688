import { withRecognizedIntent } from '../../../bot/conversation/systemIntents';
import { createBotHarness, type BotHarness } from '../../helpers/botHarness';

// The harness encodes the sample KB for the English sentence encoder first.
jest.setTimeout(120_000);

describe('awkward messages through the real matcher and sample KB', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await createBotHarness();
    await h.kb.whenReady();
  });
  afterAll(async () => {
    await h.close();
  });

  const bandOf = async (message: string, locale: string): Promise<string> =>
    withRecognizedIntent(await h.kb.match(message, locale), message).band;

  it.each([
    ['en', '0722 123 456'],
    ['ro', '12345678'],
    ['en', 'Kovács Péter'],
    ['hu', 'Ioana Popescu'],
    ['en', 'מה שעות הפעילות שלכם?'], // Hebrew on an English channel
  ])('[%s] "%s" is never answered directly', async (locale, message) => {
    expect(await bandOf(message, locale)).not.toBe('answer');
  });

  it.each([
    ['en', 'four scripts', 'reset נציג PIN kódomat ș 你好'],
    ['he', 'three languages and digits', 'שלום hello szia 12'],
    ['ro', '4,000 letters', 'x'.repeat(4000)],
    ['hu', '4,200 characters of a question', 'mikor vagytok nyitva '.repeat(200)],
  ])('[%s] %s: a band without error', async (locale, _label, message) => {
    const result = withRecognizedIntent(await h.kb.match(message, locale), message);
    expect(['answer', 'clarify', 'none']).toContain(result.band);
    expect(result.candidates.length).toBeLessThanOrEqual(5);
  });
});
