import { DirectLineStore } from '../../../bot/adapters/directline/directLineStore';
import { KnexStorage } from '../../../bot/infrastructure/knexStorage';
import { RetentionPolicy } from '../../../bot/composition/retention';
import { UnansweredStore } from '../../../knowledge/inbox/unanswered';
import { testDialects } from '../../helpers/testDb';
import { alice, createHarness, openInput, type Harness } from '../../handoff/handoffHarness';

const day = 24 * 60 * 60 * 1000;

describe.each(testDialects())('transcript retention on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  /** Ticket texts as stored, by conversation. */
  const ticketRow = async (conversationId: string) =>
    (await h.testDb.db('handoff_tickets').where({ conversation_id: conversationId }).first()) as {
      question: string;
      conversation_ref: string;
      candidates_json: string;
      outcome: string | null;
      csat: number | null;
      resolved_at: string | null;
      status: string;
    };

  it('deletes what customers and agents wrote before the cutoff, but not open tickets or recent text', async () => {
    const { db } = h.testDb;
    const dl = new DirectLineStore(db);
    const storage = new KnexStorage(db, () => h.clock.now());

    // Day 0: a conversation that an agent resolves, one that is still waiting, and their traces.
    await h.handoff.recordLine('closed', { role: 'customer', text: 'my card 4111 was stolen' });
    const closed = await h.handoff.openTicket(openInput('closed'));
    await h.agents.claim(closed.ticket.id, alice);
    await h.agents.addNote(closed.ticket.id, alice, 'customer sounded upset');
    await h.agents.resolve(closed.ticket.id, alice, 'blocked card ending 4111');
    await h.handoff.rate(closed.ticket.id, 5);
    await h.handoff.recordLine('waiting', { role: 'customer', text: 'still there?' });
    await h.handoff.openTicket(openInput('waiting'));
    await dl.createConversation({ id: 'dl-old', userId: 'u1', locale: 'en' }, h.clock.now());
    await dl.appendActivity('dl-old', { type: 'message', text: 'hello' }, h.clock.now());
    await storage.write({ 'old-state': { locale: 'en' } });
    const inbox = new UnansweredStore(db, () => h.clock.now());
    const question = { locale: 'en', outcome: 'none', topId: null, confidence: 0.1 } as const;
    await inbox.record({ ...question, text: 'can I pay in bitcoin' });

    // Day 39: recent traces, then the 30-day policy runs on day 40.
    h.clock.advance(39 * day);
    await h.handoff.recordLine('recent', { role: 'customer', text: 'new question' });
    await dl.createConversation({ id: 'dl-new', userId: 'u2', locale: 'he' }, h.clock.now());
    await dl.appendActivity('dl-new', { type: 'message', text: 'שלום' }, h.clock.now());
    await storage.write({ 'new-state': { locale: 'he' } });
    await inbox.record({ ...question, text: 'do you deliver to Mars' });
    h.clock.advance(day);

    const policy = new RetentionPolicy(db, 30, () => h.clock.now());
    const report = await policy.purge();

    expect(report).toMatchObject({
      ticketsErased: 1,
      notes: 1,
      directLineConversations: 1,
      botStates: 1,
      unansweredQuestions: 1,
    });
    expect(report.transcriptLines).toBeGreaterThanOrEqual(1);
    expect(await h.context.transcripts.list('closed')).toEqual([]);
    // The waiting customer's transcript stays whole: an agent may open it any moment.
    expect((await h.context.transcripts.list('waiting')).map((l) => l.text)).toContain(
      'still there?',
    );
    expect((await h.context.transcripts.list('recent')).map((l) => l.text)).toEqual([
      'new question',
    ]);

    const erased = await ticketRow('closed');
    expect(erased).toMatchObject({
      question: '',
      conversation_ref: '{}',
      candidates_json: '[]',
      outcome: null,
      csat: 5,
      status: 'resolved',
    });
    expect(erased.resolved_at).not.toBeNull();
    expect((await ticketRow('waiting')).question).toBe(openInput('waiting').question);
    expect(Number((await db('handoff_ticket_notes').count({ n: '*' }).first())?.n)).toBe(0);

    expect(await dl.findConversation('dl-old')).toBeUndefined();
    expect(await dl.findConversation('dl-new')).toBeDefined();
    const activities = await db<{ conversation_id: string }>('directline_activities').select(
      'conversation_id',
    );
    expect(activities.map((a) => a.conversation_id)).toEqual(['dl-new']);
    expect(Object.keys(await storage.read(['old-state', 'new-state']))).toEqual(['new-state']);
    expect((await inbox.list()).map((q) => q.text)).toEqual(['do you deliver to Mars']);

    // A second pass finds nothing more to do.
    expect(await policy.purge()).toMatchObject({
      transcriptLines: 0,
      ticketsErased: 0,
      notes: 0,
      notices: 0,
      directLineConversations: 0,
      botStates: 0,
      unansweredQuestions: 0,
    });
  });

  it('rejects a policy that would delete everything at once', () => {
    expect(() => new RetentionPolicy(h.testDb.db, 0, () => h.clock.now())).toThrow(/> 0/);
  });
});
