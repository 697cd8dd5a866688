import { isSupervisor } from '../service/agentPolicy';
import type { AgentPresence } from '../store/agentStore';
import { ConflictError } from '../errors';
import type { HandoffContext } from '../service/handoffContext';
import type { TicketRecord } from '../store/ticketRecord';
import { systemActor, TicketLifecycle } from '../service/ticketLifecycle';

export interface AgentSlot {
  agent: AgentPresence;
  load: number;
  /** When the agent last got a ticket (ISO), '' when never; older goes first. */
  lastAssignedAt: string;
}

/**
 * Pure fair choice: among online agents allowed on the queue and below capacity, the one
 * with the lowest load share, then the one who waited longest for a ticket, then by id.
 */
export function pickAgent(
  slots: readonly AgentSlot[],
  mayTake: (a: AgentPresence) => boolean,
): AgentSlot | null {
  const free = slots.filter(
    (s) => s.agent.status === 'online' && s.load < s.agent.capacity && mayTake(s.agent),
  );
  free.sort(
    (a, b) =>
      a.load / a.agent.capacity - b.load / b.agent.capacity ||
      a.lastAssignedAt.localeCompare(b.lastAssignedAt) ||
      a.agent.id.localeCompare(b.agent.id),
  );
  return free[0] ?? null;
}

/**
 * Optional auto-assignment (settings.autoAssign): oldest waiting tickets first (queue order),
 * respecting presence and capacity. Each assignment is a conditional UPDATE, so two workers
 * never give one ticket to two agents.
 */
export class AutoAssigner {
  private readonly lifecycle: TicketLifecycle;

  constructor(private readonly ctx: HandoffContext) {
    this.lifecycle = new TicketLifecycle(ctx);
  }

  /** Returns how many tickets were assigned. */
  async run(): Promise<number> {
    if (!this.ctx.settings.autoAssign) return 0;
    const slots = await this.slots();
    if (!slots.some((s) => s.agent.status === 'online')) return 0;
    const waiting = await this.ctx.tickets.list({ statuses: ['waiting'] });
    // Oldest first across queues; priority still wins (list() orders by it).
    let assigned = 0;
    for (const t of waiting) {
      const slot = pickAgent(
        slots,
        (a) => t.queue !== this.ctx.settings.supervisorQueue || isSupervisor(a),
      );
      if (!slot) continue;
      if (!(await this.assign(t, slot.agent))) continue;
      slot.load += 1;
      slot.lastAssignedAt = this.ctx.nowIso();
      assigned += 1;
    }
    return assigned;
  }

  private async slots(): Promise<AgentSlot[]> {
    const [agents, loads, last] = await Promise.all([
      this.ctx.agents.list(),
      this.ctx.agents.loads(),
      this.ctx.agents.lastAssignments(),
    ]);
    return agents.map((agent) => ({
      agent,
      load: loads.get(agent.id) ?? 0,
      lastAssignedAt: last.get(agent.id) ?? '',
    }));
  }

  private async assign(t: TicketRecord, agent: AgentPresence): Promise<boolean> {
    try {
      const done = await this.lifecycle.apply(
        t,
        'assign',
        systemActor,
        this.lifecycle.assignment(t, agent),
        {
          agentId: agent.id,
          auto: true,
        },
      );
      await this.lifecycle.announceAgent(done, agent.name);
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }
}
