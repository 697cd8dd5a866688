import type { Knex } from 'knex';
import { z } from 'zod';
import { asNumberOrNull, asString, asStringOrNull } from './rowValues';
import type { NewTicketRecord, TicketPatch, TicketRecord } from './ticketRecord';
import type { TicketStatus, TicketNote, HandoffReason } from '../types';

const TABLE = 'handoff_tickets';

const columnOf: Readonly<Record<keyof TicketRecord, string>> = {
  id: 'id',
  seq: 'seq',
  conversationId: 'conversation_id',
  conversationRef: 'conversation_ref',
  status: 'status',
  reason: 'reason',
  locale: 'locale',
  question: 'question',
  queue: 'queue',
  priority: 'priority',
  candidates: 'candidates_json',
  waitingSince: 'waiting_since',
  afterHours: 'after_hours',
  backAt: 'back_at',
  slaDeadline: 'sla_deadline',
  assignedAgentId: 'assigned_agent_id',
  assignedAgentName: 'assigned_agent_name',
  assignedAt: 'assigned_at',
  firstAssignedAt: 'first_assigned_at',
  agentActiveAt: 'agent_active_at',
  firstResponseAt: 'first_response_at',
  resolvedAt: 'resolved_at',
  cancelledAt: 'cancelled_at',
  outcome: 'outcome',
  csat: 'csat',
  predictedWaitSeconds: 'predicted_wait_seconds',
  lastNoticePosition: 'last_notice_position',
  lastNoticeEtaSeconds: 'last_notice_eta_seconds',
  lastNoticeAt: 'last_notice_at',
  version: 'version',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

const CandidatesJson = z.array(
  z.object({ id: z.string(), question: z.string(), confidence: z.number() }),
);

type Row = Record<string, unknown>;

function toRow(fields: Partial<TicketRecord>): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(fields)) {
    const column = columnOf[key as keyof TicketRecord];
    if (value === undefined) continue;
    row[column] = key === 'candidates' ? JSON.stringify(value) : value;
  }
  return row;
}

const str = asString;
const strOrNull = asStringOrNull;
const numOrNull = asNumberOrNull;

function fromRow(row: Row): TicketRecord {
  const s = (k: keyof TicketRecord) => str(row[columnOf[k]]);
  const sn = (k: keyof TicketRecord) => strOrNull(row[columnOf[k]]);
  const nn = (k: keyof TicketRecord) => numOrNull(row[columnOf[k]]);
  return {
    id: s('id'),
    seq: Number(row.seq),
    conversationId: s('conversationId'),
    conversationRef: s('conversationRef'),
    status: s('status') as TicketStatus,
    reason: s('reason') as HandoffReason,
    locale: s('locale'),
    question: s('question'),
    queue: s('queue'),
    priority: Number(row.priority),
    candidates: CandidatesJson.parse(JSON.parse(s('candidates'))),
    waitingSince: s('waitingSince'),
    // SQLite hands booleans back as 0/1.
    afterHours: Boolean(row.after_hours),
    backAt: sn('backAt'),
    slaDeadline: s('slaDeadline'),
    assignedAgentId: sn('assignedAgentId'),
    assignedAgentName: sn('assignedAgentName'),
    assignedAt: sn('assignedAt'),
    firstAssignedAt: sn('firstAssignedAt'),
    agentActiveAt: sn('agentActiveAt'),
    firstResponseAt: sn('firstResponseAt'),
    resolvedAt: sn('resolvedAt'),
    cancelledAt: sn('cancelledAt'),
    outcome: sn('outcome'),
    csat: nn('csat'),
    predictedWaitSeconds: nn('predictedWaitSeconds'),
    lastNoticePosition: nn('lastNoticePosition'),
    lastNoticeEtaSeconds: nn('lastNoticeEtaSeconds'),
    lastNoticeAt: sn('lastNoticeAt'),
    version: Number(row.version),
    createdAt: s('createdAt'),
    updatedAt: s('updatedAt'),
  };
}

/** Optimistic-concurrency guard for `update`: all given conditions must hold on the row. */
export interface UpdateGuard {
  statuses?: readonly TicketStatus[];
  version?: number;
  /** The agent who must still hold the ticket (null: nobody). */
  assignedAgentId?: string | null;
  /** Only while the ticket has no rating yet. */
  unrated?: boolean;
}

export interface TicketFilter {
  statuses?: readonly TicketStatus[];
  queue?: string;
  excludeQueue?: string;
  /** Only tickets created at or after this ISO time. */
  createdSince?: string;
  /** Only tickets created strictly before this ISO time. */
  createdBefore?: string;
  locale?: string;
  /**
   * History search: a reference ("AD-000123", "ad-123" or "123") finds that ticket; other text
   * matches, case-insensitively, the ticket's question, its agent's name or anything the
   * customer wrote in the conversation.
   */
  search?: string;
  limit?: number;
  /** Newest first (by creation) instead of queue order; for history views. */
  newestFirst?: boolean;
}

export interface TicketEventRecord {
  ticketId: string;
  event: string;
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus | null;
  actorId: string | null;
  actorName: string | null;
  at: string;
  detail?: Record<string, unknown>;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return (
    e.code === '23505' || (e.code === 'SQLITE_CONSTRAINT' && /UNIQUE/i.test(String(e.message)))
  );
}

/** Tickets, their audit trail and internal notes, on SQLite or PostgreSQL through knex. */
export class TicketStore {
  constructor(private readonly db: Knex) {}

  /** Inserts an open ticket; null when the conversation already has one (any process). */
  async insert(ticket: NewTicketRecord, updatedAt: string): Promise<TicketRecord | null> {
    const row = toRow({ ...ticket, version: 0, updatedAt });
    row.open_conversation_id = ticket.conversationId;
    try {
      await this.db(TABLE).insert(row);
    } catch (err) {
      if (isUniqueViolation(err)) return null;
      throw err;
    }
    return this.findById(ticket.id);
  }

  async findById(id: string): Promise<TicketRecord | null> {
    const row = (await this.db(TABLE).where({ id }).first()) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  async findOpenByConversation(conversationId: string): Promise<TicketRecord | null> {
    const row = (await this.db(TABLE).where({ open_conversation_id: conversationId }).first()) as
      Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** The newest closed ticket of the conversation with the given status, or null. */
  async findLastClosed(conversationId: string, status: TicketStatus): Promise<TicketRecord | null> {
    const row = (await this.db(TABLE)
      .where({ conversation_id: conversationId, status })
      .orderBy('seq', 'desc')
      .first()) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Queue order: priority first, then oldest `waitingSince`, then creation. */
  async list(filter: TicketFilter = {}): Promise<TicketRecord[]> {
    const q = this.db(TABLE).select('*');
    if (filter.statuses) q.whereIn('status', [...filter.statuses]);
    if (filter.queue) q.where('queue', filter.queue);
    if (filter.excludeQueue) q.whereNot('queue', filter.excludeQueue);
    if (filter.createdSince) q.where('created_at', '>=', filter.createdSince);
    if (filter.createdBefore) q.where('created_at', '<', filter.createdBefore);
    if (filter.locale) q.where('locale', filter.locale);
    if (filter.search) this.whereMatches(q, filter.search);
    if (filter.newestFirst) q.orderBy('seq', 'desc');
    else
      q.orderBy([
        { column: 'priority', order: 'desc' },
        { column: 'waiting_since', order: 'asc' },
        { column: 'seq', order: 'asc' },
      ]);
    if (filter.limit) q.limit(filter.limit);
    return ((await q) as Row[]).map(fromRow);
  }

  private whereMatches(q: Knex.QueryBuilder, search: string): void {
    const reference = /^(?:AD-?)?0*(\d{1,9})$/i.exec(search.trim());
    if (reference) {
      q.where('seq', Number(reference[1]));
      return;
    }
    // LIKE with our own escape character, so % and _ in the search are taken literally.
    const pattern = `%${search
      .trim()
      .toLowerCase()
      .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const like = "lower(??) like ? escape '\\'";
    q.where((w) => {
      void w
        .whereRaw(like, ['question', pattern])
        .orWhereRaw(like, ['assigned_agent_name', pattern])
        .orWhereIn(
          'conversation_id',
          this.db('handoff_transcript_lines')
            .select('conversation_id')
            .where('role', 'customer')
            .whereRaw(like, ['text', pattern]),
        );
    });
  }

  /** Resolved tickets, newest resolution first, for rolling statistics. */
  async listRecentlyResolved(limit: number): Promise<TicketRecord[]> {
    const rows = (await this.db(TABLE)
      .where('status', 'resolved')
      .whereNotNull('first_assigned_at')
      .orderBy('resolved_at', 'desc')
      .limit(limit)) as Row[];
    return rows.map(fromRow);
  }

  /**
   * Conditional UPDATE: applies `patch` only if the guard still holds, and bumps `version`.
   * Returns false when another writer got there first (0 rows), which callers treat as a
   * lost race. Closing a ticket frees its conversation for a new one.
   */
  async update(id: string, guard: UpdateGuard, patch: TicketPatch, now: string): Promise<boolean> {
    const row = toRow({ ...patch, updatedAt: now });
    if (patch.status === 'resolved' || patch.status === 'cancelled')
      row.open_conversation_id = null;
    const q = this.db(TABLE).where({ id });
    if (guard.statuses) q.whereIn('status', [...guard.statuses]);
    if (guard.version !== undefined) q.where('version', guard.version);
    if (guard.unrated) q.whereNull('csat');
    if (guard.assignedAgentId === null) q.whereNull('assigned_agent_id');
    else if (guard.assignedAgentId !== undefined)
      q.where('assigned_agent_id', guard.assignedAgentId);
    const count = await q.update({ ...row, version: this.db.raw('version + 1') });
    return Number(count) === 1;
  }

  async recordEvent(e: TicketEventRecord): Promise<void> {
    await this.db('handoff_ticket_events').insert({
      ticket_id: e.ticketId,
      event: e.event,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      actor_id: e.actorId,
      actor_name: e.actorName,
      at: e.at,
      detail_json: e.detail ? JSON.stringify(e.detail) : null,
    });
  }

  async listEvents(ticketId: string): Promise<TicketEventRecord[]> {
    const rows = (await this.db('handoff_ticket_events')
      .where({ ticket_id: ticketId })
      .orderBy('seq', 'asc')) as Row[];
    return rows.map((r) => ({
      ticketId: str(r.ticket_id),
      event: str(r.event),
      fromStatus: strOrNull(r.from_status) as TicketStatus | null,
      toStatus: strOrNull(r.to_status) as TicketStatus | null,
      actorId: strOrNull(r.actor_id),
      actorName: strOrNull(r.actor_name),
      at: str(r.at),
      ...(r.detail_json
        ? { detail: JSON.parse(str(r.detail_json)) as Record<string, unknown> }
        : {}),
    }));
  }

  async addNote(ticketId: string, note: TicketNote): Promise<void> {
    await this.db('handoff_ticket_notes').insert({
      id: note.id,
      ticket_id: ticketId,
      agent_id: note.agentId,
      agent_name: note.agentName,
      text: note.text,
      at: note.at,
    });
  }

  async listNotes(ticketId: string): Promise<TicketNote[]> {
    return (await this.listNotesMany([ticketId])).get(ticketId) ?? [];
  }

  /** Notes of many tickets (one query per 500 ids), oldest first. */
  async listNotesMany(ticketIds: readonly string[]): Promise<Map<string, TicketNote[]>> {
    const out = new Map<string, TicketNote[]>();
    for (let i = 0; i < ticketIds.length; i += 500) {
      const rows = (await this.db('handoff_ticket_notes')
        .whereIn('ticket_id', ticketIds.slice(i, i + 500))
        .orderBy([{ column: 'at' }, { column: 'id' }])) as Row[];
      for (const r of rows) {
        const notes = out.get(str(r.ticket_id)) ?? [];
        notes.push({
          id: str(r.id),
          agentId: str(r.agent_id),
          agentName: str(r.agent_name),
          text: str(r.text),
          at: str(r.at),
        });
        out.set(str(r.ticket_id), notes);
      }
    }
    return out;
  }
}
