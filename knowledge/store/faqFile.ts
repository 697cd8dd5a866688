import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { z } from 'zod';
import { invalidFile, type FieldProblem } from '../errors';
import { entryKey, type FaqEntry } from '../types';

const textOf = (need: string, max: number) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined ? `is missing — ${need}` : `must be text — ${need}`,
    })
    .trim()
    .min(1, `is empty — ${need}`)
    .max(max, `is longer than ${max} characters — shorten it`);

const listOf = (max: number, maxItemChars: number) =>
  z
    .array(
      z
        .string({ error: 'must be text' })
        .trim()
        .min(1, 'is empty — remove it or fill it in')
        .max(maxItemChars, `is longer than ${maxItemChars} characters — shorten it`),
      { error: 'must be a list of texts' },
    )
    .max(max, `has more than ${max} items — keep at most ${max}`)
    .default([]);

/** One entry as it arrives from a file or an HTTP body. Unknown fields are dropped. */
export const faqEntrySchema = z.object(
  {
    id: textOf('every entry needs an id', 200)
      .refine(
        (id) => !id.startsWith('__'),
        'starts with "__", which is reserved for system entries — rename it',
      )
      .refine(
        (id) => !/\p{Cc}/u.test(id),
        'contains a control character — use letters, digits, "-" or "_"',
      ),
    locale: z
      .string({ error: 'is missing — every entry needs a locale such as "en", "he", "ro" or "hu"' })
      .trim()
      .regex(
        /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/,
        'is not a language code — use e.g. "en", "he", "ro" or "hu"',
      )
      // "EN" and "en" are one locale; the bot asks in lower case.
      .transform((locale) => locale.replace(/^[A-Za-z]+/, (lang) => lang.toLowerCase())),
    question: textOf('every entry needs a question', 1000),
    alternates: listOf(200, 1000),
    answer: textOf('every entry needs an answer', 20000),
    tags: listOf(50, 100),
    followUps: listOf(20, 200),
    enabled: z.boolean({ error: 'must be true or false' }).default(true),
  },
  { error: 'must be an object with "id", "locale", "question" and "answer"' },
);

/** Turns zod issues into line-numbered problems whose messages name the field and the fix. */
export function problemsOf(error: z.ZodError, line: number): FieldProblem[] {
  return error.issues.map((issue) => {
    const [field, index] = issue.path;
    const label =
      field === undefined
        ? 'entry'
        : typeof index === 'number'
          ? `"${String(field)}" item ${index + 1}`
          : `"${String(field)}"`;
    return { line, field: issue.path.map(String).join('.'), message: `${label} ${issue.message}` };
  });
}

export interface ParseFaqOptions {
  /** Name used in error messages, e.g. "faq.csv". */
  source?: string;
  /**
   * Entries already stored, which follow-ups may also point at. Without it, follow-ups must
   * resolve inside the file.
   */
  existing?: ReadonlyArray<{ id: string; locale: string }>;
  /**
   * The languages the bot speaks (e.g. en, he, ro, hu). An entry in another language would be
   * stored and never used, so it is refused with its line. Without it, any language code passes.
   */
  locales?: readonly string[];
}

/** A raw record and the 1-based line where it starts. */
interface RawRecord {
  line: number;
  value: unknown;
}

export const csvColumns = [
  'id',
  'locale',
  'question',
  'alternates',
  'answer',
  'tags',
  'followUps',
  'enabled',
] as const;

/**
 * Parses a JSON array of entries (the documented FAQ format; `tags`, `alternates`, `followUps`,
 * `enabled` optional). Throws one InvalidInputError listing every problem with its line.
 */
export function parseFaqJson(text: string, options: ParseFaqOptions = {}): FaqEntry[] {
  const source = options.source ?? 'faq.json';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const line = lineOfJsonError(text, message);
    throw invalidFile(source, [
      { line, field: '', message: `is not valid JSON (${message}) — fix the syntax` },
    ]);
  }
  if (!Array.isArray(value)) {
    throw invalidFile(source, [
      { line: 1, field: '', message: 'must be a JSON array of entries — wrap them in [ … ]' },
    ]);
  }
  const lines = jsonElementLines(text);
  const records = value.map((v: unknown, i) => ({ line: lines[i] ?? 0, value: v }));
  return validateRecords(records, source, options);
}

/**
 * Validates an already-parsed array (an HTTP body, an imported module). Problems carry the
 * 1-based position in the array as their line.
 */
export function parseFaqValue(value: unknown, options: ParseFaqOptions = {}): FaqEntry[] {
  const source = options.source ?? 'entries';
  if (!Array.isArray(value)) {
    throw invalidFile(source, [
      { line: 0, field: '', message: 'must be a JSON array of entries — wrap them in [ … ]' },
    ]);
  }
  const records = value.map((v: unknown, i) => ({ line: i + 1, value: v }));
  return validateRecords(records, source, options);
}

/**
 * Parses CSV with a header row naming the columns (any order): id, locale, question, answer
 * and optionally alternates, tags, followUps (each `|`-separated; `\|` is a literal bar) and
 * enabled (true/false/yes/no/1/0; empty means true). One leading single quote in a cell is
 * dropped (it is how an export keeps formulas inert); write two for a literal one.
 */
export function parseFaqCsv(text: string, options: ParseFaqOptions = {}): FaqEntry[] {
  const source = options.source ?? 'faq.csv';
  let header: string[] = [];
  let rows: Array<{ record: Record<string, string>; raw: string; info: { lines: number } }>;
  try {
    rows = parseCsv(text, {
      columns: (names: string[]) => (header = names.map(canonicalColumn)),
      bom: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
    });
  } catch (err) {
    throw invalidFile(source, [csvProblem(err)]);
  }
  const headerProblems = csvHeaderProblems(header);
  if (headerProblems.length > 0) throw invalidFile(source, headerProblems);
  const records = rows.map(({ record, raw, info }) => ({
    line: info.lines - countNewlines(raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '')),
    value: csvRecordToRaw(record),
  }));
  return validateRecords(records, source, options);
}

/** The entry with its fields in one fixed order, so equal entries serialise to equal text. */
export const canonicalFaqEntry = (e: FaqEntry): FaqEntry => ({
  id: e.id,
  locale: e.locale,
  question: e.question,
  alternates: e.alternates,
  answer: e.answer,
  tags: e.tags,
  followUps: e.followUps,
  enabled: e.enabled,
});

/** Pretty JSON array (2-space indent, trailing newline) that parseFaqJson reads back. */
export function serialiseFaqJson(entries: readonly FaqEntry[]): string {
  return `${JSON.stringify(entries.map(canonicalFaqEntry), null, 2)}\n`;
}

/**
 * CSV with a header row, in `csvColumns` order, that parseFaqCsv reads back. Cells a
 * spreadsheet would run as a formula are inert (see neutraliseCsvCell).
 */
export function serialiseFaqCsv(entries: readonly FaqEntry[]): string {
  const rows = entries.map((e) =>
    [
      e.id,
      e.locale,
      e.question,
      joinList(e.alternates),
      e.answer,
      joinList(e.tags),
      joinList(e.followUps),
      e.enabled ? 'true' : 'false',
    ].map(neutraliseCsvCell),
  );
  return stringifyCsv([[...csvColumns], ...rows]);
}

/** Cell starts a spreadsheet reads as a formula (OWASP CSV injection), and our own escape. */
const formulaStart = /^[=+\-@\t\r']/;

/**
 * A cell that starts with = + - @, a tab or a carriage return gets a leading single quote, so a
 * spreadsheet shows it as text instead of running it. A cell that already starts with a quote
 * gets one more, which makes the rule reversible: restoreCsvCell drops exactly one.
 */
export const neutraliseCsvCell = (cell: string): string =>
  formulaStart.test(cell) ? `'${cell}` : cell;

/** The inverse of neutraliseCsvCell: one leading single quote is dropped. */
export const restoreCsvCell = (cell: string): string =>
  cell.startsWith("'") ? cell.slice(1) : cell;

/** Chooses CSV or JSON by file extension, else by the first non-blank character. */
export function parseFaqFile(text: string, options: ParseFaqOptions = {}): FaqEntry[] {
  const source = options.source ?? '';
  if (/\.csv$/i.test(source)) return parseFaqCsv(text, options);
  if (/\.json$/i.test(source)) return parseFaqJson(text, options);
  return /^\s*[[{]/.test(text.replace(/^\uFEFF/, ''))
    ? parseFaqJson(text, options)
    : parseFaqCsv(text, options);
}

function validateRecords(
  records: readonly RawRecord[],
  source: string,
  options: ParseFaqOptions,
): FaqEntry[] {
  const problems: FieldProblem[] = [];
  const entries: Array<{ line: number; entry: FaqEntry }> = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, value } of records) {
    const result = faqEntrySchema.safeParse(value);
    if (!result.success) {
      problems.push(...problemsOf(result.error, line));
      continue;
    }
    const language = result.data.locale.split('-')[0] as string;
    if (options.locales && !options.locales.includes(language)) {
      problems.push({
        line,
        field: 'locale',
        message: `"locale" "${result.data.locale}" is not a language the bot speaks (${options.locales.join(', ')}) — fix the locale, or add it to SUPPORTED_LOCALES`,
      });
      continue;
    }
    const key = entryKey(result.data.id, result.data.locale);
    const first = firstLineOf.get(key);
    if (first !== undefined) {
      problems.push({
        line,
        field: 'id',
        message: `"id" "${result.data.id}" already appears for locale "${result.data.locale}" on line ${first} — ids must be unique per locale`,
      });
      continue;
    }
    firstLineOf.set(key, line);
    entries.push({ line, entry: result.data });
  }
  problems.push(...unresolvedFollowUps(entries, options.existing ?? []));
  if (problems.length > 0) {
    throw invalidFile(
      source,
      problems.sort((a, b) => a.line - b.line),
    );
  }
  return entries.map((e) => e.entry);
}

function unresolvedFollowUps(
  entries: ReadonlyArray<{ line: number; entry: FaqEntry }>,
  existing: ReadonlyArray<{ id: string; locale: string }>,
): FieldProblem[] {
  const known = new Set(
    [...existing, ...entries.map((e) => e.entry)].map((e) => entryKey(e.id, e.locale)),
  );
  return entries.flatMap(({ line, entry }) =>
    entry.followUps
      .filter((id) => !known.has(entryKey(id, entry.locale)))
      .map((id) => ({
        line,
        field: 'followUps',
        message: `"followUps" names "${id}", which is not an entry in locale "${entry.locale}" — add that entry or remove the follow-up`,
      })),
  );
}

const columnAliases: Record<string, string> = { followups: 'followUps', follow_ups: 'followUps' };

function canonicalColumn(name: string): string {
  const lower = name.trim().toLowerCase();
  return columnAliases[lower] ?? lower;
}

const requiredColumns = ['id', 'locale', 'question', 'answer'];

function csvHeaderProblems(header: readonly string[]): FieldProblem[] {
  const known = csvColumns as readonly string[];
  const problems: FieldProblem[] = header
    .filter((c) => !known.includes(c))
    .map((c) => ({
      line: 1,
      field: c,
      message: `column "${c}" is unknown — use only ${csvColumns.join(', ')}`,
    }));
  for (const column of requiredColumns.filter((c) => !header.includes(c))) {
    problems.push({
      line: 1,
      field: column,
      message: `column "${column}" is missing — the header row needs ${requiredColumns.join(', ')}`,
    });
  }
  return problems;
}

function csvRecordToRaw(csvRecord: Record<string, string>): Record<string, unknown> {
  const record = Object.fromEntries(
    Object.entries(csvRecord).map(([column, cell]) => [column, restoreCsvCell(cell)]),
  );
  const raw: Record<string, unknown> = { ...record };
  for (const column of ['alternates', 'tags', 'followUps']) {
    const value = record[column];
    raw[column] = value === undefined ? undefined : splitList(value);
  }
  raw.enabled = parseEnabled(record.enabled);
  return raw;
}

function parseEnabled(value: string | undefined): boolean | string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'true' || v === 'yes' || v === '1') return true;
  if (v === 'false' || v === 'no' || v === '0') return false;
  return value;
}

/** Splits on `|` not preceded by a backslash; `\|` and `\\` stand for `|` and `\`. */
function splitList(value: string): string[] {
  if (value.trim() === '') return [];
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && i + 1 < value.length) current += value[++i];
    else if (ch === '|') {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  parts.push(current.trim());
  return parts;
}

const joinList = (items: readonly string[]): string =>
  items.map((i) => i.replace(/\\/g, '\\\\').replace(/\|/g, '\\|')).join('|');

const countNewlines = (text: string): number => (text.match(/\n/g) ?? []).length;

function csvProblem(err: unknown): FieldProblem {
  const parsed = z.object({ message: z.string(), lines: z.number().optional() }).safeParse(err);
  const message = parsed.success ? parsed.data.message : String(err);
  return {
    line: parsed.success ? (parsed.data.lines ?? 0) : 0,
    field: '',
    message: `is not valid CSV (${message}) — check the quotes and the number of columns`,
  };
}

/** Node reports "at position N" (and sometimes the line); turn it into a 1-based line. */
function lineOfJsonError(text: string, message: string): number {
  const lineMatch = /line (\d+)/.exec(message);
  if (lineMatch?.[1]) return Number(lineMatch[1]);
  const posMatch = /position (\d+)/.exec(message);
  if (!posMatch?.[1]) return 0;
  return countNewlines(text.slice(0, Number(posMatch[1]))) + 1;
}

/** The line on which each element of the top-level JSON array starts. */
function jsonElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let awaitingElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 1 && awaitingElement && ch !== undefined && !/[\s,\]]/.test(ch)) {
      lines.push(line);
      awaitingElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) awaitingElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) awaitingElement = true;
  }
  return lines;
}
