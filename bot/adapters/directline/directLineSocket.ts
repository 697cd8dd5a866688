import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import type { ActivityFeed } from './activityFeed';
import type { DirectLineService } from './directLineService';
import { DirectLineError, statusOf } from './errors';

const streamPath = /^\/v3\/directline\/conversations\/([^/?]{1,64})\/stream$/;

export interface DirectLineSocketDeps {
  service: DirectLineService;
  feed: ActivityFeed;
  logger: Logger;
  /** Ping interval; a peer that misses a pong until the next ping is dropped. */
  pingMs?: number;
  /**
   * When set, each socket also re-reads the store this often, so activities written by another
   * instance (shared PostgreSQL) reach it. One process needs none: the feed wakes it at once.
   */
  crossInstancePollMs?: number;
}

/**
 * The Direct Line WebSocket stream: pushes `{activities, watermark}` groups, starting after the
 * watermark in the stream URL. Returns a function that closes every socket.
 */
export function attachDirectLineSocket(
  httpServer: {
    on(
      event: 'upgrade',
      listener: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
    ): unknown;
  },
  deps: DirectLineSocketDeps,
): () => Promise<void> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  httpServer.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const match = streamPath.exec(url.pathname);
    if (!match?.[1]) return;
    const conversationId = decodeURIComponent(match[1]);
    deps.service
      .authorizeStream(
        conversationId,
        url.searchParams.get('t') ?? '',
        url.searchParams.get('watermark') ?? undefined,
      )
      .then((watermark) => {
        wss.handleUpgrade(req, socket, head, (ws) => {
          new StreamSession(ws, conversationId, watermark, deps).start();
        });
      })
      .catch((err: unknown) => refuse(socket, err, deps.logger));
  });
  // 1001 "going away" tells Web Chat to reconnect (to another instance) rather than fail; a
  // client that does not finish the closing handshake within a second is cut off.
  return () =>
    new Promise<void>((resolve) => {
      const clients = [...wss.clients];
      const cutOff = setTimeout(() => clients.forEach((client) => client.terminate()), 1000);
      cutOff.unref();
      for (const client of clients) client.close(1001, 'server shutting down');
      wss.close(() => {
        clearTimeout(cutOff);
        resolve();
      });
    });
}

function refuse(socket: Duplex, err: unknown, logger: Logger): void {
  const status = err instanceof DirectLineError ? statusOf[err.code] : 500;
  if (!(err instanceof DirectLineError)) logger.error({ err }, 'Direct Line stream upgrade failed');
  socket.end(
    `HTTP/1.1 ${status} ${status === 500 ? 'Internal Server Error' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
}

/** One open stream. Flushes never overlap, so groups leave in watermark order. */
class StreamSession {
  private flushing = false;
  private again = false;
  private alive = true;
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe: () => void = () => undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly conversationId: string,
    private watermark: number,
    private readonly deps: DirectLineSocketDeps,
  ) {}

  start(): void {
    this.unsubscribe = this.deps.feed.subscribe(this.conversationId, () => this.flush());
    this.ws.on('pong', () => {
      this.alive = true;
    });
    // DirectLineJS sends empty strings as its own keep-alive; there is nothing to answer.
    this.ws.on('message', () => undefined);
    this.ws.on('close', () => this.stop());
    this.ws.on('error', () => this.stop());
    this.timers.push(setInterval(() => this.ping(), this.deps.pingMs ?? 30_000));
    if (this.deps.crossInstancePollMs) {
      this.timers.push(setInterval(() => this.flush(), this.deps.crossInstancePollMs));
    }
    this.flush();
  }

  private ping(): void {
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  private stop(): void {
    this.unsubscribe();
    for (const timer of this.timers) clearInterval(timer);
  }

  private flush(): void {
    if (this.flushing) {
      this.again = true;
      return;
    }
    this.flushing = true;
    this.drain()
      .catch((err: unknown) => {
        this.deps.logger.error(
          { err, conversationId: this.conversationId },
          'Direct Line stream read failed',
        );
        this.ws.close(1011, 'read failed');
      })
      .finally(() => {
        this.flushing = false;
        if (this.again) {
          this.again = false;
          this.flush();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.ws.readyState !== WebSocket.OPEN) return;
      const set = await this.deps.service.readActivities(this.conversationId, this.watermark);
      if (set.activities.length === 0) return;
      this.watermark = set.watermark;
      this.ws.send(
        JSON.stringify({ activities: set.activities, watermark: String(set.watermark) }),
      );
    }
  }
}
