import { ActivityHandler, TurnContext, type ConversationReference } from 'botbuilder';
import { startDirectLineTestServer, type DirectLineTestServer } from './directLineTestServer';

/** Remembers the conversation reference, as the handoff module stores it. */
class ReferenceBot extends ActivityHandler {
  reference?: Partial<ConversationReference>;
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      this.reference = TurnContext.getConversationReference(context.activity);
      await context.sendActivity('noted');
      await next();
    });
  }
}

let server: DirectLineTestServer;
const bot = new ReferenceBot();
beforeAll(async () => {
  server = await startDirectLineTestServer(bot);
});
afterAll(async () => {
  await server.close();
});

it('delivers a proactive message (e.g. an agent reply) through the channel adapter', async () => {
  const grant = (await (
    await fetch(`${server.url}/api/directline/token`, { method: 'POST' })
  ).json()) as {
    token: string;
    conversationId: string;
  };
  const auth = { Authorization: `Bearer ${grant.token}`, 'Content-Type': 'application/json' };
  const base = `${server.url}/v3/directline/conversations`;
  await fetch(base, { method: 'POST', headers: auth });
  await fetch(`${base}/${grant.conversationId}/activities`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ type: 'message', text: 'hi', from: { id: 'customer' } }),
  });
  expect(bot.reference?.channelId).toBe('directline');

  await server.channel.adapter.continueConversationAsync('', bot.reference!, async (context) => {
    await context.sendActivity('Dana: hello from a person');
  });

  const read = (await (
    await fetch(`${base}/${grant.conversationId}/activities`, { headers: auth })
  ).json()) as {
    activities: Array<{ text?: string; from?: { id: string } }>;
  };
  expect(read.activities.map((a) => a.text)).toEqual(['hi', 'noted', 'Dana: hello from a person']);
  expect(read.activities[2]?.from?.id).toBe('askdesk');
});
