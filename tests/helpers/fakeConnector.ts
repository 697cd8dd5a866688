import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedActivity {
  type: string;
  text?: string;
  locale?: string;
  from?: { id: string; name?: string; role?: string };
  conversation?: { id: string };
  suggestedActions?: { actions: { title: string; value: unknown }[] };
  attachments?: {
    contentType: string;
    content: { text?: string; buttons?: { title: string; value: unknown }[] };
  }[];
}

/**
 * Plays the Bot Framework channel connector: the bot replies (and sends proactive messages) to
 * `serviceUrl`, which points here, and the test reads what a customer would have seen.
 */
export class FakeConnector {
  readonly received: ReceivedActivity[] = [];
  private server?: http.Server;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const match = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
        if (req.method === 'POST' && match) {
          const activity = JSON.parse(body) as ReceivedActivity;
          activity.conversation ??= { id: decodeURIComponent(match[1]!) };
          this.received.push(activity);
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ id: `r${this.received.length}` }));
          return;
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Messages the bot sent to one conversation, in order. */
  messagesFor(conversationId: string): ReceivedActivity[] {
    return this.received.filter(
      (a) => a.type === 'message' && a.conversation?.id === conversationId,
    );
  }

  /** Waits until a message for the conversation satisfies `predicate`; fails after `timeoutMs`. */
  async waitFor(
    conversationId: string,
    predicate: (activity: ReceivedActivity) => boolean,
    timeoutMs = 5000,
  ): Promise<ReceivedActivity> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messagesFor(conversationId).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.messagesFor(conversationId).map(
          (a) => a.text ?? `[${a.attachments?.length ?? 0} attachments]`,
        );
        throw new Error(`No matching message for ${conversationId}; saw: ${JSON.stringify(seen)}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
