import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { AgentStore } from '../store/agentStore';
import type { HandoffEvents } from '../events/handoffEvents';
import { InMemoryHandoffEvents } from '../events/handoffEvents';
import type { HandoffSettings } from './handoffSettings';
import { resolveHandoffSettings } from './handoffSettings';
import { NoticeOutbox } from '../worker/noticeOutbox';
import { OutboxStore } from '../store/outboxStore';
import { TicketStore } from '../store/ticketStore';
import { TranscriptStore } from '../store/transcriptStore';
import type { Clock, CustomerNotifier, HandoffLogger } from '../types';
import { silentLogger, systemClock } from '../types';

/** What the handoff module needs from its host; only `db` and `notifier` are required. */
export interface HandoffDeps {
  db: Knex;
  notifier: CustomerNotifier;
  clock?: Clock;
  settings?: HandoffSettings;
  events?: HandoffEvents;
  logger?: HandoffLogger;
  /** Id generator for tickets and notes; default random UUIDs. */
  newId?: () => string;
  /**
   * Privacy hook: rewrites transcript text and ticket questions before they are stored (e.g.
   * masks emails, phone and card numbers). Messages still reach the customer unchanged.
   */
  redact?: (text: string) => string;
}

/** The shared wiring of the services and the worker: stores, ports and settings. */
export class HandoffContext {
  readonly tickets: TicketStore;
  readonly transcripts: TranscriptStore;
  readonly agents: AgentStore;
  readonly outboxStore: OutboxStore;
  readonly outbox: NoticeOutbox;
  readonly clock: Clock;
  readonly settings: HandoffSettings;
  readonly events: HandoffEvents;
  readonly logger: HandoffLogger;
  readonly newId: () => string;
  readonly redact: (text: string) => string;

  constructor(readonly deps: HandoffDeps) {
    this.clock = deps.clock ?? systemClock;
    this.settings = deps.settings ?? resolveHandoffSettings();
    this.events = deps.events ?? new InMemoryHandoffEvents();
    this.logger = deps.logger ?? silentLogger;
    this.newId = deps.newId ?? (() => crypto.randomUUID());
    this.redact = deps.redact ?? ((text) => text);
    this.tickets = new TicketStore(deps.db);
    this.transcripts = new TranscriptStore(deps.db, deps.redact);
    this.agents = new AgentStore(deps.db, () => this.clock.now());
    this.outboxStore = new OutboxStore(deps.db);
    this.outbox = new NoticeOutbox(
      this.outboxStore,
      deps.notifier,
      this.clock,
      this.settings,
      this.logger,
    );
  }

  nowIso(): string {
    return this.clock.now().toISOString();
  }

  /** Publishes without letting a broken bus fail the use case (the DB is the source of truth). */
  async publish(event: Parameters<HandoffEvents['publish']>[0]): Promise<void> {
    try {
      await this.events.publish(event);
    } catch (err) {
      this.logger.warn({ err: String(err), event: event.type }, 'handoff event not published');
    }
  }
}
