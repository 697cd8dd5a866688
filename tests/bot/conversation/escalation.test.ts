import type { Activity } from 'botbuilder';
import { createBotHarness, type BotHarness } from '../../helpers/botHarness';

const text = (activity: Partial<Activity>): string => activity.text ?? '';

describe('supervisor escalation (TestAdapter, real KB and handoff)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await createBotHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('moves a waiting request to the supervisor queue, keeping its place in line', async () => {
    const conversation = h.conversation();
    await conversation
      .send('agent')
      .assertReply((reply) => expect(text(reply)).toContain('reference'));
    const conversationId = conversation.conversation.conversation.id;
    const before = await h.handoff.findOpenTicket(conversationId);
    await conversation
      .send('supervisor')
      .assertReply((reply) => expect(text(reply)).toContain('supervisor'));
    const after = await h.handoff.findOpenTicket(conversationId);
    expect(after).toMatchObject({ queue: 'supervisor', waitingSince: before!.waitingSince });
  });

  it('opens a supervisor ticket straight away when asked in Hungarian', async () => {
    const conversation = h.conversation('hu');
    await conversation
      .send('vezetőt kérek')
      .assertReply((reply) => expect(text(reply)).toContain('AD-'));
    const ticket = await h.handoff.findOpenTicket(conversation.conversation.conversation.id);
    expect(ticket).toMatchObject({ queue: 'supervisor', locale: 'hu', reason: 'requested' });
  });
});

describe('HANDOFF_MODE=external (Bot Framework handoff protocol)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await createBotHarness({ settings: { handoffMode: 'external' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('emits handoff.initiate with the transcript, and follows the hub handoff.status', async () => {
    const conversation = h.conversation();
    await conversation
      .send('What are your opening hours?')
      .assertReply((reply) => expect(text(reply)).toContain('Monday'))
      .send('agent')
      .assertReply((reply) => expect(text(reply)).toContain('reference'))
      .assertReply((event) => {
        expect(event).toMatchObject({ type: 'event', name: 'handoff.initiate' });
        const transcript = event.attachments?.[0]?.content as { activities: { text: string }[] };
        expect(transcript.activities.map((a) => a.text)).toContain('What are your opening hours?');
      })
      .send({ type: 'event', name: 'handoff.status', value: { state: 'failed' } })
      .assertReply((reply) => expect(text(reply)).toContain('stays in our queue'))
      .send({ type: 'event', name: 'handoff.status', value: { state: 'completed' } })
      .assertReply((reply) => expect(text(reply)).toContain('handed the conversation back'));
    expect(await h.handoff.findOpenTicket(conversation.conversation.conversation.id)).toBeNull();
  });
});
