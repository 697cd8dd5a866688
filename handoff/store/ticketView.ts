import { secondsUntilOpen } from '../service/businessHours';
import type { Eta, HandleTimeStats } from '../service/eta';
import { estimateWait, median } from '../service/eta';
import type { HandoffContext } from '../service/handoffContext';
import { queueSettingsOf } from '../service/handoffSettings';
import type { TicketRecord } from './ticketRecord';
import { referenceOf } from './ticketRecord';
import type { HandoffTicket, TicketNote, TranscriptLine } from '../types';

/** Everything position and ETA depend on, read once per request. */
export interface QueueSnapshot {
  /** ticket id → 1-based place in its queue (waiting tickets only). */
  positions: Map<string, number>;
  stats: HandleTimeStats;
  onlineCapacity: number;
}

const seconds = (fromIso: string, to: Date | string): number =>
  Math.max(
    0,
    Math.round(
      ((typeof to === 'string' ? Date.parse(to) : to.getTime()) - Date.parse(fromIso)) / 1000,
    ),
  );

/** Handle time of a resolved ticket (resolution − first assignment), seconds; null if unknown. */
export const handleSecondsOf = (t: TicketRecord): number | null =>
  t.resolvedAt && t.firstAssignedAt ? seconds(t.firstAssignedAt, t.resolvedAt) : null;

/** Turns stored records into the API's HandoffTicket, computing position, ETA and timings. */
export class TicketView {
  constructor(private readonly ctx: HandoffContext) {}

  async snapshot(): Promise<QueueSnapshot> {
    const waiting = await this.ctx.tickets.list({ statuses: ['waiting'] });
    const positions = new Map<string, number>();
    const perQueue = new Map<string, number>();
    for (const t of waiting) {
      const place = (perQueue.get(t.queue) ?? 0) + 1;
      perQueue.set(t.queue, place);
      positions.set(t.id, place);
    }
    return {
      positions,
      stats: await this.handleStats(),
      onlineCapacity: await this.onlineCapacity(),
    };
  }

  /** Rolling median handle time over the last N resolved tickets (all queues). */
  async handleStats(): Promise<HandleTimeStats> {
    const recent = await this.ctx.tickets.listRecentlyResolved(this.ctx.settings.handleSampleSize);
    const samples = recent.map(handleSecondsOf).filter((s): s is number => s !== null);
    return {
      medianSeconds: median(samples) ?? this.ctx.settings.defaultHandleSeconds,
      samples: samples.length,
    };
  }

  async onlineCapacity(): Promise<number> {
    const agents = await this.ctx.agents.list();
    return agents.filter((a) => a.status === 'online').reduce((sum, a) => sum + a.capacity, 0);
  }

  /** ETA of a waiting ticket at `position`, including any time until its queue opens. */
  etaFor(record: TicketRecord, position: number, snap: QueueSnapshot): Eta {
    const queue = queueSettingsOf(this.ctx.settings, record.queue);
    return estimateWait({
      position,
      stats: snap.stats,
      onlineCapacity: snap.onlineCapacity,
      minSamples: this.ctx.settings.minHandleSamples,
      closedSeconds: secondsUntilOpen(queue, this.ctx.clock.now()) ?? 0,
    });
  }

  async one(record: TicketRecord, snap?: QueueSnapshot): Promise<HandoffTicket> {
    const [view] = await this.many([record], snap);
    return view as HandoffTicket;
  }

  async many(records: readonly TicketRecord[], snap?: QueueSnapshot): Promise<HandoffTicket[]> {
    if (records.length === 0) return [];
    const s = snap ?? (await this.snapshot());
    const lines = await this.ctx.transcripts.listMany(records.map((r) => r.conversationId));
    const notes = await this.ctx.tickets.listNotesMany(records.map((r) => r.id));
    return records.map((r) => {
      const closedAt = r.resolvedAt ?? r.cancelledAt;
      // A closed ticket's transcript ends at its closing; later lines belong to what came next.
      const all = lines.get(r.conversationId) ?? [];
      const transcript = closedAt ? all.filter((l) => l.at <= closedAt) : all;
      return this.build(r, s, transcript, notes.get(r.id) ?? []);
    });
  }

  private build(
    r: TicketRecord,
    snap: QueueSnapshot,
    transcript: TranscriptLine[],
    notes: TicketNote[],
  ): HandoffTicket {
    const now = this.ctx.clock.now();
    const closedAt = r.resolvedAt ?? r.cancelledAt;
    const position = r.status === 'waiting' ? (snap.positions.get(r.id) ?? null) : null;
    const eta = position === null ? null : this.etaFor(r, position, snap);
    return {
      id: r.id,
      reference: referenceOf(r.seq),
      conversationId: r.conversationId,
      status: r.status,
      reason: r.reason,
      locale: r.locale,
      question: r.question,
      queue: r.queue,
      priority: r.priority,
      waitingSince: r.waitingSince,
      waitingSeconds: seconds(
        r.waitingSince,
        r.status === 'waiting' ? now : (r.firstAssignedAt ?? closedAt ?? now),
      ),
      position,
      etaSeconds: eta?.etaSeconds ?? null,
      etaRange: eta?.etaRange ?? null,
      assignedAgent:
        r.assignedAgentId && r.status === 'assigned'
          ? { id: r.assignedAgentId, name: r.assignedAgentName ?? r.assignedAgentId }
          : null,
      afterHours: r.afterHours,
      csat: r.csat,
      transcript,
      candidates: r.candidates,
      slaDeadline: r.slaDeadline,
      slaBreached: isSlaBreached(r, now),
      firstResponseAt: r.firstResponseAt,
      firstResponseSeconds: r.firstResponseAt ? seconds(r.waitingSince, r.firstResponseAt) : null,
      assignedAt: r.assignedAt,
      resolvedAt: r.resolvedAt,
      cancelledAt: r.cancelledAt,
      handleSeconds: handleSecondsOf(r),
      predictedWaitSeconds: r.predictedWaitSeconds,
      outcome: r.outcome,
      notes,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }
}

/**
 * Breached when the first agent reply came after the deadline, or when there was none and the
 * deadline passed while the ticket was open (or before it was closed).
 */
export function isSlaBreached(r: TicketRecord, now: Date): boolean {
  if (r.firstResponseAt) return r.firstResponseAt > r.slaDeadline;
  const end = r.resolvedAt ?? r.cancelledAt ?? now.toISOString();
  return end > r.slaDeadline;
}
