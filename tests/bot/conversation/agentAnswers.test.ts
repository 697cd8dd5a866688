import { keepAgentAnswers } from '../../../bot/conversation/agentAnswers';
import { createLogger } from '../../../bot/infrastructure/logger';
import { KnowledgeBase } from '../../../knowledge/service/knowledgeBase';
import { alice, createHarness, openInput, type Harness } from '../../handoff/handoffHarness';
import { testDialects } from '../../helpers/testDb';

/** Lets the listener's fire-and-forget work (a ticket read, an insert) finish. */
async function settle(kb: KnowledgeBase, groups: number): Promise<void> {
  for (let i = 0; i < 100 && (await kb.unansweredGroups()).length < groups; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(testDialects())('agents’ answers become drafts on %s', (dialect) => {
  let h: Harness;
  let kb: KnowledgeBase;
  let stop: () => void;
  beforeEach(async () => {
    h = await createHarness(dialect);
    kb = await KnowledgeBase.open(h.testDb.db, { now: () => h.clock.now() });
    stop = keepAgentAnswers(h.events, h.agents, kb, createLogger('silent'));
  });
  afterEach(async () => {
    stop();
    await h.close();
  });

  const answerAndResolve = async (conversationId: string, reason: 'misses' | 'requested') => {
    const { ticket } = await h.handoff.openTicket(
      openInput(conversationId, { reason, question: 'Can I bring my dog to the branch?' }),
    );
    await h.agents.claim(ticket.id, alice);
    await h.agents.postAgentMessage(ticket.id, alice, 'Yes, dogs on a lead are welcome.');
    await h.agents.postAgentMessage(ticket.id, alice, 'Guide dogs everywhere, of course.');
    await h.agents.resolve(ticket.id, alice, 'answered');
    return ticket;
  };

  it('keeps the question and what the agent wrote, once per ticket', async () => {
    const ticket = await answerAndResolve('c1', 'misses');
    await settle(kb, 1);
    const [group] = await kb.unansweredGroups('en');
    expect(group).toMatchObject({
      count: 1,
      answer: 'Yes, dogs on a lead are welcome.\n\nGuide dogs everywhere, of course.',
      examples: [expect.objectContaining({ text: 'Can I bring my dog to the branch?' })],
    });
    // Another instance hearing the same resolution adds nothing.
    await kb.recordAgentAnswer({ ticketId: ticket.id, locale: 'en', question: 'x', answer: 'y' });
    expect((await kb.unansweredGroups()).flatMap((g) => g.ids)).toHaveLength(1);
  });

  it('skips customers who only asked for a person', async () => {
    await answerAndResolve('c2', 'requested');
    await answerAndResolve('c3', 'misses'); // a draft arrives, so the first had its chance
    await settle(kb, 1);
    const groups = await kb.unansweredGroups();
    expect(groups.map((g) => g.count)).toEqual([1]);
  });
});
