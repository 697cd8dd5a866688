import type { Knex } from 'knex';
import type { HandoffEvent, HandoffEventListener, HandoffEvents } from './handoffEvents';
import { InMemoryHandoffEvents } from './handoffEvents';
import type { HandoffLogger } from '../types';

/** The part of a node-postgres client this bus uses. */
interface ListenConnection {
  query(sql: string): Promise<unknown>;
  on(
    event: 'notification',
    listener: (msg: { channel: string; payload?: string }) => void,
  ): unknown;
  on(event: 'error' | 'end', listener: (err?: Error) => void): unknown;
  removeAllListeners(): unknown;
  end(): Promise<void>;
}

interface RawConnectionClient {
  acquireRawConnection(): Promise<unknown>;
}

// NOTIFY payloads are limited to 8000 bytes; keep well below with room for JSON escaping.
const MAX_PAYLOAD_BYTES = 7000;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

/** Fits an event into one NOTIFY payload; only transcript text can be long, and it is cut. */
export function payloadOf(event: HandoffEvent): string {
  const full = JSON.stringify(event);
  if (Buffer.byteLength(full) <= MAX_PAYLOAD_BYTES || event.type !== 'transcriptLine') return full;
  const text = event.line.text.slice(0, 1000);
  return JSON.stringify({ ...event, line: { ...event.line, text, truncated: true } });
}

/**
 * PostgreSQL-only handoff event bus: LISTEN/NOTIFY on a channel named after the current schema,
 * so every instance on the database (and only that schema) hears every event. Used only when
 * DATABASE_URL is PostgreSQL. One dedicated connection listens and reconnects with backoff;
 * after a reconnect a `resync` event tells consoles to reload what they may have missed.
 */
export class PgHandoffEvents implements HandoffEvents {
  private readonly local = new InMemoryHandoffEvents();
  private connection: ListenConnection | null = null;
  private closed = false;
  private reconnectDelay = RECONNECT_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly db: Knex,
    private readonly channel: string,
    private readonly logger: HandoffLogger,
  ) {}

  /** Connects and starts listening; rejects when the first connection fails. */
  static async start(db: Knex, logger: HandoffLogger): Promise<PgHandoffEvents> {
    const result = await db.raw<{ rows: { schema: string }[] }>(
      'select current_schema() as schema',
    );
    const schema = result.rows[0]?.schema ?? 'public';
    const channel = `askdesk_handoff_${schema.replace(/[^a-z0-9_]/gi, '_')}`
      .slice(0, 63)
      .toLowerCase();
    const bus = new PgHandoffEvents(db, channel, logger);
    await bus.listen();
    return bus;
  }

  get channelName(): string {
    return this.channel;
  }

  /** NOTIFY to every instance (this one included); locally only while not listening. */
  async publish(event: HandoffEvent): Promise<void> {
    if (!this.connection) {
      this.local.emitLocal(event);
      return;
    }
    await this.db.raw('select pg_notify(?, ?)', [this.channel, payloadOf(event)]);
  }

  subscribe(listener: HandoffEventListener): () => void {
    return this.local.subscribe(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const conn = this.connection;
    this.connection = null;
    if (conn) {
      conn.removeAllListeners();
      conn.on('error', () => {});
      await conn.end().catch(() => undefined);
    }
  }

  private async listen(): Promise<void> {
    const raw = await (this.db.client as RawConnectionClient).acquireRawConnection();
    const conn = raw as ListenConnection;
    conn.on('notification', (msg) => this.onNotification(msg));
    conn.on('error', (err) => this.onLost(conn, err));
    conn.on('end', () => this.onLost(conn));
    await conn.query(`LISTEN ${this.channel}`);
    this.connection = conn;
    this.reconnectDelay = RECONNECT_MIN_MS;
  }

  private onNotification(msg: { channel: string; payload?: string }): void {
    if (msg.channel !== this.channel || !msg.payload) return;
    try {
      this.local.emitLocal(JSON.parse(msg.payload) as HandoffEvent);
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'unreadable handoff event notification ignored');
    }
  }

  private onLost(conn: ListenConnection, err?: Error): void {
    if (this.closed || this.connection !== conn) return;
    this.connection = null;
    conn.removeAllListeners();
    conn.on('error', () => {});
    this.logger.warn(
      { err: err ? err.message : 'connection ended' },
      'handoff event bus lost PostgreSQL; reconnecting',
    );
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(RECONNECT_MAX_MS, delay * 2);
    this.reconnectTimer = setTimeout(() => {
      this.listen().then(
        () => this.local.emitLocal({ type: 'resync' }),
        (e: unknown) => {
          this.logger.warn({ err: String(e) }, 'handoff event bus reconnect failed');
          this.scheduleReconnect();
        },
      );
    }, delay);
    this.reconnectTimer.unref();
  }
}
