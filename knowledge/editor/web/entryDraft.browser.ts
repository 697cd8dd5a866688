import type { FaqEntry } from '../../types';
import type { FieldProblem } from './kbApi.browser';

/** The entry form's state: lists are edited as text (alternates one per line, tags by commas). */
export interface EntryDraft {
  id: string;
  locale: string;
  question: string;
  alternates: string;
  answer: string;
  tags: string;
  followUps: string;
  enabled: boolean;
}

export const emptyDraft = (locale: string): EntryDraft => ({
  id: '',
  locale,
  question: '',
  alternates: '',
  answer: '',
  tags: '',
  followUps: '',
  enabled: true,
});

export const draftFrom = (entry: FaqEntry): EntryDraft => ({
  id: entry.id,
  locale: entry.locale,
  question: entry.question,
  alternates: entry.alternates.join('\n'),
  answer: entry.answer,
  tags: entry.tags.join(', '),
  followUps: entry.followUps.join(', '),
  enabled: entry.enabled,
});

const splitList = (text: string, separator: RegExp): string[] =>
  text
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/** Blank lines and empty comma slots are dropped; everything else is left for the API to judge. */
export const entryFrom = (draft: EntryDraft): FaqEntry => ({
  id: draft.id.trim(),
  locale: draft.locale.trim(),
  question: draft.question,
  alternates: splitList(draft.alternates, /\r?\n/),
  answer: draft.answer,
  tags: splitList(draft.tags, /,/),
  followUps: splitList(draft.followUps, /,/),
  enabled: draft.enabled,
});

/**
 * Groups the API's problems by form field: "alternates.2" belongs to the alternates box, and
 * anything not naming a form field (e.g. "body") goes under "entry".
 */
export function problemsByField(
  problems: readonly FieldProblem[],
): Readonly<Record<string, string[]>> {
  const fields = new Set<string>(Object.keys(emptyDraft('')));
  const grouped: Record<string, string[]> = {};
  for (const problem of problems) {
    const head = problem.field.split('.')[0] ?? '';
    const field = fields.has(head) ? head : 'entry';
    (grouped[field] ??= []).push(problem.message);
  }
  return grouped;
}

// Scripts written right to left; their text must never be laid out left to right.
const rightToLeft = new Set(['he', 'ar', 'fa', 'ur', 'yi']);

/** "rtl" for a right-to-left locale ("he", "he-IL"); otherwise "auto" lets the text decide. */
export function textDirOf(locale: string): 'rtl' | 'auto' {
  const language = locale.toLowerCase().split('-')[0] ?? '';
  return rightToLeft.has(language) ? 'rtl' : 'auto';
}

export interface EntryFilter {
  /** "" for every locale. */
  locale: string;
  /** Case-insensitive; matched against id, question, alternates and tags. "" matches all. */
  text: string;
}

export function filterEntries(entries: readonly FaqEntry[], filter: EntryFilter): FaqEntry[] {
  const needle = filter.text.trim().toLocaleLowerCase();
  return entries.filter(
    (entry) =>
      (filter.locale === '' || entry.locale === filter.locale) &&
      (needle === '' ||
        [entry.id, entry.question, ...entry.alternates, ...entry.tags].some((text) =>
          text.toLocaleLowerCase().includes(needle),
        )),
  );
}

/** Locales present in the KB, sorted, so the pickers offer exactly what exists. */
export const localesOf = (entries: readonly FaqEntry[]): string[] =>
  [...new Set(entries.map((entry) => entry.locale))].sort();

/** Names of the fields a version changed; empty for a create or a delete (the action says it). */
export function changedFields(before: FaqEntry | null, after: FaqEntry | null): string[] {
  if (!before || !after) return [];
  const fields = Object.keys({ ...before, ...after }) as Array<keyof FaqEntry>;
  return fields.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

/** One synonym group per line, words separated by commas; blank lines and slots are dropped. */
export const synonymGroupsFrom = (text: string): string[][] =>
  text
    .split(/\r?\n/)
    .map((line) => splitList(line, /,/))
    .filter((group) => group.length > 0);

export const synonymText = (groups: readonly (readonly string[])[]): string =>
  groups.map((group) => group.join(', ')).join('\n');
