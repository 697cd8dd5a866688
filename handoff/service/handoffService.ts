import type { z } from 'zod';
import { AlreadyRatedError, ConflictError, InvalidInputError, NotFoundError } from '../errors';
import { LineInput, OpenTicketInput, parseOrThrow } from './handoffInputs';
import type { HandoffContext } from './handoffContext';
import { queueSettingsOf } from './handoffSettings';
import { referenceOf, type TicketRecord } from '../store/ticketRecord';
import { newTicketRecord } from '../store/newTicketRecord';
import type { Actor } from './ticketLifecycle';
import { TicketLifecycle } from './ticketLifecycle';
import { TicketView } from '../store/ticketView';
import type { CustomerNotice, HandoffReason, HandoffTicket, TranscriptLine } from '../types';

export type { LineInput, OpenTicketInput } from './handoffInputs';

export interface OpenTicketResult {
  ticket: HandoffTicket;
  /** False when the conversation already had an open ticket (returned unchanged). */
  created: boolean;
  /** What the bot tells the customer in the same turn. */
  notice: Extract<CustomerNotice, { kind: 'queued' }>;
}

/** What a turn needs to know of the conversation's open ticket. */
export type OpenTicketBrief = Pick<HandoffTicket, 'id' | 'status' | 'locale' | 'reference'>;

export interface TicketStatusReport {
  ticket: HandoffTicket;
  position: number | null;
  etaSeconds: number | null;
  etaRange: [number, number] | null;
  agentName: string | null;
}

/** Customer-side use cases; the bot calls these. */
export class HandoffService {
  private readonly view: TicketView;
  private readonly lifecycle: TicketLifecycle;

  constructor(private readonly ctx: HandoffContext) {
    this.view = new TicketView(ctx);
    this.lifecycle = new TicketLifecycle(ctx);
  }

  /**
   * Stores one message of a conversation, whole, as it happens (every conversation, not only
   * handed-off ones). `at` defaults to now; an unparsable `at` is an InvalidInputError.
   * `openTicketId`, when the caller already knows it (null: none is open), saves reading it.
   */
  async recordLine(
    conversationId: string,
    input: LineInput,
    known?: { openTicketId: string | null },
  ): Promise<TranscriptLine> {
    const parsed = parseOrThrow(LineInput, input, 'transcript line');
    if (!conversationId) throw new InvalidInputError('transcript line: "conversationId" is empty');
    const at = parsed.at === undefined ? this.ctx.clock.now() : new Date(parsed.at);
    if (Number.isNaN(at.getTime())) {
      throw new InvalidInputError(
        `transcript line: "at" is not a date (${parsed.at}); use ISO 8601`,
      );
    }
    const line: TranscriptLine = {
      role: parsed.role,
      text: parsed.text,
      at: at.toISOString(),
      ...(parsed.agentName ? { agentName: parsed.agentName } : {}),
    };
    const stored = await this.ctx.transcripts.append(conversationId, line, {
      locale: parsed.locale,
      outcome: parsed.outcome,
    });
    // Consoles hear only about conversations that are with the team, not every bot chat.
    const openTicketId = known
      ? known.openTicketId
      : ((await this.ctx.tickets.findOpenByConversation(conversationId))?.id ?? null);
    if (openTicketId) {
      await this.ctx.publish({
        type: 'transcriptLine',
        ticketId: openTicketId,
        conversationId,
        line: stored,
      });
    }
    return stored;
  }

  /**
   * Opens a ticket for the conversation, or returns its open one (`created: false`): at most
   * one open ticket per conversation, across processes. Does not message the customer: the
   * returned `notice` is for the bot's reply in the same turn.
   */
  async openTicket(input: OpenTicketInput): Promise<OpenTicketResult> {
    const p = parseOrThrow(OpenTicketInput, input, 'openTicket');
    const existing = await this.ctx.tickets.findOpenByConversation(p.conversationId);
    if (existing) return this.openResult(existing, false);
    const queueName = p.queue ?? this.ctx.settings.defaultQueue;
    if (!this.ctx.settings.queues[queueName]) {
      const known = Object.keys(this.ctx.settings.queues).join(', ');
      throw new InvalidInputError(
        `openTicket: "queue" ${queueName} is unknown; use one of ${known}`,
      );
    }
    const record = await this.insert(p, queueName);
    if (!record) {
      const raced = await this.ctx.tickets.findOpenByConversation(p.conversationId);
      if (!raced)
        throw new ConflictError(`Ticket for ${p.conversationId} was closed meanwhile; try again`);
      return this.openResult(raced, false);
    }
    await this.ctx.tickets.recordEvent({
      ticketId: record.id,
      event: 'open',
      fromStatus: null,
      toStatus: 'waiting',
      actorId: 'customer',
      actorName: 'customer',
      at: record.createdAt,
      detail: { reason: record.reason, queue: record.queue },
    });
    this.ctx.logger.info(
      {
        ticketId: record.id,
        conversationId: record.conversationId,
        queue: record.queue,
        reason: record.reason,
        locale: record.locale,
        priority: record.priority,
      },
      'ticket opened',
    );
    await this.ctx.publish({
      type: 'ticketCreated',
      ticketId: record.id,
      queue: record.queue,
      priority: record.priority,
    });
    return this.openResult(record, true);
  }

  private async insert(
    p: z.infer<typeof OpenTicketInput>,
    queueName: string,
  ): Promise<TicketRecord | null> {
    const now = this.ctx.clock.now();
    const record = newTicketRecord({
      id: this.ctx.newId(),
      conversationId: p.conversationId,
      conversationRef: p.conversationRef,
      reason: p.reason as HandoffReason,
      locale: p.locale,
      question: this.ctx.redact(p.question),
      candidates: p.candidates,
      priority: p.priority,
      queueName,
      queue: queueSettingsOf(this.ctx.settings, queueName),
      now,
    });
    return this.ctx.tickets.insert(record, now.toISOString());
  }

  // The queued notice is what the customer is promised, so it is also stored as the predicted
  // wait (for the ETA error metric) and as the last position/ETA told (for update throttling).
  private async openResult(record: TicketRecord, created: boolean): Promise<OpenTicketResult> {
    const ticket = await this.view.one(record);
    if (created) {
      const told = {
        predictedWaitSeconds: ticket.etaSeconds,
        lastNoticePosition: ticket.position,
        lastNoticeEtaSeconds: ticket.etaSeconds,
        lastNoticeAt: this.ctx.nowIso(),
      };
      await this.ctx.tickets.update(record.id, {}, told, this.ctx.nowIso());
      ticket.predictedWaitSeconds = told.predictedWaitSeconds;
    }
    const notice: OpenTicketResult['notice'] = {
      kind: 'queued',
      position: ticket.position ?? 0,
      etaSeconds: ticket.etaSeconds,
      etaRange: ticket.etaRange,
      afterHours: record.afterHours,
      backAt: record.backAt,
      promisedResponseHours: this.ctx.settings.promisedResponseHours,
    };
    return { ticket, created, notice };
  }

  /**
   * The conversation's waiting or assigned ticket in brief, or null: one read, without the
   * queue position, ETA and transcript that `findOpenTicket` computes (a turn needs those
   * only when it tells the customer about the ticket).
   */
  async findOpenTicketBrief(conversationId: string): Promise<OpenTicketBrief | null> {
    const record = await this.ctx.tickets.findOpenByConversation(conversationId);
    if (!record) return null;
    const { id, status, locale, seq } = record;
    return { id, status, locale, reference: referenceOf(seq) };
  }

  /** The conversation's waiting or assigned ticket, or null. */
  async findOpenTicket(conversationId: string): Promise<HandoffTicket | null> {
    const record = await this.ctx.tickets.findOpenByConversation(conversationId);
    return record ? this.view.one(record) : null;
  }

  /** State, position, ETA and agent of the conversation's open ticket; null when none is open. */
  async status(conversationId: string): Promise<TicketStatusReport | null> {
    const ticket = await this.findOpenTicket(conversationId);
    if (!ticket) return null;
    return {
      ticket,
      position: ticket.position,
      etaSeconds: ticket.etaSeconds,
      etaRange: ticket.etaRange,
      agentName: ticket.assignedAgent?.name ?? null,
    };
  }

  /**
   * Cancels the conversation's open ticket (the customer gave up, or "that solved it": pass
   * `outcome`, e.g. 'solved by FAQ'). Returns the cancelled ticket, or null when none was open.
   * Sends no notice: the bot answers in the same turn.
   */
  async cancel(
    conversationId: string,
    actor: Actor,
    outcome?: string,
  ): Promise<HandoffTicket | null> {
    const done = await this.onOpenTicket(conversationId, (record) =>
      this.lifecycle.apply(record, 'cancel', actor, {
        cancelledAt: this.ctx.nowIso(),
        outcome: outcome?.trim() || 'cancelled by the customer',
      }),
    );
    return done ? this.view.one(done) : null;
  }

  /**
   * The customer asks for a supervisor: the open ticket moves to the supervisor queue, keeping
   * its place (waitingSince); an agent who had it is released. Idempotent; null when none is open.
   */
  async escalate(conversationId: string, actor: Actor): Promise<HandoffTicket | null> {
    const queue = this.ctx.settings.supervisorQueue;
    const done = await this.onOpenTicket(conversationId, async (record) => {
      if (record.queue === queue && record.status === 'waiting') return record;
      const moved = await this.lifecycle.moveToQueue(record, actor, queue, {
        toQueue: queue,
        escalatedBy: 'customer',
      });
      await this.lifecycle.systemLine(moved, 'The customer asked for a supervisor');
      return moved;
    });
    return done ? this.view.one(done) : null;
  }

  // Retries when an agent changes the ticket in between (ConflictError from the guard).
  private async onOpenTicket(
    conversationId: string,
    act: (record: TicketRecord) => Promise<TicketRecord>,
  ): Promise<TicketRecord | null> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const record = await this.ctx.tickets.findOpenByConversation(conversationId);
      if (!record) return null;
      try {
        return await act(record);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new ConflictError(`The ticket of ${conversationId} keeps changing; try again`);
  }

  /**
   * Stores the 1..5 rating on a resolved ticket, once: a second rating (another click, a
   * redelivery, another instance) throws AlreadyRatedError and changes nothing.
   */
  async rate(ticketId: string, csat: number): Promise<HandoffTicket> {
    if (!Number.isInteger(csat) || csat < 1 || csat > 5) {
      throw new InvalidInputError(`"csat" must be a whole number from 1 to 5, got ${csat}`);
    }
    const record = await this.ctx.tickets.findById(ticketId);
    if (!record) throw new NotFoundError(`Ticket ${ticketId} does not exist`);
    if (record.status !== 'resolved') {
      throw new ConflictError(
        `Ticket ${ticketId} is ${record.status}; only resolved tickets can be rated`,
      );
    }
    if (record.csat !== null) throw new AlreadyRatedError(ticketId);
    const won = await this.ctx.tickets.update(
      ticketId,
      { statuses: ['resolved'], unrated: true },
      { csat },
      this.ctx.nowIso(),
    );
    if (!won) throw new AlreadyRatedError(ticketId);
    this.ctx.logger.info({ ticketId, csat }, 'ticket rated');
    await this.ctx.tickets.recordEvent({
      ticketId,
      event: 'rate',
      fromStatus: 'resolved',
      toStatus: 'resolved',
      actorId: 'customer',
      actorName: 'customer',
      at: this.ctx.nowIso(),
      detail: { csat },
    });
    return this.view.one(await this.lifecycle.reload(ticketId));
  }

  /** The conversation's most recently resolved ticket (to attach a rating to), or null. */
  async lastResolvedTicket(conversationId: string): Promise<HandoffTicket | null> {
    const record = await this.ctx.tickets.findLastClosed(conversationId, 'resolved');
    return record ? this.view.one(record) : null;
  }
}
