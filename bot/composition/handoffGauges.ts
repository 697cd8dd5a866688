import { Gauge, type Registry } from 'prom-client';
import type { AnalyticsSummary, HandoffMetrics } from '../../handoff';

type Quantiles = 'p50' | 'p90';

/**
 * Prometheus gauges for the handoff analytics (wait, first response, handle time, ETA error,
 * SLA compliance per queue, CSAT, handoff rate by reason, outbox). `update` is called on each
 * scrape with freshly computed figures; a figure without data is left out, never reported as 0.
 */
export class HandoffGauges {
  private readonly open: Gauge<'status'>;
  private readonly durations: Gauge<'measure' | 'quantile'>;
  private readonly slaCompliance: Gauge<'queue'>;
  private readonly slaBreached: Gauge<'queue'>;
  private readonly csatAverage: Gauge;
  private readonly csatRatings: Gauge<'score'>;
  private readonly handoffRate: Gauge<'reason'>;
  private readonly outbox: Gauge<'state'>;
  private readonly conversations: Gauge;
  private readonly deflection: Gauge;
  private readonly unanswered: Gauge;

  constructor(registry: Registry) {
    const gauge = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
      new Gauge<L>({ name, help, labelNames, registers: [registry] });
    this.open = gauge('askdesk_handoff_open_tickets', 'Tickets waiting or assigned now', [
      'status',
    ]);
    this.durations = gauge(
      'askdesk_handoff_seconds',
      'Wait, first response, handle time and ETA error (seconds) over the last 7 days',
      ['measure', 'quantile'],
    );
    this.slaCompliance = gauge(
      'askdesk_handoff_sla_compliance_ratio',
      'First-response SLA met ÷ decided, per queue (7 days)',
      ['queue'],
    );
    this.slaBreached = gauge(
      'askdesk_handoff_sla_breached',
      'Tickets that breached the SLA (7 days)',
      ['queue'],
    );
    this.csatAverage = gauge('askdesk_csat_average', 'Average satisfaction rating 1..5 (7 days)');
    this.csatRatings = gauge('askdesk_csat_ratings', 'Satisfaction ratings by score (7 days)', [
      'score',
    ]);
    this.handoffRate = gauge(
      'askdesk_handoff_rate',
      'Tickets ÷ conversations, by handoff reason (7 days)',
      ['reason'],
    );
    this.conversations = gauge(
      'askdesk_conversations',
      'Conversations with a customer message (7 days)',
    );
    this.deflection = gauge(
      'askdesk_deflection_ratio',
      'Share of conversations without a ticket (7 days)',
    );
    this.unanswered = gauge(
      'askdesk_unanswered_ratio',
      'FAQ questions without a direct answer ÷ FAQ questions (7 days)',
    );
    this.outbox = gauge('askdesk_notice_outbox', 'Customer notices pending delivery or given up', [
      'state',
    ]);
  }

  update(m: HandoffMetrics): void {
    for (const gauge of [
      this.durations,
      this.slaCompliance,
      this.slaBreached,
      this.csatAverage,
      this.handoffRate,
    ]) {
      gauge.reset();
    }
    this.open.set({ status: 'waiting' }, m.openTickets.waiting);
    this.open.set({ status: 'assigned' }, m.openTickets.assigned);
    const measures = {
      wait: m.waitSeconds,
      first_response: m.firstResponseSeconds,
      handle: m.handleSeconds,
      eta_error: m.etaErrorSeconds,
    };
    for (const [measure, distribution] of Object.entries(measures)) {
      for (const quantile of ['p50', 'p90'] as Quantiles[]) {
        const value = distribution[quantile];
        if (value !== null) this.durations.set({ measure, quantile: quantile.slice(1) }, value);
      }
    }
    for (const [queue, sla] of Object.entries(m.slaByQueue)) {
      if (sla.compliance !== null) this.slaCompliance.set({ queue }, sla.compliance);
      this.slaBreached.set({ queue }, sla.breached);
    }
    if (m.csat.average !== null) this.csatAverage.set(m.csat.average);
    for (const [score, count] of Object.entries(m.csat.byScore))
      this.csatRatings.set({ score }, count);
    for (const [reason, rate] of Object.entries(m.handoffRateByReason)) {
      if (rate !== null) this.handoffRate.set({ reason }, rate);
    }
    this.outbox.set({ state: 'pending' }, m.outbox.pending);
    this.outbox.set({ state: 'dead' }, m.outbox.dead);
  }

  /** Conversation figures from the analytics summary of the same window; null ones are left out. */
  updateConversations(summary: AnalyticsSummary): void {
    this.deflection.reset();
    this.unanswered.reset();
    this.conversations.set(summary.conversations);
    if (summary.deflectionRate !== null) this.deflection.set(summary.deflectionRate);
    if (summary.unansweredRate !== null) this.unanswered.set(summary.unansweredRate);
  }
}
