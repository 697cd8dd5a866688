import type { Knex } from 'knex';
import type { UnansweredGroup, UnansweredOutcome, UnansweredQuestion } from '../types';

export type { UnansweredGroup, UnansweredOutcome, UnansweredQuestion } from '../types';

export const GROUP_EXAMPLES = 5;

/**
 * Two questions share a group when their content words (stems, stop words left out) overlap
 * this much (Jaccard): "Where is my parcel?" and "where's my parcel now" do, "where is my
 * parcel" and "my parcel arrived damaged" or "where is the office" do not. Lexical on purpose:
 * an inbox groups wordings to review, it does not decide answers.
 */
export const GROUP_SIMILARITY = 0.5;

interface Row {
  id: number | string;
  locale: string;
  text: string;
  outcome: string;
  top_id: string | null;
  confidence: number;
  answer: string | null;
  at: string;
}

const fromRow = (r: Row): UnansweredQuestion => ({
  id: Number(r.id),
  locale: r.locale,
  text: r.text,
  outcome: r.outcome as UnansweredOutcome,
  topId: r.top_id,
  confidence: Number(r.confidence),
  answer: r.answer,
  at: r.at,
});

/** The `kb_unanswered` table: the editors' unanswered inbox. */
export class UnansweredStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Keeps a question. With a `ticketId` (an agent's answer to an escalation) at most one row
   * per ticket is kept, so every instance may record the same resolution.
   */
  async record(
    q: Omit<UnansweredQuestion, 'id' | 'at' | 'answer'> & { answer?: string; ticketId?: string },
  ): Promise<void> {
    const row = {
      locale: q.locale,
      text: q.text,
      outcome: q.outcome,
      top_id: q.topId,
      confidence: q.confidence,
      answer: q.answer ?? null,
      ticket_id: q.ticketId ?? null,
      at: this.now().toISOString(),
    };
    if (q.ticketId) await this.db('kb_unanswered').insert(row).onConflict('ticket_id').ignore();
    else await this.db('kb_unanswered').insert(row);
  }

  /** The most recent `limit` questions (of `locale`), newest first. */
  async list(options: { locale?: string; limit?: number } = {}): Promise<UnansweredQuestion[]> {
    const query = this.db<Row>('kb_unanswered')
      .select('*')
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit ?? 2000);
    if (options.locale) void query.where({ locale: options.locale });
    return (await query).map(fromRow);
  }

  /** Removes the questions `ids` (handled or not worth it); returns how many there were. */
  async dismiss(ids: readonly number[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.db('kb_unanswered')
      .whereIn('id', [...ids])
      .delete();
  }

  /** Removes what was asked before `cutoff` (the retention policy). */
  purgeBefore(cutoff: Date): Promise<number> {
    return this.db('kb_unanswered').where('at', '<', cutoff.toISOString()).delete();
  }
}

/**
 * Groups questions that ask the same thing (see `GROUP_SIMILARITY`), largest groups first.
 * `contentWords` is the locale's analysis of a text (the matcher's stems without stop words),
 * so "Where's my parcel?" and "where is my PARCEL" fall together in every language. Greedy
 * and order-independent enough for an inbox: each question joins the first group whose first
 * question it resembles.
 */
export function groupQuestions(
  questions: readonly UnansweredQuestion[],
  contentWords: (text: string, locale: string) => readonly string[],
): UnansweredGroup[] {
  const groups: { seed: Set<string>; members: UnansweredQuestion[] }[] = [];
  for (const q of questions) {
    const words = new Set(contentWords(q.text, q.locale));
    const key = [...words].sort().join(' ');
    const home = groups.find((g) => {
      const first = g.members[0] as UnansweredQuestion;
      if (first.locale !== q.locale) return false;
      if (words.size === 0 || g.seed.size === 0) {
        return key === '' && g.seed.size === 0 && normal(first.text) === normal(q.text);
      }
      return resembles(words, g.seed);
    });
    if (home) home.members.push(q);
    else groups.push({ seed: words, members: [q] });
  }
  return groups
    .map(({ members }) => toGroup(members))
    .sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
}

function toGroup(members: UnansweredQuestion[]): UnansweredGroup {
  const sorted = [...members].sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
  const offered = new Map<string, number>();
  for (const m of members) if (m.topId) offered.set(m.topId, (offered.get(m.topId) ?? 0) + 1);
  const topId = [...offered].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  const answer = sorted.find((m) => m.answer)?.answer ?? null;
  return {
    locale: sorted[0]!.locale,
    count: members.length,
    examples: sorted.slice(0, GROUP_EXAMPLES),
    ids: sorted.map((m) => m.id),
    topId: topId ?? null,
    answer,
    lastAt: sorted[0]!.at,
  };
}

function resembles(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared += 1;
  return shared / (a.size + b.size - shared) >= GROUP_SIMILARITY;
}

const normal = (text: string): string => text.trim().toLowerCase();
