import { startAppHarness, type AppHarness } from '../helpers/appHarness';
import { FakeConnector } from '../helpers/fakeConnector';
import { testDialects } from '../helpers/testDb';

describe.each(testDialects())(
  'HTTP end to end on %s (real server, CloudAdapter, connector)',
  (dialect) => {
    let h: AppHarness;
    const connector = new FakeConnector();
    let activityId = 0;

    const say = (conversationId: string, text: string, extra: Record<string, unknown> = {}) =>
      h.call('POST', '/api/messages', {
        body: {
          type: 'message',
          id: `in-${++activityId}`,
          text,
          channelId: 'emulator',
          serviceUrl: connector.url,
          conversation: { id: conversationId },
          from: { id: `user-${conversationId}`, name: 'Customer' },
          recipient: { id: 'askdesk', name: 'Askdesk' },
          locale: 'en-US',
          ...extra,
        },
      });

    beforeAll(async () => {
      await connector.start();
      h = await startAppHarness({ dialect });
    });
    afterAll(async () => {
      await h?.close();
      await connector.stop();
    });

    it('answers a KB question through the connector', async () => {
      expect((await say('c-answer', 'What are your opening hours?')).status).toBe(200);
      const reply = await connector.waitFor('c-answer', (a) => /Monday/.test(a.text ?? ''));
      expect(reply.suggestedActions?.actions.map((a) => a.title)).toEqual(
        expect.arrayContaining(['👍 Yes', '👎 No']),
      );
    });

    it('queues an unknown question asked twice, then one agent claims, replies and resolves', async () => {
      const conversationId = 'c-handoff';
      await say(conversationId, 'flux capacitor calibration for my spaceship');
      await say(conversationId, 'purple elephants juggling on the moon');
      await connector.waitFor(conversationId, (a) => /queue/.test(a.text ?? ''));

      const dana = await h.addUser('Dana', 'agent');
      const avi = await h.addUser('Avi', 'agent');
      const list = await h.call('GET', '/api/handoff/tickets?status=waiting', {
        token: dana.token,
      });
      expect(list.status).toBe(200);
      const ticket = list.body.tickets.find(
        (t: { conversationId: string }) => t.conversationId === conversationId,
      );
      expect(ticket).toMatchObject({
        status: 'waiting',
        reason: 'misses',
        locale: 'en',
        position: 1,
      });
      expect(ticket.transcript.map((l: { role: string }) => l.role)).toEqual([
        'customer',
        'bot',
        'customer',
        'bot',
      ]);
      // Nobody has a console open yet, so no wait is promised.
      expect(ticket.etaSeconds).toBeNull();

      await new Promise((r) => setTimeout(r, 1100));
      const again = await h.call('GET', `/api/handoff/tickets/${ticket.id}`, { token: dana.token });
      expect(again.body.waitingSeconds).toBeGreaterThan(ticket.waitingSeconds);

      const claims = await Promise.all([
        h.call('POST', `/api/handoff/tickets/${ticket.id}/claim`, { token: dana.token }),
        h.call('POST', `/api/handoff/tickets/${ticket.id}/claim`, { token: avi.token }),
      ]);
      expect(claims.map((c) => c.status).sort()).toEqual([200, 409]);
      const winner = claims[0].status === 200 ? dana : avi;
      await connector.waitFor(conversationId, (a) => (a.text ?? '').includes(winner.name));

      const sent = await h.call('POST', `/api/handoff/tickets/${ticket.id}/messages`, {
        token: winner.token,
        body: { text: 'Hi, I can help with the gearbox.' },
      });
      expect(sent.status).toBe(201);
      await connector.waitFor(conversationId, (a) =>
        (a.text ?? '').includes('I can help with the gearbox'),
      );

      const resolved = await h.call('POST', `/api/handoff/tickets/${ticket.id}/resolve`, {
        token: winner.token,
      });
      expect(resolved.status).toBe(200);
      await connector.waitFor(conversationId, (a) => (a.text ?? '').includes(ticket.reference));
      const rating = await connector.waitFor(conversationId, (a) => Boolean(a.attachments?.length));
      const buttons = rating.attachments![0]!.content.buttons!;
      expect(buttons).toHaveLength(5);

      await say(conversationId, '5', { value: buttons[4]!.value });
      await connector.waitFor(conversationId, (a) => /5 out of 5|5\/5/.test(a.text ?? ''));
      const rated = await h.call('GET', `/api/handoff/tickets/${ticket.id}`, {
        token: winner.token,
      });
      expect(rated.body).toMatchObject({ status: 'resolved', csat: 5 });
      // A second click (or a redelivered one) is answered politely and not counted.
      await say(conversationId, '1', { value: buttons[0]!.value });
      await connector.waitFor(conversationId, (a) => /already rated/.test(a.text ?? ''));
      const still = await h.call('GET', `/api/handoff/tickets/${ticket.id}`, {
        token: winner.token,
      });
      expect(still.body.csat).toBe(5);
      const metrics = String((await h.call('GET', '/metrics')).body);
      expect(metrics).toMatch(/^askdesk_csat_rating_count 1$/m);
      expect(metrics).toMatch(/^askdesk_process_cpu_user_seconds_total /m);
      expect(metrics).not.toContain('askdesk_process_process_');

      await say(conversationId, 'What are your opening hours?');
      await connector.waitFor(conversationId, (a) => /Monday/.test(a.text ?? ''));
    });

    it('rejects a malformed activity with 400 and keeps serving', async () => {
      const broken = await h.call('POST', '/api/messages', { raw: '{"type": "message", ' });
      expect(broken.status).toBe(400);
      const missing = await h.call('POST', '/api/messages', {
        body: { type: 'message', text: 'hi' },
      });
      expect(missing.status).toBe(400);
      expect(JSON.stringify(missing.body)).toContain('serviceUrl');
      expect((await h.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    });

    it('replies politely to an activity without text', async () => {
      await h.call('POST', '/api/messages', {
        body: {
          type: 'message',
          channelId: 'emulator',
          serviceUrl: connector.url,
          conversation: { id: 'c-empty' },
          from: { id: 'u' },
          recipient: { id: 'askdesk' },
          attachments: [{ contentType: 'image/png', contentUrl: 'http://127.0.0.1/x.png' }],
        },
      });
      await connector.waitFor('c-empty', (a) => /only read text/.test(a.text ?? ''));
    });

    it('guards the agent API: 401 without a token, 403 for the wrong role, 400/404 naming the field', async () => {
      expect((await h.call('GET', '/api/handoff/tickets')).status).toBe(401);
      const editor = await h.addUser('Eve', 'editor');
      expect((await h.call('GET', '/api/handoff/tickets', { token: editor.token })).status).toBe(
        403,
      );
      const agent = await h.addUser('Ann', 'agent');
      const unknown = await h.call('GET', '/api/handoff/tickets/no-such-ticket', {
        token: agent.token,
      });
      expect(unknown.status).toBe(404);
      const badId = await h.call('POST', '/api/handoff/tickets/%3Cbad%3E/claim', {
        token: agent.token,
      });
      expect(badId.status).toBe(400);
      const badStatus = await h.call('GET', '/api/handoff/tickets?status=lost', {
        token: agent.token,
      });
      expect(badStatus.status).toBe(400);
      expect(JSON.stringify(badStatus.body)).toContain('status');
    });

    it('serves /metrics in Prometheus text format', async () => {
      const metrics = await h.call('GET', '/metrics');
      expect(metrics.status).toBe(200);
      expect(String(metrics.body)).toContain('askdesk_bot_turns_total');
      // Where turns' time went: the customer messages of the tests above were timed.
      expect(String(metrics.body)).toMatch(/^askdesk_turn_seconds_count\{phase="turn"\} [1-9]/m);
      expect(String(metrics.body)).toMatch(/^askdesk_turn_seconds_count\{phase="match"\} [1-9]/m);
      expect(String(metrics.body)).toMatch(/^askdesk_db_query_seconds_count [1-9]/m);
      expect(String(metrics.body)).toMatch(/^askdesk_encoder_question_seconds_total \d/m);
    });
  },
);

describe('with Bot Framework app credentials', () => {
  it('rejects unauthenticated traffic on /api/messages', async () => {
    const h = await startAppHarness({
      env: {
        MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
        MicrosoftAppPassword: 'secret',
      },
    });
    try {
      const response = await h.call('POST', '/api/messages', {
        body: {
          type: 'message',
          text: 'hi',
          channelId: 'webchat',
          serviceUrl: 'https://webchat.botframework.com/',
          conversation: { id: 'c' },
          from: { id: 'u' },
          recipient: { id: 'b' },
        },
      });
      expect(response.status).toBe(401);
    } finally {
      await h.close();
    }
  });
});
