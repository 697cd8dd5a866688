import { startAppHarness, type AppHarness } from '../helpers/appHarness';
import { customerSays, findTicket } from '../helpers/askdeskClient';
import { FakeConnector } from '../helpers/fakeConnector';
import { testDialects } from '../helpers/testDb';

/** Issue 4 "Done when": the agent's name, the summary, the rating buttons and the stored `csat`. */
describe.each(testDialects())('e2e on %s: claim, relay, resolve and rate over HTTP', (dialect) => {
  let h: AppHarness;
  const connector = new FakeConnector();
  const conversationId = `lifecycle-${dialect}-${Date.now()}`;
  const say = (text: string, extra: Record<string, unknown> = {}) =>
    customerSays(h.app.url, connector.url, conversationId, text, extra);
  const texts = () => connector.messagesFor(conversationId).map((a) => a.text ?? '');

  beforeAll(async () => {
    await connector.start();
    h = await startAppHarness({ dialect });
  });
  afterAll(async () => {
    await h?.close();
    await connector.stop();
  });

  it('tells the agent name on claim, relays the agent, keeps the bot quiet, then sends summary + 5 rating buttons; the click is stored as csat', async () => {
    const agent = await h.addUser('Miriam Levi', 'agent');
    await say('I need to speak to an agent');
    await connector.waitFor(conversationId, (a) => /in the queue/.test(a.text ?? ''));
    const ticket = await findTicket(h.app.url, agent.token, conversationId);
    expect(ticket).toMatchObject({ status: 'waiting', reason: 'requested', csat: null });

    const claim = await h.call('POST', `/api/handoff/tickets/${ticket.id}/claim`, {
      token: agent.token,
    });
    expect(claim.status).toBe(200);
    expect(claim.body.assignedAgent).toMatchObject({ name: 'Miriam Levi' });
    const joined = await connector.waitFor(conversationId, (a) => /joined/.test(a.text ?? ''));
    expect(joined.text).toContain('Miriam Levi');

    // While the agent owns the conversation the bot does not answer, even a known FAQ.
    const beforeFaq = texts().length;
    await say('What are your opening hours?');
    expect(texts()).toHaveLength(beforeFaq);

    const sent = await h.call('POST', `/api/handoff/tickets/${ticket.id}/messages`, {
      token: agent.token,
      body: { text: 'Your invoice INV-42 has been corrected.' },
    });
    expect(sent.status).toBe(201);
    const relayed = await connector.waitFor(conversationId, (a) =>
      (a.text ?? '').includes('INV-42 has been corrected'),
    );
    // The agent's words come from the agent, not the bot: their name is on the activity.
    expect(relayed.from?.name).toBe('Miriam Levi');
    expect(relayed.text).toBe('Your invoice INV-42 has been corrected.');

    const resolved = await h.call('POST', `/api/handoff/tickets/${ticket.id}/resolve`, {
      token: agent.token,
      body: { outcome: 'invoice corrected' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    const summary = await connector.waitFor(conversationId, (a) =>
      /is resolved/.test(a.text ?? ''),
    );
    expect(summary.text).toContain(ticket.reference);
    expect(summary.text).toContain('Handled by: Miriam Levi');
    expect(summary.text).toContain('invoice corrected');
    const rating = await connector.waitFor(conversationId, (a) => Boolean(a.attachments?.length));
    const buttons = rating.attachments![0]!.content.buttons!;
    expect(buttons.map((b) => b.title)).toHaveLength(5);
    expect(buttons.map((b) => b.title).join(' ')).toMatch(/1.*2.*3.*4.*5/);
    // Summary first, then the rating question, in that order.
    const order = connector.messagesFor(conversationId);
    expect(order.indexOf(summary)).toBeLessThan(order.indexOf(rating));

    await say('4', { value: buttons[3]!.value });
    await connector.waitFor(conversationId, (a) => /4 out of 5/.test(a.text ?? ''));
    const rated = await h.call('GET', `/api/handoff/tickets/${ticket.id}`, { token: agent.token });
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({ status: 'resolved', csat: 4 });

    // The conversation is the bot's again.
    await say('What are your opening hours?');
    await connector.waitFor(conversationId, (a) => /Monday/.test(a.text ?? ''));
  });
});
