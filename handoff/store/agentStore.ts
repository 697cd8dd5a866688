import type { Knex } from 'knex';
import { asString } from './rowValues';
import type { Role } from '../types';

export type PresenceStatus = 'online' | 'away' | 'offline';

export interface AgentPresence {
  id: string;
  name: string;
  role: Role;
  status: PresenceStatus;
  /** Concurrent tickets the agent takes, 1..50. */
  capacity: number;
  updatedAt: string;
}

type Row = Record<string, unknown>;

const fromRow = (r: Row): AgentPresence => ({
  id: asString(r.agent_id),
  name: asString(r.name),
  role: asString(r.role) as Role,
  status: asString(r.status) as PresenceStatus,
  capacity: Number(r.capacity),
  updatedAt: asString(r.updated_at),
});

/** Agents' presence and capacity, shared by all processes through the database. */
export class AgentStore {
  constructor(private readonly db: Knex) {}

  async upsert(p: AgentPresence): Promise<void> {
    await this.db('handoff_agents')
      .insert({
        agent_id: p.id,
        name: p.name,
        role: p.role,
        status: p.status,
        capacity: p.capacity,
        updated_at: p.updatedAt,
      })
      .onConflict('agent_id')
      .merge(['name', 'role', 'status', 'capacity', 'updated_at']);
  }

  async find(id: string): Promise<AgentPresence | null> {
    const row = (await this.db('handoff_agents').where({ agent_id: id }).first()) as
      Row | undefined;
    return row ? fromRow(row) : null;
  }

  async list(): Promise<AgentPresence[]> {
    const rows = (await this.db('handoff_agents').orderBy('name', 'asc')) as Row[];
    return rows.map(fromRow);
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
