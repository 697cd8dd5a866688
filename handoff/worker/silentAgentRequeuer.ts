import { ConflictError } from '../errors';
import type { HandoffContext } from '../service/handoffContext';
import type { TicketRecord } from '../store/ticketRecord';
import { systemActor, TicketLifecycle } from '../service/ticketLifecycle';
import { TicketView } from '../store/ticketView';

/**
 * Since when the assigned agent owes the customer a reply: the assignment while the agent has
 * not written since, else the first customer line after the agent's latest one; null when the
 * agent answered last (then the agent is waiting for the customer, not the other way round).
 */
export async function owesReplySince(ctx: HandoffContext, t: TicketRecord): Promise<string | null> {
  if (t.status !== 'assigned' || !t.assignedAt) return null;
  const lastAgentLine = await ctx.transcripts.latestAt(t.conversationId, 'agent', t.assignedAt);
  if (!lastAgentLine) return t.assignedAt;
  return ctx.transcripts.firstAfter(t.conversationId, 'customer', lastAgentLine);
}

/**
 * Puts tickets whose agent went silent back in the queue. They keep `waitingSince`, hence their
 * place; the silent agent is set 'away' so auto-assignment does not hand the ticket straight
 * back; the customer is told their position again.
 */
export class SilentAgentRequeuer {
  private readonly lifecycle: TicketLifecycle;
  private readonly view: TicketView;

  constructor(private readonly ctx: HandoffContext) {
    this.lifecycle = new TicketLifecycle(ctx);
    this.view = new TicketView(ctx);
  }

  /** Returns how many tickets were requeued. */
  async run(): Promise<number> {
    const now = this.ctx.clock.now().getTime();
    const timeoutMs = this.ctx.settings.agentReplyTimeoutMinutes * 60_000;
    let requeued = 0;
    for (const t of await this.ctx.tickets.list({ statuses: ['assigned'] })) {
      const since = await owesReplySince(this.ctx, t);
      if (since === null || Date.parse(since) + timeoutMs > now) continue;
      if (await this.requeue(t)) requeued += 1;
    }
    return requeued;
  }

  private async requeue(t: TicketRecord): Promise<boolean> {
    let back: TicketRecord;
    try {
      back = await this.lifecycle.apply(
        t,
        'requeue',
        systemActor,
        { assignedAgentId: null, assignedAgentName: null, assignedAt: null, agentActiveAt: null },
        {
          silentAgentId: t.assignedAgentId,
          timeoutMinutes: this.ctx.settings.agentReplyTimeoutMinutes,
        },
      );
    } catch (err) {
      if (err instanceof ConflictError) return false; // the agent acted, or another worker won
      throw err;
    }
    await this.markAway(t.assignedAgentId);
    const view = await this.view.one(back);
    await this.lifecycle.systemLine(
      back,
      `${t.assignedAgentName ?? 'The agent'} did not reply in time; the request went back to the queue`,
    );
    await this.ctx.outbox.send(back, { kind: 'requeued', position: view.position ?? 1 });
    await this.ctx.tickets.update(
      back.id,
      {},
      {
        lastNoticePosition: view.position,
        lastNoticeEtaSeconds: view.etaSeconds,
        lastNoticeAt: this.ctx.nowIso(),
      },
      this.ctx.nowIso(),
    );
    return true;
  }

  private async markAway(agentId: string | null): Promise<void> {
    if (!agentId) return;
    const presence = await this.ctx.agents.find(agentId);
    if (!presence || presence.status !== 'online') return;
    await this.ctx.agents.upsert({ ...presence, status: 'away', updatedAt: this.ctx.nowIso() });
    await this.ctx.publish({ type: 'presenceChanged', agentId });
  }
}
