import { z } from 'zod';
import type { FaqEntry } from '../types';

/** One labelled question: `expected` is the entry id, or null when the bot must not answer. */
export const EvalQuerySchema = z.object({
  q: z.string(),
  expected: z.string().min(1).nullable(),
  locale: z.string().min(1),
});
export type EvalQuery = z.infer<typeof EvalQuerySchema>;

const KbEntrySchema = z.object({
  id: z.string().min(1),
  locale: z.string().min(1),
  question: z.string().min(1),
  alternates: z.array(z.string()).default([]),
  answer: z.string(),
  tags: z.array(z.string()).default([]),
  followUps: z.array(z.string()).default([]),
  enabled: z.boolean().default(true),
});

/** A file that failed validation; `message` names the file, line/entry, field and fix. */
export class EvalFileError extends Error {
  readonly code = 'INVALID_INPUT';
}

const describe = (error: z.ZodError): string =>
  error.issues.map((issue) => `"${issue.path.join('.') || '(root)'}" ${issue.message}`).join('; ');

/** Parses a KB JSON array; optional fields get their defaults. Throws EvalFileError. */
export function parseKbJson(text: string, fileName: string): FaqEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new EvalFileError(
      `${fileName}: not valid JSON (${(error as Error).message}) — expected an array of entries`,
    );
  }
  if (!Array.isArray(raw)) throw new EvalFileError(`${fileName}: expected a JSON array of entries`);
  return raw.map((item: unknown, i) => {
    const parsed = KbEntrySchema.safeParse(item);
    if (!parsed.success) {
      throw new EvalFileError(
        `${fileName} entry ${i + 1}: ${describe(parsed.error)} — fix that field`,
      );
    }
    return parsed.data;
  });
}

/** Parses JSON lines of queries; blank lines are skipped. Throws EvalFileError with the line. */
export function parseQueriesJsonl(text: string, fileName: string): EvalQuery[] {
  const queries: EvalQuery[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new EvalFileError(
        `${fileName} line ${i + 1}: not valid JSON — one {"q","expected","locale"} object per line`,
      );
    }
    const parsed = EvalQuerySchema.safeParse(raw);
    if (!parsed.success)
      throw new EvalFileError(`${fileName} line ${i + 1}: ${describe(parsed.error)}`);
    queries.push(parsed.data);
  });
  return queries;
}
