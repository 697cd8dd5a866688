import { isOpenAt } from '../service/businessHours';
import { isMeaningfulChange } from '../service/eta';
import { queueSettingsOf } from '../service/handoffSettings';
import type { HandoffContext } from '../service/handoffContext';
import { TicketView } from '../store/ticketView';

/**
 * Tells waiting customers their new position/ETA only when it really changed: a message that
 * repeats what they know is noise. The write of "last told" is guarded by the row version, so
 * with several workers only one sends each update.
 */
export class QueueUpdater {
  private readonly view: TicketView;

  constructor(private readonly ctx: HandoffContext) {
    this.view = new TicketView(ctx);
  }

  /** Returns how many updates were sent. */
  async run(): Promise<number> {
    const waiting = await this.ctx.tickets.list({ statuses: ['waiting'] });
    if (waiting.length === 0) return 0;
    const snap = await this.view.snapshot();
    const now = this.ctx.clock.now();
    let sent = 0;
    for (const t of waiting) {
      const position = snap.positions.get(t.id);
      if (position === undefined) continue;
      const eta = this.view.etaFor(t, position, snap);
      const last = { position: t.lastNoticePosition, etaSeconds: t.lastNoticeEtaSeconds };
      // While the queue is closed the customer already knows when we are back: only a new
      // position is news, so nobody gets a message every few minutes all weekend.
      const closed = !isOpenAt(queueSettingsOf(this.ctx.settings, t.queue), now);
      const news = closed
        ? last.position !== position
        : isMeaningfulChange(
            last,
            { position, etaSeconds: eta.etaSeconds },
            this.ctx.settings.etaChangeRatio,
          );
      if (!news) continue;
      const mine = await this.ctx.tickets.update(
        t.id,
        { version: t.version, statuses: ['waiting'] },
        {
          lastNoticePosition: position,
          lastNoticeEtaSeconds: eta.etaSeconds,
          lastNoticeAt: now.toISOString(),
        },
        now.toISOString(),
      );
      if (!mine) continue;
      await this.ctx.outbox.send(t, {
        kind: 'queueUpdate',
        position,
        etaSeconds: eta.etaSeconds,
        etaRange: eta.etaRange,
      });
      sent += 1;
    }
    return sent;
  }
}
