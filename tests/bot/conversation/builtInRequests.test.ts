import type { Activity } from 'botbuilder';
import { recognizedIntent, withRecognizedIntent } from '../../../bot/conversation/systemIntents';
import { decideTurn, decideWaitingTurn } from '../../../bot/conversation/turnPolicy';
import { createBotHarness, type BotHarness } from '../../helpers/botHarness';

const text = (activity: Partial<Activity>): string => activity.text ?? '';

describe('recognizedIntent: a whole message that is a built-in request', () => {
  it.each([
    ['en', 'Can I talk to someone?', '__human'],
    ['en', 'agent, please!', '__human'],
    ['en', 'CANCEL', '__cancel'],
    ['en', 'manager please', '__supervisor'],
    ['he', 'אפשר לדבר עם מישהו?', '__human'],
    ['he', 'נציג בבקשה', '__human'],
    ['he', 'בטל', '__cancel'],
    ['he', 'מה הסטטוס?', '__status'],
    ['ro', 'vreau sa vorbesc cu cineva', '__human'],
    ['ro', 'Vreau să vorbesc cu cineva.', '__human'],
    ['ro', 'ajutor uman', '__human'],
    ['ro', 'anuleaza', '__cancel'],
    ['ro', 'Anulează, vă rog', '__cancel'],
    ['ro', 'cat mai dureaza?', '__status'],
    ['ro', 'supervizor va rog', '__supervisor'],
    ['hu', 'beszélhetnék valakivel?', '__human'],
    ['hu', 'beszelhetnek valakivel', '__human'],
    ['hu', 'ugyintezo', '__human'],
    ['hu', 'Ügyintézőt kérek!', '__human'],
    ['hu', 'mégse', '__cancel'],
    ['hu', 'hanyadik vagyok a sorban', '__status'],
    ['hu', 'koszonom szepen', '__thanks'],
  ])('[%s] "%s" is %s', (locale, message, intent) => {
    expect(recognizedIntent(message, locale)).toBe(intent);
  });

  it.each([
    ['en', 'How do I cancel my order?'],
    ['en', 'please'],
    ['ro', 'cum anulez comanda?'],
    ['hu', 'Mikor vagytok nyitva?'],
    ['he', 'מה שעות הפעילות?'],
    ['en', 'ugyintezo'], // a Hungarian word on an English channel is no English request
  ])('[%s] "%s" is none', (locale, message) => {
    expect(recognizedIntent(message, locale)).toBeNull();
  });

  it('is none for a 4,000-character message, even one made of a request', () => {
    expect(recognizedIntent('agent '.repeat(700), 'en')).toBeNull();
  });
});

// The harness encodes the sample KB for the English sentence encoder first.
jest.setTimeout(120_000);

describe('built-in requests through the real matcher and sample KB, per language', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await createBotHarness();
    await h.kb.whenReady();
  });
  afterAll(async () => {
    await h.close();
  });

  const actionOf = async (message: string, locale: string): Promise<string> => {
    const result = withRecognizedIntent(await h.kb.match(message, locale), message);
    const action = decideTurn({ result, misses: 0, missLimit: 3, frustration: [] });
    return action.kind === 'handoff' ? `handoff:${action.reason}` : action.kind;
  };
  const waitingActionOf = async (message: string, locale: string): Promise<string> =>
    decideWaitingTurn(withRecognizedIntent(await h.kb.match(message, locale), message)).kind;

  // Exact phrasings (any case, diacritics or punctuation) and paraphrases the matcher finds.
  it.each([
    ['en', 'can I talk to someone?', 'handoff:requested'],
    ['en', 'could I speak with somebody', 'handoff:requested'],
    ['en', 'I would like a human agent', 'handoff:requested'],
    ['en', 'I need a human', 'handoff:requested'],
    ['en', 'what is the status of my request?', 'status'],
    ['en', 'escalate to a manager please', 'escalate'],
    ['en', 'thank you so much!', 'smallTalk'],
    ['en', 'hello', 'smallTalk'],
    ['he', 'אפשר לדבר עם מישהו', 'handoff:requested'],
    ['he', 'אני רוצה לדבר עם נציג בבקשה', 'handoff:requested'],
    ['he', 'בטל בבקשה', 'cancel'],
    ['he', 'אני רוצה לדבר עם מנהל', 'escalate'],
    ['he', 'שלום', 'smallTalk'],
    ['he', 'תודה רבה', 'smallTalk'],
    ['ro', 'vreau sa vorbesc cu cineva', 'handoff:requested'],
    ['ro', 'as vrea sa vorbesc cu un operator', 'handoff:requested'],
    ['ro', 'ajutor uman', 'handoff:requested'],
    ['ro', 'anuleaza', 'cancel'],
    ['ro', 'anuleaza cererea mea', 'cancel'],
    ['ro', 'stare cerere', 'status'],
    ['ro', 'supervizor va rog', 'escalate'],
    ['ro', 'buna ziua', 'smallTalk'],
    ['ro', 'multumesc', 'smallTalk'],
    ['hu', 'beszélhetnék valakivel?', 'handoff:requested'],
    ['hu', 'ugyintezo', 'handoff:requested'],
    ['hu', 'szeretnék egy ügyintézővel beszélni', 'handoff:requested'],
    ['hu', 'meddig kell meg varnom?', 'status'],
    ['hu', 'vezetot kerek', 'escalate'],
    ['hu', 'mégse', 'cancel'],
    ['hu', 'szia', 'smallTalk'],
    ['hu', 'koszonom', 'smallTalk'],
  ])('[%s] "%s" → %s', async (locale, message, expected) => {
    expect(await actionOf(message, locale)).toBe(expected);
  });

  it.each([
    ['en', 'cancel', 'cancel'],
    ['en', 'where am I in the queue?', 'status'],
    ['he', 'ביטול', 'cancel'],
    ['he', 'מה הסטטוס', 'status'],
    ['ro', 'anuleaza', 'cancel'],
    ['ro', 'cat mai dureaza', 'status'],
    ['hu', 'megse', 'cancel'],
    ['hu', 'mi a helyzet', 'status'],
  ])('[%s] "%s" while waiting → %s', async (locale, message, expected) => {
    expect(await waitingActionOf(message, locale)).toBe(expected);
  });

  it('a question about cancelling an order stays an FAQ question, not a request to leave the queue', async () => {
    expect(await actionOf('i want to cancel my order', 'en')).not.toBe('cancel');
    expect(await waitingActionOf('how do I cancel my request?', 'en')).not.toBe('cancel');
  });

  it('hands off on "ugyintezo" and leaves the queue on "anuleaza", typed without diacritics', async () => {
    const hu = h.conversation('hu');
    await hu.send('ugyintezo').assertReply((reply) => expect(reply.locale).toBe('hu'));
    const huTicket = await h.handoff.findOpenTicket(hu.conversation.conversation.id);
    expect(huTicket).toMatchObject({ status: 'waiting', reason: 'requested', locale: 'hu' });

    const ro = h.conversation('ro');
    await ro
      .send('vreau sa vorbesc cu cineva')
      .assertReply((reply) => expect(text(reply)).toContain('referință'));
    expect(await h.handoff.findOpenTicket(ro.conversation.conversation.id)).not.toBeNull();
    await ro.send('anuleaza').assertReply(() => undefined);
    expect(await h.handoff.findOpenTicket(ro.conversation.conversation.id)).toBeNull();
  });
});
