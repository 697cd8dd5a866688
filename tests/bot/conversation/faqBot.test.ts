import type { Activity } from 'botbuilder';
import { localeEventName } from '../../../bot/conversation/faqBot';
import { createBotHarness, type BotHarness } from '../../helpers/botHarness';

const text = (activity: Partial<Activity>): string => activity.text ?? '';
const buttons = (activity: Partial<Activity>): string[] =>
  (activity.suggestedActions?.actions ?? []).map((a) => a.title ?? '');

describe('FaqBot conversations (TestAdapter, real KB and handoff on SQLite)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await createBotHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers a confident match with the answer and the helpful question', async () => {
    await h
      .conversation()
      .send('What are your opening hours?')
      .assertReply((reply) => {
        expect(text(reply)).toContain('Monday to Friday');
        expect(buttons(reply)).toEqual(expect.arrayContaining(['👍 Yes', '👎 No']));
        expect(text(reply)).toMatch(/\*Was this helpful\?\*$/);
      });
  });

  it('promises no minutes while nobody is online, and says so', async () => {
    await h
      .conversation()
      .send('agent')
      .assertReply((reply) => {
        expect(text(reply)).toContain('nobody from our team is online right now');
        expect(text(reply)).toContain('You are number');
        expect(text(reply)).not.toMatch(/\d+ minutes?/);
      })
      .send('status')
      .assertReply((reply) => {
        expect(text(reply)).toContain('nobody from our team is online');
        expect(text(reply)).not.toMatch(/\d+ minutes?/);
      })
      .send('cancel')
      .assertReply((reply) => expect(text(reply)).toContain('is cancelled'));
  });

  it('greets again in the new language when the customer picks one', async () => {
    await h
      .conversation()
      .send('hi')
      .assertReply((reply) => expect(reply.locale).toBe('en'))
      .send({ type: 'event', name: localeEventName, value: 'he' })
      .assertReply((reply) => {
        expect(reply.locale).toBe('he');
        expect(text(reply)).toMatch(/^שלום! אני העוזר של Askdesk/);
      })
      .send({ type: 'event', name: localeEventName, value: 'xx' })
      .send('hi')
      .assertReply((reply) => expect(text(reply)).not.toContain('Askdesk'));
  });

  it('answers in Hebrew when the customer writes Hebrew', async () => {
    await h
      .conversation()
      .send('מה שעות הפעילות שלכם?')
      .assertReply((reply) => {
        expect(text(reply)).toMatch(/[\u0590-\u05FF]/);
        expect(reply.locale).toBe('he');
      });
  });

  it('greets back and welcomes thanks in the customer’s language, without counting a miss', async () => {
    await h
      .conversation()
      .send('hi')
      .assertReply((reply) => expect(text(reply)).toMatch(/^Hello! What can I help you with\?/))
      .send('hi, what are your opening hours?')
      .assertReply((reply) => expect(text(reply)).toContain('Monday to Friday'))
      .send('thanks')
      .assertReply((reply) => expect(text(reply)).toMatch(/^You're welcome!/))
      // Small talk around a question: the question is answered.
      .send('Good morning! What are your opening hours?')
      .assertReply((reply) => expect(text(reply)).toContain('Monday to Friday'))
      // Not thanks at all: no cheerful "you're welcome".
      .send('thanks for nothing')
      .assertReply((reply) => expect(text(reply)).not.toMatch(/welcome/i));
    await h
      .conversation()
      .send('תודה רבה')
      .assertReply((reply) => {
        expect(text(reply)).toMatch(/^בשמחה!/);
        expect(reply.locale).toBe('he');
      });
    await h
      .conversation() // an English channel: the greeting itself says Hungarian
      .send('szia')
      .assertReply((reply) => expect(text(reply)).toMatch(/^Szia! Miben segíthetek\?/));
    // A miss, a greeting, a miss: still two misses in a row, so the second hands off.
    await h
      .conversation()
      .send('flux capacitor calibration for my spaceship')
      .assertReply((reply) => expect(buttons(reply)).toContain('Talk to a person'))
      .send('hello')
      .assertReply((reply) => expect(text(reply)).toMatch(/^Hello!/))
      .send('purple elephants juggling on the moon')
      .assertReply((reply) => expect(text(reply)).toMatch(/number 1 in the queue/))
      .send('cancel my request') // leaves the queue as the other tests expect it
      .assertReply((reply) => expect(text(reply)).toMatch(/is cancelled/));
  });

  it('hands off after two misses in a row, with the transcript', async () => {
    const conversation = h.conversation();
    await conversation
      .send('flux capacitor calibration for my spaceship')
      .assertReply((reply) => expect(buttons(reply)).toContain('Talk to a person'))
      .send('purple elephants juggling on the moon')
      .assertReply((reply) => expect(text(reply)).toMatch(/number 1 in the queue/));
    const conversationId = conversation.conversation.conversation.id;
    const ticket = await h.handoff.findOpenTicket(conversationId);
    expect(ticket).toMatchObject({ status: 'waiting', reason: 'misses', locale: 'en' });
    expect(ticket?.transcript.map((l) => l.role)).toEqual(['customer', 'bot', 'customer', 'bot']);
    // Both questions wait in the editors' unanswered inbox, the second as the one handed off.
    const questions = (await h.kb.unansweredGroups('en')).flatMap((g) => g.examples);
    expect(questions).toContainEqual(
      expect.objectContaining({
        text: 'flux capacitor calibration for my spaceship',
        outcome: 'none',
      }),
    );
    expect(questions).toContainEqual(
      expect.objectContaining({
        text: 'purple elephants juggling on the moon',
        outcome: 'handoff',
      }),
    );
  });

  it('hands a complaint about the bot to a person at once, in any language', async () => {
    for (const [locale, complaint, queued, cancel] of [
      ['en', 'thanks a lot, useless bot', /number \d+ in the queue/, 'cancel my request'],
      ['hu', 'Nem értesz semmit, ez időpazarlás', / az? \d+\. helyen/, 'mégse'],
    ] as const) {
      const conversation = h.conversation(locale);
      await conversation
        .send(complaint)
        .assertReply((reply) => expect(text(reply)).toMatch(queued));
      const ticket = await h.handoff.findOpenTicket(conversation.conversation.conversation.id);
      expect(ticket).toMatchObject({ status: 'waiting', reason: 'frustration', locale });
      await conversation.send(cancel).assertReply(() => undefined); // leaves the queue
      expect(await h.handoff.findOpenTicket(conversation.conversation.conversation.id)).toBeNull();
    }
  });

  it('hands off when asked for a person in Romanian, and stays quiet once an agent owns it', async () => {
    const conversation = h.conversation('ro');
    await conversation
      .send('vreau să vorbesc cu un operator')
      .assertReply((reply) => expect(text(reply)).toContain('referință'));
    const conversationId = conversation.conversation.conversation.id;
    const ticket = await h.handoff.findOpenTicket(conversationId);
    expect(ticket?.reason).toBe('requested');
    await h.agents.claim(ticket!.id, { id: 'a1', name: 'Ioana', role: 'agent' });
    await conversation
      .send('Bună, mai sunteți acolo?')
      .assertNoReply('the bot must not talk over the agent', 300);
    const after = await h.handoff.findOpenTicket(conversationId);
    expect(after?.transcript.at(-1)).toMatchObject({
      role: 'customer',
      text: 'Bună, mai sunteți acolo?',
    });
  });

  it('answers FAQs while waiting without losing the place, and tells the status', async () => {
    const conversation = h.conversation();
    await conversation
      .send('agent')
      .assertReply((reply) => expect(text(reply)).toContain('queue'))
      .send('What are your opening hours?')
      .assertReply((reply) => {
        expect(text(reply)).toContain('While you wait');
        expect(buttons(reply)).toContain('That solved it');
      })
      .send('status')
      .assertReply((reply) =>
        expect(text(reply)).toMatch(/is waiting: you are number \d+ in the queue/),
      );
  });

  it('asks "Did you mean…" for a middling match, offering "None of these"', async () => {
    await h
      .conversation()
      .send('survey')
      .assertReply((reply) => {
        const titles = buttons(reply);
        if (text(reply).includes('Did you mean')) {
          expect(titles).toContain('None of these');
          expect(titles.length).toBeLessThanOrEqual(4);
        } else {
          expect(titles).toContain('👍 Yes');
        }
      });
  });

  it('replies politely to a message without text', async () => {
    await h
      .conversation()
      .send({
        type: 'message',
        attachments: [{ contentType: 'image/png', contentUrl: 'http://x/y.png' }],
      })
      .assertReply((reply) => expect(text(reply)).toContain('only read text'));
  });

  it('offers a person after 👎 and opens a ticket on confirmation', async () => {
    const conversation = h.conversation();
    await conversation
      .send({
        type: 'message',
        text: '👎 No',
        value: { action: 'feedback', helpful: false, entryId: 'x' },
      })
      .assertReply((reply) => expect(buttons(reply)).toContain('Yes, connect me'))
      .send({
        type: 'message',
        text: 'Yes, connect me',
        value: { action: 'handoff', reason: 'negative_feedback' },
      })
      .assertReply((reply) => expect(text(reply)).toContain('reference'));
    const ticket = await h.handoff.findOpenTicket(conversation.conversation.conversation.id);
    expect(ticket?.reason).toBe('negative_feedback');
  });

  it('answers a sensitive topic and also hands it to a person with raised priority', async () => {
    await h.kb.upsert(
      {
        id: 'card-fraud',
        locale: 'en',
        question: 'Someone used my card without my permission',
        alternates: ['I think my account was hacked', 'report card fraud'],
        answer: 'We have frozen suspicious payments while a person looks at it.',
        tags: ['sensitive'],
        followUps: [],
        enabled: true,
      },
      'test',
    );
    const conversation = h.conversation();
    await conversation
      .send('I think my account was hacked')
      .assertReply((reply) => expect(text(reply)).toContain('frozen'))
      .assertReply((reply) => expect(text(reply)).toContain('reference'));
    const ticket = await h.handoff.findOpenTicket(conversation.conversation.conversation.id);
    expect(ticket).toMatchObject({ reason: 'sensitive_topic' });
    expect(ticket!.priority).toBeGreaterThan(0);
  });

  it('stores transcripts with personal data masked when redaction is on', async () => {
    const conversation = h.conversation();
    await conversation
      .send('agent')
      .assertReply((reply) => expect(text(reply)).toContain('reference'))
      .send('my email is dana@example.com and card 4111 1111 1111 1111')
      .assertReply((reply) => expect(text(reply)).toBeTruthy());
    const ticket = await h.handoff.findOpenTicket(conversation.conversation.conversation.id);
    const customerLines = (ticket?.transcript ?? []).filter((l) => l.role === 'customer');
    expect(customerLines.at(-1)?.text).toBe('my email is [email] and card [card]');
  });

  it('matches only the beginning of a very long message and still answers', async () => {
    const long = 'What are your opening hours? ' + 'blah '.repeat(5000);
    await h
      .conversation()
      .send(long)
      .assertReply((reply) => expect(text(reply)).toContain('long message'))
      .assertReply((reply) => expect(text(reply).length).toBeGreaterThan(0));
  });
});
