import type { Knex } from 'knex';
import { asString } from './rowValues';
import type { Role } from '../types';

export type PresenceStatus = 'online' | 'away' | 'offline';

/**
 * An agent not seen for this long is offline, whatever they last chose. The console shows
 * a sign of life every 20 s (its open event stream), so two missed beats are tolerated.
 * The table keeps the agent's choice and the last sign of life; the status that counts is
 * computed from both when read, so a console that reconnects (e.g. to another instance after
 * a restart) brings its agent back as they chose, and nobody stays 'online' by accident.
 */
export const PRESENCE_TIMEOUT_MS = 60_000;

export interface AgentPresence {
  id: string;
  name: string;
  role: Role;
  /** What the agent chose, or 'offline' once they have not been seen for a minute. */
  status: PresenceStatus;
  /** Concurrent tickets the agent takes, 1..50. */
  capacity: number;
  updatedAt: string;
  /** Last sign of life from the agent's console (ISO); a presence write counts as one. */
  lastSeenAt?: string | null;
}

type Row = Record<string, unknown>;

/** The status that counts: the chosen one while the agent has been seen recently, else offline. */
export function effectiveStatus(
  chosen: PresenceStatus,
  lastSeenAt: string | null,
  now: Date,
): PresenceStatus {
  if (chosen === 'offline' || !lastSeenAt) return 'offline';
  return now.getTime() - Date.parse(lastSeenAt) > PRESENCE_TIMEOUT_MS ? 'offline' : chosen;
}

/** Agents' presence and capacity, shared by all processes through the database. */
export class AgentStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private fromRow(r: Row): AgentPresence {
    const lastSeenAt = r.last_seen_at == null ? null : asString(r.last_seen_at);
    return {
      id: asString(r.agent_id),
      name: asString(r.name),
      role: asString(r.role) as Role,
      status: effectiveStatus(asString(r.status) as PresenceStatus, lastSeenAt, this.now()),
      capacity: Number(r.capacity),
      updatedAt: asString(r.updated_at),
      lastSeenAt,
    };
  }

  async upsert(p: AgentPresence): Promise<void> {
    await this.db('handoff_agents')
      .insert({
        agent_id: p.id,
        name: p.name,
        role: p.role,
        status: p.status,
        capacity: p.capacity,
        updated_at: p.updatedAt,
        last_seen_at: p.lastSeenAt === undefined ? p.updatedAt : p.lastSeenAt,
      })
      .onConflict('agent_id')
      .merge(['name', 'role', 'status', 'capacity', 'updated_at', 'last_seen_at']);
  }

  /** Records a sign of life; false when the agent never set a presence. */
  async touch(id: string, at: string): Promise<boolean> {
    const updated = await this.db('handoff_agents')
      .where({ agent_id: id })
      .update({ last_seen_at: at });
    return Number(updated) > 0;
  }

  async find(id: string): Promise<AgentPresence | null> {
    const row = (await this.db('handoff_agents').where({ agent_id: id }).first()) as
      Row | undefined;
    return row ? this.fromRow(row) : null;
  }

  async list(): Promise<AgentPresence[]> {
    const rows = (await this.db('handoff_agents').orderBy('name', 'asc')) as Row[];
    return rows.map((r) => this.fromRow(r));
  }

  /** Open (assigned) ticket counts per agent id. */
  async loads(): Promise<Map<string, number>> {
    const rows: Row[] = await this.db('handoff_tickets')
      .select('assigned_agent_id')
      .count({ n: '*' })
      .where('status', 'assigned')
      .groupBy('assigned_agent_id');
    return new Map(rows.map((r) => [asString(r.assigned_agent_id), Number(r.n)]));
  }

  /** Latest assignment time per agent (ISO), from the audit trail, for fair rotation. */
  async lastAssignments(): Promise<Map<string, string>> {
    const rows: Row[] = await this.db('handoff_tickets')
      .select('assigned_agent_id')
      .max({ at: 'assigned_at' })
      .whereNotNull('assigned_agent_id')
      .groupBy('assigned_agent_id');
    return new Map(rows.map((r) => [asString(r.assigned_agent_id), asString(r.at)]));
  }
}
