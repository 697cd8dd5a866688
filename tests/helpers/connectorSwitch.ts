import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stable channel URL in front of a FakeConnector that a test can take down: while down,
 * every request gets a 500 (as a failing channel would answer) and is counted; while up,
 * requests are forwarded to the connector unchanged. Conversation references store the URL,
 * so it must stay the same across the outage; hence a switch rather than stopping the
 * connector.
 */
export class ConnectorSwitch {
  url = '';
  /** Times (ms since epoch) of the requests refused while down. */
  readonly refusedAt: number[] = [];
  private up = true;
  private server?: http.Server;

  constructor(private readonly targetUrl: () => string) {}

  setUp(up: boolean): void {
    this.up = up;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      if (!this.up) {
        this.refusedAt.push(Date.now());
        req.resume();
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'ServiceError', message: 'channel is down' } }));
        return;
      }
      const target = new URL(req.url ?? '/', this.targetUrl());
      const forward = http.request(
        target,
        { method: req.method, headers: { ...req.headers, host: target.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.writeHead(502).end());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
