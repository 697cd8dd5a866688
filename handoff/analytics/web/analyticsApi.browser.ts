import type { AnalyticsSummary, AnalyticsTimeseries } from '../analyticsTypes';

export type { AnalyticsSummary, AnalyticsTimeseries };

/** What the dashboard asks for: a period and optional narrowing. */
export interface DashboardQuery {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
  locale: string;
  queue: string;
}

export interface UnansweredGroup {
  text: string;
  locale: string;
  count: number;
  lastAt: string;
}

/** The API said no; 401 means the token is wrong or revoked, 403 that the role may not. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const params = (q: DashboardQuery, extra: Record<string, string> = {}): string => {
  const p = new URLSearchParams({ from: q.from, to: q.to, ...extra });
  if (q.locale) p.set('locale', q.locale);
  if (q.queue) p.set('queue', q.queue);
  return p.toString();
};

/** The analytics API; the token travels only in the Authorization header, never in a URL. */
export class AnalyticsApi {
  constructor(private readonly token: string) {}

  private async fetchOk(path: string): Promise<Response> {
    const res = await fetch(path, { headers: { Authorization: `Bearer ${this.token}` } });
    if (!res.ok) {
      const payload = (await res.json().catch(() => ({}))) as { message?: string };
      throw new ApiError(res.status, payload.message ?? `HTTP ${res.status}`);
    }
    return res;
  }

  async summary(q: DashboardQuery): Promise<AnalyticsSummary> {
    return (await (
      await this.fetchOk(`/api/analytics/summary?${params(q)}`)
    ).json()) as AnalyticsSummary;
  }

  async timeseries(q: DashboardQuery): Promise<AnalyticsTimeseries> {
    const res = await this.fetchOk(`/api/analytics/timeseries?${params(q, { bucket: q.bucket })}`);
    return (await res.json()) as AnalyticsTimeseries;
  }

  async csv(q: DashboardQuery): Promise<Blob> {
    return (
      await this.fetchOk(`/api/analytics/export.csv?${params(q, { bucket: q.bucket })}`)
    ).blob();
  }

  /** The most frequent questions the bot could not answer directly. */
  async unanswered(locale: string): Promise<UnansweredGroup[]> {
    const path = locale
      ? `/api/analytics/unanswered?locale=${encodeURIComponent(locale)}`
      : '/api/analytics/unanswered';
    return ((await (await this.fetchOk(path)).json()) as { questions: UnansweredGroup[] })
      .questions;
  }
}
