import { InvalidInputError } from '../errors';
import type { Bucket } from './analyticsTypes';

export type { Bucket };

/** A half-open period [from, to) in UTC, optionally narrowed to one locale and one queue. */
export interface AnalyticsPeriod {
  /** ISO 8601 UTC (toISOString form), inclusive. */
  from: string;
  /** ISO 8601 UTC, exclusive. */
  to: string;
  locale?: string;
  queue?: string;
}

/** Most buckets one time series may have (a year of days, or six weeks of hours). */
export const MAX_BUCKETS = 1000;

const bucketMs: Readonly<Record<Bucket, number>> = { hour: 3_600_000, day: 86_400_000 };

// A date, or a date and time with an optional zone; what Date.parse reads the same everywhere.
const isoPattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const localePattern = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const queuePattern = /^[A-Za-z0-9_.-]{1,64}$/;

/** An invalid query parameter; `field` names it so callers can point at it. */
export class InvalidQueryError extends InvalidInputError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`query "${field}" ${message}`);
  }
}

type Query = Record<string, unknown>;

function single(query: Query, field: string): string | undefined {
  const value = query[field];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidQueryError(field, 'must be given once');
  return value;
}

function instant(query: Query, field: 'from' | 'to'): string {
  const value = single(query, field);
  if (value === undefined) {
    throw new InvalidQueryError(
      field,
      'is missing; give an ISO 8601 time, e.g. 2026-11-23T00:00:00Z',
    );
  }
  const ms = isoPattern.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    throw new InvalidQueryError(
      field,
      `is not an ISO 8601 time (${JSON.stringify(value.slice(0, 40))}); use e.g. 2026-11-23T00:00:00Z`,
    );
  }
  return new Date(ms).toISOString();
}

/**
 * Reads `from`, `to`, `locale` and `queue` from a query string. Throws InvalidQueryError naming
 * the field for a missing or malformed time, `from` not before `to`, or a malformed filter.
 */
export function parsePeriod(query: Query): AnalyticsPeriod {
  const from = instant(query, 'from');
  const to = instant(query, 'to');
  if (from >= to) {
    throw new InvalidQueryError('to', `(${to}) must be after "from" (${from})`);
  }
  const locale = parseLocale(query);
  if (locale !== undefined && !localePattern.test(locale)) {
    throw new InvalidQueryError(
      'locale',
      `is not a language code (${JSON.stringify(locale.slice(0, 20))}); use e.g. en or he`,
    );
  }
  const queue = single(query, 'queue');
  if (queue !== undefined && !queuePattern.test(queue)) {
    throw new InvalidQueryError(
      'queue',
      'must be a queue name (letters, digits, _ . -, at most 64)',
    );
  }
  return { from, to, ...(locale && { locale }), ...(queue && { queue }) };
}

/** Reads the optional `locale` filter; InvalidQueryError for a malformed language code. */
export function parseLocale(query: Query): string | undefined {
  const locale = single(query, 'locale');
  if (locale !== undefined && !localePattern.test(locale)) {
    throw new InvalidQueryError(
      'locale',
      `is not a language code (${JSON.stringify(locale.slice(0, 20))}); use e.g. en or he`,
    );
  }
  return locale;
}

/** Reads `bucket` (hour | day, default day) and checks the period fits in MAX_BUCKETS of it. */
export function parseBucket(query: Query, period: AnalyticsPeriod): Bucket {
  const value = single(query, 'bucket') ?? 'day';
  if (value !== 'hour' && value !== 'day') {
    throw new InvalidQueryError(
      'bucket',
      `must be "hour" or "day", not ${JSON.stringify(value.slice(0, 20))}`,
    );
  }
  if (bucketStarts(period, value).length > MAX_BUCKETS) {
    throw new InvalidQueryError(
      'bucket',
      `"${value}" splits this period into more than ${MAX_BUCKETS} buckets; use "day" or a shorter period`,
    );
  }
  return value;
}

/** Start of the UTC hour or day containing `iso`. */
export function bucketStartOf(iso: string, bucket: Bucket): string {
  const ms = Date.parse(iso);
  return new Date(ms - (ms % bucketMs[bucket])).toISOString();
}

/** The buckets' starts covering [from, to), the first one aligned to the UTC hour or day. */
export function bucketStarts(period: AnalyticsPeriod, bucket: Bucket): string[] {
  const starts: string[] = [];
  const end = Date.parse(period.to);
  for (let t = Date.parse(bucketStartOf(period.from, bucket)); t < end; t += bucketMs[bucket]) {
    starts.push(new Date(t).toISOString());
    if (starts.length > MAX_BUCKETS) break;
  }
  return starts;
}

export const bucketEndOf = (start: string, bucket: Bucket): string =>
  new Date(Date.parse(start) + bucketMs[bucket]).toISOString();
