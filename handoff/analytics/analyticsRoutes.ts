import type { Request, Server } from 'restify';
import type { RouteAuth } from '../console/routes';
import type { HandoffLogger, Role } from '../types';
import { parseBucket, parseLocale, parsePeriod } from './analyticsQuery';
import type { AnalyticsReader } from './analyticsReader';
import { timeseriesCsv } from './analyticsCsv';

/** A group of similar questions the bot could not answer directly. */
export interface UnansweredQuestionGroup {
  /** The most recent wording of the group. */
  text: string;
  locale: string;
  count: number;
  lastAt: string;
}

/** Port: the most frequent unanswered questions (the host wires the FAQ module's inbox). */
export interface UnansweredQuestions {
  top(locale: string | undefined, limit: number): Promise<UnansweredQuestionGroup[]>;
}

export interface AnalyticsRouteDeps {
  analytics: AnalyticsReader;
  auth: RouteAuth;
  /** For GET /api/analytics/unanswered; without it the list is empty. */
  unanswered?: UnansweredQuestions;
  logger?: HandoffLogger;
}

/** Supervisors and managers see the numbers (admins may use every route). */
const ANALYSTS: Role[] = ['supervisor', 'admin'];

const queryOf = (req: Request): Record<string, unknown> =>
  (req.query ?? {}) as Record<string, unknown>;

/**
 * GET /api/analytics/summary, /timeseries, /export.csv and /unanswered (the top ten): figures for any period, read from
 * SQL on every call. Bad input is a 400 whose `field` names the query parameter.
 */
export function registerAnalyticsRoutes(server: Server, deps: AnalyticsRouteDeps): void {
  const { analytics, auth } = deps;

  server.get('/api/analytics/summary', async (req, res) => {
    await auth.require(req, ANALYSTS);
    res.send(200, await analytics.summary(parsePeriod(queryOf(req))));
  });

  server.get('/api/analytics/timeseries', async (req, res) => {
    await auth.require(req, ANALYSTS);
    const period = parsePeriod(queryOf(req));
    res.send(200, await analytics.timeseries(period, parseBucket(queryOf(req), period)));
  });

  server.get('/api/analytics/export.csv', async (req, res) => {
    await auth.require(req, ANALYSTS);
    const period = parsePeriod(queryOf(req));
    const bucket = parseBucket(queryOf(req), period);
    const csv = timeseriesCsv(await analytics.timeseries(period, bucket));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="askdesk-analytics-${period.from.slice(0, 10)}-${bucket}.csv"`,
    );
    res.sendRaw(200, csv);
  });

  server.get('/api/analytics/unanswered', async (req, res) => {
    await auth.require(req, ANALYSTS);
    const locale = parseLocale(queryOf(req));
    res.send(200, { questions: deps.unanswered ? await deps.unanswered.top(locale, 10) : [] });
  });
}
