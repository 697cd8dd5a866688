/**
 * Column readers for knex rows: drivers differ (SQLite gives 0/1 for booleans and numbers for
 * integers, pg gives strings for counts), so each value is read through one of these.
 */
export function asString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  throw new TypeError(`expected a text column, got ${v === null ? 'null' : typeof v}`);
}

export const asStringOrNull = (v: unknown): string | null =>
  v === null || v === undefined ? null : asString(v);

export const asNumberOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v);
