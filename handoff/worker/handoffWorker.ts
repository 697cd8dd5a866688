import { AutoAssigner } from './autoAssigner';
import type { HandoffContext } from '../service/handoffContext';
import { QueueUpdater } from './queueUpdater';
import { SilentAgentRequeuer } from './silentAgentRequeuer';

/** What one tick did, for logs and tests. */
export interface WorkerTickReport {
  requeued: number;
  autoAssigned: number;
  queueUpdates: number;
  noticesSent: number;
}

/**
 * Periodic housekeeping; main.ts calls `tick()` every few seconds, tests call it with a fake
 * clock. Safe on every instance at once: each write is conditional, so only one worker wins.
 * Order matters: requeue first (frees tickets), then assign, then tell waiting customers
 * their new place, then retry notices that failed earlier.
 */
export class HandoffWorker {
  private readonly requeuer: SilentAgentRequeuer;
  private readonly assigner: AutoAssigner;
  private readonly updater: QueueUpdater;
  private running = false;

  constructor(private readonly ctx: HandoffContext) {
    this.requeuer = new SilentAgentRequeuer(ctx);
    this.assigner = new AutoAssigner(ctx);
    this.updater = new QueueUpdater(ctx);
  }

  /** One pass; overlapping calls in one process are skipped (returns zeros). */
  async tick(): Promise<WorkerTickReport> {
    const report: WorkerTickReport = {
      requeued: 0,
      autoAssigned: 0,
      queueUpdates: 0,
      noticesSent: 0,
    };
    if (this.running) return report;
    this.running = true;
    try {
      report.requeued = await this.requeuer.run();
      report.autoAssigned = await this.assigner.run();
      report.queueUpdates = await this.updater.run();
      report.noticesSent = await this.ctx.outbox.deliverDue();
      return report;
    } finally {
      this.running = false;
    }
  }
}
