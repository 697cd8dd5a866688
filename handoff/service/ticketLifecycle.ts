import { ConflictError } from '../errors';
import type { HandoffContext } from './handoffContext';
import type { TicketPatch, TicketRecord } from '../store/ticketRecord';
import { referenceOf } from '../store/ticketRecord';
import type { TicketEvent } from './ticketStatus';
import { assertTransition } from './ticketStatus';
import type { Role, TranscriptLine } from '../types';

/** Who caused a change: an agent, the customer, or the system (worker, auto-assign). */
export interface Actor {
  id: string;
  name: string;
  role?: Role;
}

export const systemActor: Actor = { id: 'system', name: 'system' };

/** The log line of each event: "ticket claimed", "ticket transferred to a queue", … */
const pastTense: Readonly<Record<TicketEvent, string>> = {
  claim: 'claimed',
  assign: 'assigned',
  requeue: 'requeued',
  transferToAgent: 'transferred to an agent',
  transferToQueue: 'transferred to a queue',
  resolve: 'resolved',
  handBack: 'handed back to the bot',
  cancel: 'cancelled',
};

/**
 * Applies one state-machine event to a ticket: checks the transition table, writes with a
 * conditional UPDATE guarded by the status (and owner) the caller saw, records the audit
 * trail and publishes the change. A lost race surfaces as ConflictError.
 */
export class TicketLifecycle {
  constructor(private readonly ctx: HandoffContext) {}

  async apply(
    ticket: TicketRecord,
    event: TicketEvent,
    actor: Actor,
    patch: TicketPatch = {},
    detail?: Record<string, unknown>,
  ): Promise<TicketRecord> {
    const to = assertTransition(ticket.status, event);
    const now = this.ctx.nowIso();
    const won = await this.ctx.tickets.update(
      ticket.id,
      { statuses: [ticket.status], assignedAgentId: ticket.assignedAgentId },
      { ...patch, status: to },
      now,
    );
    if (!won) {
      throw new ConflictError(
        `Ticket ${referenceOf(ticket.seq)} changed while you were acting on it; reload it and try again`,
      );
    }
    await this.ctx.tickets.recordEvent({
      ticketId: ticket.id,
      event,
      fromStatus: ticket.status,
      toStatus: to,
      actorId: actor.id,
      actorName: actor.name,
      at: now,
      ...(detail ? { detail } : {}),
    });
    // Ids and states only: resolution outcomes and messages stay out of the logs.
    const agentId = patch.assignedAgentId ?? ticket.assignedAgentId;
    this.ctx.logger.info(
      {
        ticketId: ticket.id,
        event,
        from: ticket.status,
        to,
        actorId: actor.id,
        ...(agentId && { agentId }),
        queue: patch.queue ?? ticket.queue,
      },
      `ticket ${pastTense[event]}`,
    );
    await this.ctx.publish({ type: 'ticketUpdated', ticketId: ticket.id, status: to, event });
    return this.reload(ticket.id);
  }

  /** The fields of an assignment; shared by claim, supervisor assignment and auto-assignment. */
  assignment(record: TicketRecord, agent: { id: string; name: string }): TicketPatch {
    const now = this.ctx.nowIso();
    return {
      assignedAgentId: agent.id,
      assignedAgentName: agent.name,
      assignedAt: now,
      firstAssignedAt: record.firstAssignedAt ?? now,
      agentActiveAt: now,
    };
  }

  /** Tells the customer (and the transcript) who joined. */
  async announceAgent(record: TicketRecord, agentName: string): Promise<void> {
    await this.systemLine(record, `${agentName} joined the conversation`);
    await this.ctx.outbox.send(record, { kind: 'agentJoined', agentName });
  }

  /** A transcript line from the system (joins, transfers, closing), published to consoles. */
  /**
   * Moves an open ticket to `queue` and releases its agent. `waitingSince` is kept, so the
   * customer keeps their place in line (transfer to a queue, escalation to a supervisor).
   */
  moveToQueue(
    record: TicketRecord,
    actor: Actor,
    queue: string,
    detail: Record<string, unknown>,
  ): Promise<TicketRecord> {
    const released: TicketPatch = {
      queue,
      assignedAgentId: null,
      assignedAgentName: null,
      assignedAt: null,
      agentActiveAt: null,
    };
    return this.apply(record, 'transferToQueue', actor, released, detail);
  }

  async systemLine(record: TicketRecord, text: string): Promise<void> {
    const line: TranscriptLine = { role: 'system', text, at: this.ctx.nowIso() };
    await this.ctx.transcripts.append(record.conversationId, line);
    await this.ctx.publish({
      type: 'transcriptLine',
      ticketId: record.id,
      conversationId: record.conversationId,
      line,
    });
  }

  async reload(id: string): Promise<TicketRecord> {
    const record = await this.ctx.tickets.findById(id);
    if (!record) throw new Error(`Ticket ${id} vanished`);
    return record;
  }
}
