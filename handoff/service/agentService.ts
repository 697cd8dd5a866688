import { z } from 'zod';
import type { AgentPresence, PresenceStatus } from '../store/agentStore';
import {
  assertMayTakeQueue,
  assertOwner,
  isSupervisor,
  notClaimable,
  notOpen,
} from './agentPolicy';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors';
import type { HandoffContext } from './handoffContext';
import type { TicketRecord } from '../store/ticketRecord';
import { referenceOf } from '../store/ticketRecord';
import { TicketLifecycle } from './ticketLifecycle';
import { isOpenStatus } from './ticketStatus';
import { TicketView } from '../store/ticketView';
import { writeAgentMessage } from './agentMessage';
import type { HandoffTicket, Principal, TicketStatus } from '../types';

const MessageText = z
  .string()
  .trim()
  .min(1, 'is empty; write a message')
  .max(20000, 'is longer than 20000 characters');

const TransferTarget = z.union([
  z.object({ toAgentId: z.string().min(1).max(64) }).strict(),
  z.object({ toQueue: z.string().min(1).max(64) }).strict(),
]);
export type TransferTarget = z.infer<typeof TransferTarget>;

/** Tickets per list call unless asked otherwise; keeps history views bounded. */
export const DEFAULT_LIST_LIMIT = 200;

/** What a ticket list may be narrowed to; `from`/`to` (ISO) bound the creation time. */
export interface TicketListFilter {
  status?: TicketStatus;
  queue?: string;
  limit?: number;
  /** A reference (AD-000123), or text in the question, the agent's name or the customer's words. */
  q?: string;
  locale?: string;
  from?: string;
  to?: string;
}

export interface PresenceInput {
  status: PresenceStatus;
  capacity?: number;
}

/** Agent-side use cases; the routes call these with the principal from the token. */
export class AgentService {
  private readonly view: TicketView;
  private readonly lifecycle: TicketLifecycle;

  constructor(private readonly ctx: HandoffContext) {
    this.view = new TicketView(ctx);
    this.lifecycle = new TicketLifecycle(ctx);
  }

  /**
   * Tickets in queue order (priority, then oldest first; resolved/cancelled newest first), at
   * most `limit` (default 200), narrowed by `filter` (history search: see TicketListFilter). Plain agents do not see the supervisor queue; supervisors and
   * admins see every queue.
   */
  async list(filter: TicketListFilter = {}, actor?: Principal): Promise<HandoffTicket[]> {
    const hidden = actor && !isSupervisor(actor) ? this.ctx.settings.supervisorQueue : null;
    const records = await this.ctx.tickets.list({
      ...(filter.status ? { statuses: [filter.status] } : {}),
      ...(filter.queue ? { queue: filter.queue } : {}),
      ...(filter.q ? { search: filter.q } : {}),
      ...(filter.locale ? { locale: filter.locale } : {}),
      ...(filter.from ? { createdSince: filter.from } : {}),
      ...(filter.to ? { createdBefore: filter.to } : {}),
      ...(hidden ? { excludeQueue: hidden } : {}),
      // History (closed tickets) is shown newest first; the live queue in queue order.
      newestFirst: filter.status === 'resolved' || filter.status === 'cancelled',
      limit: filter.limit ?? DEFAULT_LIST_LIMIT,
    });
    return this.view.many(records);
  }

  /** One ticket with transcript and notes; NotFoundError for an unknown id. */
  async get(id: string): Promise<HandoffTicket> {
    return this.view.one(await this.load(id));
  }

  /**
   * Takes a waiting ticket. Exactly one concurrent claimer wins, across processes (conditional
   * UPDATE on status = 'waiting'); the others get ConflictError. Claiming a ticket one already
   * holds returns it unchanged. The customer is told the agent's display name.
   */
  async claim(id: string, actor: Principal): Promise<HandoffTicket> {
    const record = await this.load(id);
    if (record.status === 'assigned' && record.assignedAgentId === actor.id)
      return this.view.one(record);
    if (record.status !== 'waiting') throw notClaimable(record);
    assertMayTakeQueue(record, actor, this.ctx.settings.supervisorQueue);
    let claimed: TicketRecord;
    try {
      claimed = await this.lifecycle.apply(
        record,
        'claim',
        actor,
        this.lifecycle.assignment(record, actor),
      );
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const now = await this.load(id);
      if (now.status === 'assigned' && now.assignedAgentId === actor.id) return this.view.one(now);
      throw notClaimable(now);
    }
    await this.lifecycle.announceAgent(claimed, actor.name);
    return this.view.one(claimed);
  }

  /**
   * Appends the agent's message, relays it to the customer and records the first response, in
   * one transaction that re-checks the assignment (ConflictError when a transfer, requeue or
   * close won the race; nothing is written). With `idempotencyKey`, a retry of a message that
   * went through stores and sends nothing again and returns the ticket as it is.
   */
  async postAgentMessage(
    id: string,
    actor: Principal,
    text: string,
    options: { idempotencyKey?: string } = {},
  ): Promise<HandoffTicket> {
    const parsed = MessageText.safeParse(text);
    if (!parsed.success)
      throw new InvalidInputError(`"text" ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
    const record = await this.load(id);
    const outcome = await writeAgentMessage(
      this.ctx,
      record,
      actor,
      parsed.data,
      options.idempotencyKey,
      () => assertOwner(record, actor, 'message'),
    );
    if (outcome.kind === 'written') {
      await this.ctx.publish({
        type: 'transcriptLine',
        ticketId: id,
        conversationId: record.conversationId,
        line: outcome.line,
      });
      await this.ctx.outbox.deliverPending(record.conversationId);
    }
    return this.view.one(await this.lifecycle.reload(id));
  }

  /**
   * Closes an assigned ticket; the customer gets the summary (reference, agent, outcome) and
   * the bot then asks for the rating. Resolving an already resolved ticket returns it.
   */
  async resolve(id: string, actor: Principal, outcome?: string): Promise<HandoffTicket> {
    const record = await this.load(id);
    if (record.status === 'resolved') return this.view.one(record);
    assertOwner(record, actor, 'resolve');
    const text = (outcome ?? '').trim() || 'resolved';
    const done = await this.lifecycle.apply(record, 'resolve', actor, {
      resolvedAt: this.ctx.nowIso(),
      outcome: text,
    });
    await this.lifecycle.systemLine(
      done,
      `${actor.name} resolved the request (${referenceOf(done.seq)})`,
    );
    await this.ctx.outbox.send(done, {
      kind: 'resolved',
      reference: referenceOf(done.seq),
      agentName: record.assignedAgentName ?? actor.name,
      outcome: text,
    });
    return this.view.one(done);
  }

  /** Gives the conversation back to the bot without the survey (closed as resolved). */
  async handBack(id: string, actor: Principal): Promise<HandoffTicket> {
    const record = await this.load(id);
    if (!isOpenStatus(record.status)) throw notOpen(record, 'hand back');
    if (record.status === 'assigned') assertOwner(record, actor, 'hand back');
    const done = await this.lifecycle.apply(record, 'handBack', actor, {
      resolvedAt: this.ctx.nowIso(),
      outcome: 'handed back to the bot',
    });
    await this.lifecycle.systemLine(done, `${actor.name} handed the conversation back to the bot`);
    await this.ctx.outbox.send(done, { kind: 'handedBack' });
    return this.view.one(done);
  }

  private async load(id: string): Promise<TicketRecord> {
    const record = await this.ctx.tickets.findById(id);
    if (!record)
      throw new NotFoundError(`Ticket "${id}" does not exist; list tickets to find its id`);
    return record;
  }

  /** Validates a transfer body: exactly one of toAgentId / toQueue. */
  parseTransfer(body: unknown): TransferTarget {
    const r = TransferTarget.safeParse(body);
    if (!r.success)
      throw new InvalidInputError('transfer body: give exactly one of "toAgentId" or "toQueue"');
    return r.data;
  }

  /**
   * Moves a ticket to another agent (assigned to them at once) or to a queue (waiting again,
   * keeping its original place). The owner or a supervisor may transfer; supervisors may also
   * reassign waiting tickets. The customer is told either way.
   */
  async transfer(id: string, actor: Principal, target: TransferTarget): Promise<HandoffTicket> {
    const record = await this.load(id);
    if (!isOpenStatus(record.status)) throw notOpen(record, 'transfer');
    if (record.status === 'assigned') assertOwner(record, actor, 'transfer');
    else if (!isSupervisor(actor))
      throw new ForbiddenError(
        `Ticket ${referenceOf(record.seq)} is waiting; claim it, or ask a supervisor to assign it`,
      );
    if ('toQueue' in target) return this.transferToQueue(record, actor, target.toQueue);
    const agent = await this.ctx.agents.find(target.toAgentId);
    if (!agent)
      throw new InvalidInputError(
        `transfer body: "toAgentId" ${target.toAgentId} is not a known agent; see GET /api/handoff/agents`,
      );
    const moved = await this.lifecycle.apply(
      record,
      'transferToAgent',
      actor,
      this.lifecycle.assignment(record, agent),
      {
        toAgentId: agent.id,
      },
    );
    await this.ctx.outbox.send(moved, {
      kind: 'transferred',
      toAgentName: agent.name,
      toQueue: null,
    });
    await this.lifecycle.announceAgent(moved, agent.name);
    return this.view.one(moved);
  }

  /**
   * A supervisor (or admin) gives an open ticket to a named agent, who owns it at once: a
   * waiting ticket leaves the queue, an assigned one changes hands. The customer is told the
   * new agent's name. Assigning to the agent who already holds it returns it unchanged.
   */
  async assign(id: string, actor: Principal, agentId: string): Promise<HandoffTicket> {
    if (!isSupervisor(actor))
      throw new ForbiddenError('Only a supervisor or an admin can assign tickets to an agent');
    const record = await this.load(id);
    const reference = referenceOf(record.seq);
    if (!isOpenStatus(record.status)) throw notOpen(record, 'assign');
    const agent = await this.ctx.agents.find(agentId);
    if (!agent)
      throw new InvalidInputError(
        `assign body: "agentId" ${agentId} is not a known agent; see GET /api/handoff/agents`,
      );
    if (record.status === 'assigned' && record.assignedAgentId === agent.id)
      return this.view.one(record);
    const assigned = await this.lifecycle.apply(
      record,
      'assign',
      actor,
      this.lifecycle.assignment(record, agent),
      { toAgentId: agent.id, by: actor.name },
    );
    await this.lifecycle.systemLine(
      assigned,
      `${actor.name} assigned ${reference} to ${agent.name}`,
    );
    await this.ctx.outbox.send(assigned, {
      kind: 'transferred',
      toAgentName: agent.name,
      toQueue: null,
    });
    await this.lifecycle.announceAgent(assigned, agent.name);
    return this.view.one(assigned);
  }

  private async transferToQueue(
    record: TicketRecord,
    actor: Principal,
    queue: string,
  ): Promise<HandoffTicket> {
    if (!this.ctx.settings.queues[queue]) {
      const known = Object.keys(this.ctx.settings.queues).join(', ');
      throw new InvalidInputError(
        `transfer body: "toQueue" ${queue} is unknown; use one of ${known}`,
      );
    }
    const moved = await this.lifecycle.moveToQueue(record, actor, queue, { toQueue: queue });
    await this.lifecycle.systemLine(
      moved,
      `${actor.name} transferred the conversation to the ${queue} queue`,
    );
    await this.ctx.outbox.send(moved, { kind: 'transferred', toAgentName: null, toQueue: queue });
    return this.view.one(moved);
  }

  /** Adds an internal note (never sent to the customer); works on closed tickets too. */
  async addNote(id: string, actor: Principal, text: string): Promise<HandoffTicket> {
    const record = await this.load(id);
    const trimmed = text.trim();
    if (!trimmed) throw new InvalidInputError('"text" is empty; write a note');
    const note = {
      id: this.ctx.newId(),
      agentId: actor.id,
      agentName: actor.name,
      text: trimmed,
      at: this.ctx.nowIso(),
    };
    await this.ctx.tickets.addNote(id, note);
    await this.ctx.tickets.recordEvent({
      ticketId: id,
      event: 'note',
      fromStatus: record.status,
      toStatus: record.status,
      actorId: actor.id,
      actorName: actor.name,
      at: note.at,
    });
    await this.ctx.publish({
      type: 'ticketUpdated',
      ticketId: id,
      status: record.status,
      event: 'note',
    });
    return this.view.one(record);
  }

  /** The customer's latest message on the ticket (for canned-response suggestions). */
  async lastCustomerMessage(id: string): Promise<{ text: string | null; locale: string }> {
    const record = await this.load(id);
    const line = await this.ctx.transcripts.lastCustomerLine(record.conversationId);
    return { text: line?.text ?? record.question, locale: record.locale };
  }

  /** Sets the caller's presence; capacity defaults to the previous one, else the setting. */
  async setPresence(actor: Principal, input: PresenceInput): Promise<AgentPresence> {
    const previous = await this.ctx.agents.find(actor.id);
    const presence: AgentPresence = {
      id: actor.id,
      name: actor.name,
      role: actor.role,
      status: input.status,
      capacity: input.capacity ?? previous?.capacity ?? this.ctx.settings.defaultAgentCapacity,
      updatedAt: this.ctx.nowIso(),
      lastSeenAt: this.ctx.nowIso(),
    };
    await this.ctx.agents.upsert(presence);
    await this.ctx.publish({ type: 'presenceChanged', agentId: actor.id });
    return presence;
  }

  /**
   * A sign of life from the agent's console (its open event stream, or an explicit ping):
   * without one for a minute the agent counts as offline. Answers the presence that counts.
   */
  async heartbeat(actor: Principal): Promise<AgentPresence> {
    if (!(await this.ctx.agents.touch(actor.id, this.ctx.nowIso())))
      throw new NotFoundError(
        'You have no presence yet; set it with PUT /api/handoff/agents/me/presence',
      );
    const presence = await this.ctx.agents.find(actor.id);
    if (!presence) throw new NotFoundError('You have no presence yet');
    return presence;
  }

  /** Every agent who ever set presence, with their current load (assigned tickets). */
  async listAgents(): Promise<(AgentPresence & { load: number })[]> {
    const [agents, loads] = await Promise.all([this.ctx.agents.list(), this.ctx.agents.loads()]);
    return agents.map((a) => ({ ...a, load: loads.get(a.id) ?? 0 }));
  }
}
