import { writeAgentMessage } from '../../../handoff/service/agentMessage';
import { testDialects } from '../../helpers/testDb';
import { alice, createHarness, openInput, rejection, sam, type Harness } from '../handoffHarness';
import { startRouteServer, type RouteServer } from '../console/routeServer';

describe.each(testDialects())('agent messages with an Idempotency-Key on %s', (dialect) => {
  let h: Harness;
  let api: RouteServer;
  let ticketId: string;
  const conversationId = 'c-idem';

  const send = (text: string, key?: string, who = alice.id) =>
    fetch(`${api.url}/api/handoff/tickets/${ticketId}/messages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${who}`,
        'content-type': 'application/json',
        ...(key !== undefined && { 'idempotency-key': key }),
      },
      body: JSON.stringify({ text }),
    }).then(async (res) => ({ status: res.status, body: await res.json() }));

  const agentLines = async () =>
    (await h.context.transcripts.list(conversationId)).filter((l) => l.role === 'agent');
  const agentNotices = () =>
    h.notifier.sent.filter((s) => s.notice.kind === 'agentMessage').map((s) => s.notice);
  const outboxRows = async () =>
    Number((await h.testDb.db('handoff_outbox').count({ n: '*' }))[0]!.n);

  beforeEach(async () => {
    h = await createHarness(dialect);
    api = await startRouteServer(h, [alice, sam]);
    ticketId = (await h.handoff.openTicket(openInput(conversationId))).ticket.id;
    await h.agents.claim(ticketId, alice);
  });
  afterEach(async () => {
    await api.close();
    await h.close();
  });

  it('stores and delivers a message once when it is sent twice with one key', async () => {
    const first = await send('Your refund is on its way', 'key-1');
    const retry = await send('Your refund is on its way', 'key-1');
    expect([first.status, retry.status]).toEqual([201, 201]);
    await h.context.outbox.settled();
    expect((await agentLines()).map((l) => l.text)).toEqual(['Your refund is on its way']);
    expect(agentNotices()).toEqual([
      {
        kind: 'agentMessage',
        agentId: alice.id,
        agentName: 'Alice',
        text: 'Your refund is on its way',
      },
    ]);
  });

  it('stores and delivers once when the two requests race', async () => {
    const results = await Promise.all([send('Racing', 'key-race'), send('Racing', 'key-race')]);
    expect(results.map((r) => r.status)).toEqual([201, 201]);
    await h.context.outbox.settled();
    expect((await agentLines()).map((l) => l.text)).toEqual(['Racing']);
    expect(agentNotices()).toHaveLength(1);
  });

  it('sends two messages with two keys, and two without a key', async () => {
    await send('one', 'k-a');
    await send('two', 'k-b');
    await send('three');
    await send('three');
    await h.context.outbox.settled();
    expect((await agentLines()).map((l) => l.text)).toEqual(['one', 'two', 'three', 'three']);
    expect(agentNotices()).toHaveLength(4);
  });

  it('refuses a key reused for a different text with 422, writing nothing', async () => {
    await send('first text', 'k-same');
    const before = { lines: (await agentLines()).length, outbox: await outboxRows() };
    const reused = await send('another text', 'k-same');
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'idempotency_key_reused' });
    expect(reused.body.message).toContain('Idempotency-Key');
    expect({ lines: (await agentLines()).length, outbox: await outboxRows() }).toEqual(before);
  });

  it.each([
    ['too long', 'x'.repeat(201)],
    ['with a space', 'two words'],
  ])('answers a key %s with 400 naming the header', async (_what, key) => {
    const res = await send('hello', key);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_input', field: 'Idempotency-Key' });
    expect(await agentLines()).toEqual([]);
  });

  it('answers a retry after the ticket was resolved as the first answer, sending nothing', async () => {
    await send('Done, anything else?', 'k-late');
    await h.agents.resolve(ticketId, alice, 'refunded');
    const retry = await send('Done, anything else?', 'k-late');
    expect(retry.status).toBe(201);
    await h.context.outbox.settled();
    expect(agentNotices()).toHaveLength(1);
  });

  it('writes nothing and answers 409 when a requeue wins the race after the ownership check', async () => {
    const stale = (await h.context.tickets.findById(ticketId))!;
    await h.agents.transfer(ticketId, sam, { toQueue: h.context.settings.defaultQueue });
    const before = { lines: (await agentLines()).length, outbox: await outboxRows() };
    const err = await rejection(
      writeAgentMessage(h.context, stale, alice, 'too late', 'k-stale', () => undefined),
    );
    expect(err.code).toBe('conflict');
    expect({ lines: (await agentLines()).length, outbox: await outboxRows() }).toEqual(before);
    const keys = await h.testDb.db('handoff_agent_message_keys').where({ ticket_id: ticketId });
    expect(keys).toEqual([]);
  });

  it('answers 409 over HTTP when the ticket is no longer assigned', async () => {
    await h.agents.transfer(ticketId, sam, { toQueue: h.context.settings.defaultQueue });
    const res = await send('hello?', 'k-409');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'conflict' });
  });
});
