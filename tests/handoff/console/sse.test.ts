import { testDialects } from '../../helpers/testDb';
import { alice, createHarness, openInput, type Harness } from '../handoffHarness';
import { startRouteServer, type RouteServer } from './routeServer';

/** Reads an SSE response until `done` returns true on the text so far. */
async function readUntil(
  body: ReadableStream<Uint8Array>,
  done: (text: string) => boolean,
): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + 5000;
  while (!done(text)) {
    if (Date.now() > deadline) throw new Error(`stream did not deliver in time; got: ${text}`);
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

describe.each(testDialects())('agent console events (SSE) on %s', (dialect) => {
  let h: Harness;
  let api: RouteServer;
  beforeEach(async () => {
    h = await createHarness(dialect);
    api = await startRouteServer(h, [alice]);
  });
  afterEach(async () => {
    await api.close();
    await h.close();
  });

  it('needs a token', async () => {
    expect((await api.call('GET', '/api/handoff/events')).status).toBe(401);
  });

  it('streams ticket creation, updates and transcript lines', async () => {
    const controller = new AbortController();
    const res = await fetch(`${api.url}/api/handoff/events`, {
      headers: { authorization: `Bearer ${alice.id}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reading = readUntil(
      res.body!,
      (t) => t.includes('event: transcriptLine') && t.includes('event: ticketUpdated'),
    );
    await new Promise((r) => setTimeout(r, 50));
    const { ticket } = await h.handoff.openTicket(openInput('sse'));
    await h.agents.claim(ticket.id, alice);
    const text = await reading;
    controller.abort();
    expect(text).toContain('event: ticketCreated');
    expect(text).toContain(`"ticketId":"${ticket.id}"`);
    expect(text).toContain('"status":"assigned"');
  });
});
