import {
  DirectLine,
  ConnectionStatus,
  type Activity,
  type Message,
} from 'botframework-directlinejs';
import { WebSocket } from 'ws';
import { startAppHarness, type AppHarness } from '../../../helpers/appHarness';
import { testDialects } from '../../../helpers/testDb';
import { startDirectLineTestServer, type DirectLineTestServer } from './directLineTestServer';

// DirectLineJS is a browser library: in Node it needs XMLHttpRequest (for rxjs ajax) and WebSocket.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const XMLHttpRequestPolyfill = require('xhr2') as unknown;
let socketsOpened = 0;
class CountingWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    socketsOpened += 1;
  }
}
Object.assign(globalThis, { XMLHttpRequest: XMLHttpRequestPolyfill, WebSocket: CountingWebSocket });

let server: DirectLineTestServer;

async function newToken(): Promise<{ token: string; conversationId: string }> {
  const res = await fetch(`${server.url}/api/directline/token`, { method: 'POST' });
  expect(res.status).toBe(200);
  return (await res.json()) as { token: string; conversationId: string };
}

/** Collects every activity a client receives, and resolves once `predicate` holds. */
function collect(dl: DirectLine) {
  const seen: Activity[] = [];
  const waiters: Array<{ predicate: (a: Activity[]) => boolean; resolve: () => void }> = [];
  const subscription = dl.activity$.subscribe((activity) => {
    seen.push(activity);
    for (const w of waiters.filter((w) => w.predicate(seen))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const until = (predicate: (a: Activity[]) => boolean, timeoutMs = 5000) =>
    predicate(seen)
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`timed out; saw ${JSON.stringify(texts(seen))}`)),
            timeoutMs,
          );
          waiters.push({ predicate, resolve: () => (clearTimeout(timer), resolve()) });
        });
  return { seen, until, stop: () => subscription.unsubscribe() };
}

const texts = (activities: Activity[]) =>
  activities.filter((a): a is Message => a.type === 'message').map((a) => a.text ?? '');

function post(dl: DirectLine, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    dl.postActivity({ type: 'message', from: { id: 'customer-1' }, text, locale: 'ro' }).subscribe(
      resolve,
      reject,
    );
  });
}

describe.each(
  testDialects().flatMap((dialect) => [
    { dialect, transport: 'polling', webSocket: false },
    { dialect, transport: 'WebSocket', webSocket: true },
  ]),
)('DirectLineJS on $dialect over $transport', ({ dialect, webSocket }) => {
  beforeAll(async () => {
    server = await startDirectLineTestServer(undefined, { dialect });
  });
  afterAll(async () => {
    await server.close();
  });

  it('holds a conversation: echoes, replies in order, resumes from a watermark', async () => {
    const socketsBefore = socketsOpened;
    const { token, conversationId } = await newToken();
    const domain = `${server.url}/v3/directline`;
    const dl = new DirectLine({ token, domain, webSocket, pollingInterval: 200 });
    const first = collect(dl);
    await first.until((s) => texts(s).some((t) => t.startsWith('welcome')));

    const postedId = await post(dl, 'one');
    expect(postedId).toMatch(new RegExp(`^${conversationId}\\|`));
    await post(dl, 'two');
    await first.until((s) => texts(s).includes('second: two (ro)'));
    expect(texts(first.seen)).toEqual([
      'welcome (-)',
      'one',
      'echo: one',
      'second: one (ro)',
      'two',
      'echo: two',
      'second: two (ro)',
    ]);
    expect((dl as unknown as { conversationId: string }).conversationId).toBe(conversationId);
    const watermark = (dl as unknown as { watermark: string }).watermark;
    expect(Number(watermark)).toBeGreaterThan(0);
    first.stop();
    dl.end();

    // While the page is away, the customer's other tab keeps talking.
    const away = await fetch(`${domain}/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: 'customer-1' }, text: 'three' }),
    });
    expect(away.status).toBe(200);

    const resumed = new DirectLine({
      token,
      domain,
      webSocket,
      conversationId,
      watermark,
      pollingInterval: 200,
    });
    const second = collect(resumed);
    await second.until((s) => texts(s).includes('second: three (-)'));
    expect(texts(second.seen)).toEqual(['three', 'echo: three', 'second: three (-)']);
    expect(resumed.connectionStatus$.getValue()).toBe(ConnectionStatus.Online);
    second.stop();
    resumed.end();
    expect(socketsOpened - socketsBefore).toBe(webSocket ? 2 : 0);
  });
});

describe('DirectLineJS against the real Askdesk app', () => {
  let harness: AppHarness;
  beforeAll(async () => {
    harness = await startAppHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  it('gets the welcome and a KB answer over WebSocket', async () => {
    const res = await fetch(`${harness.app.url}/api/directline/token`, { method: 'POST' });
    const { token } = (await res.json()) as { token: string };
    const dl = new DirectLine({
      token,
      domain: `${harness.app.url}/v3/directline`,
      webSocket: true,
    });
    const client = collect(dl);
    await client.until((s) => texts(s).some((t) => t.includes('Askdesk assistant')));
    await new Promise<void>((resolve, reject) => {
      dl.postActivity({
        type: 'message',
        from: { id: 'customer-2' },
        text: 'When is customer service open?',
        locale: 'en',
      }).subscribe(() => resolve(), reject);
    });
    await client.until((s) => texts(s).some((t) => t.includes('24/7')));
    client.stop();
    dl.end();
  });
});
