import type { Knex } from 'knex';
import { TicketStore } from '../store/ticketStore';
import type { FaqOutcome } from '../store/transcriptStore';
import type { Clock } from '../types';
import type { AnalyticsPeriod } from './analyticsQuery';
import type {
  AnalyticsSummary,
  AnalyticsTimeseries,
  Bucket,
  TimeseriesPoint,
} from './analyticsTypes';

export type { AnalyticsSummary, AnalyticsTimeseries, TimeseriesPoint };
import { bucketEndOf, bucketStarts } from './analyticsQuery';
import type { AnalyticsRows, ConversationHour, FaqTurnCount } from './analyticsSummary';
import { conversationsByHourOfDay, summariseRows } from './analyticsSummary';

type Row = Record<string, unknown>;

const TRANSCRIPT = 'handoff_transcript_lines';
/** "2026-11-23T10": the UTC hour of an ISO time, in SQL that reads the same on both dialects. */
const HOUR = 'substr(at, 1, 13)';

/**
 * Analytics straight from the handoff tables (transcript lines and tickets), for any period:
 * nothing is kept in memory between calls, so the figures survive restarts and agree between
 * instances. Tickets count in the period they were opened in (a cohort).
 */
export class AnalyticsReader {
  private readonly tickets: TicketStore;

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
  ) {
    this.tickets = new TicketStore(db);
  }

  async summary(period: AnalyticsPeriod): Promise<AnalyticsSummary> {
    const rows = await this.rowsOf(period);
    return {
      from: period.from,
      to: period.to,
      locale: period.locale ?? null,
      queue: period.queue ?? null,
      ...summariseRows(rows, this.clock.now(), period.queue),
      conversationsByHour: conversationsByHourOfDay(rows.conversationHours),
    };
  }

  /** The same figures per UTC hour or day; the first and last buckets are cut to the period. */
  async timeseries(period: AnalyticsPeriod, bucket: Bucket): Promise<AnalyticsTimeseries> {
    const rows = await this.rowsOf(period);
    const now = this.clock.now();
    const points = bucketStarts(period, bucket).map((aligned) => {
      const start = aligned < period.from ? period.from : aligned;
      const alignedEnd = bucketEndOf(aligned, bucket);
      const end = alignedEnd > period.to ? period.to : alignedEnd;
      const inBucket = (iso: string) => iso >= start && iso < end;
      // Transcript rows are per hour; an hour belongs to the bucket its start falls in.
      const hourIn = (hour: string) =>
        inBucket(`${hour}:00:00.000Z`) || hour === start.slice(0, 13);
      const bucketRows: AnalyticsRows = {
        conversationHours: rows.conversationHours.filter((c) => hourIn(c.hour)),
        faqTurns: rows.faqTurns.filter((f) => hourIn(f.hour)),
        tickets: rows.tickets.filter((t) => inBucket(t.createdAt)),
      };
      return { start, end, ...summariseRows(bucketRows, now, period.queue) };
    });
    return {
      from: period.from,
      to: period.to,
      bucket,
      locale: period.locale ?? null,
      queue: period.queue ?? null,
      points,
    };
  }

  private async rowsOf(period: AnalyticsPeriod): Promise<AnalyticsRows> {
    const lines = (role: 'customer' | 'bot') => {
      const q = this.db(TRANSCRIPT)
        .where('role', role)
        .where('at', '>=', period.from)
        .where('at', '<', period.to);
      if (period.locale) q.where('locale', period.locale);
      return q;
    };
    const conversationRows: Row[] = await lines('customer').distinct(
      'conversation_id',
      this.db.raw(`${HOUR} as hour`),
    );
    const turnRows: Row[] = await lines('bot')
      .whereNotNull('outcome')
      .select(this.db.raw(`${HOUR} as hour`), 'outcome')
      .count({ n: '*' })
      .groupByRaw(`${HOUR}, outcome`);
    const conversationHours: ConversationHour[] = conversationRows.map((r) => ({
      conversationId: String(r.conversation_id),
      hour: String(r.hour),
    }));
    const faqTurns: FaqTurnCount[] = turnRows.map((r) => ({
      hour: String(r.hour),
      outcome: String(r.outcome) as FaqOutcome,
      count: Number(r.n),
    }));
    const tickets = await this.tickets.list({
      createdSince: period.from,
      createdBefore: period.to,
      ...(period.locale && { locale: period.locale }),
    });
    return { conversationHours, faqTurns, tickets };
  }
}
