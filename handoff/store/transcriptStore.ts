import type { Knex } from 'knex';
import { asString } from './rowValues';
import type { TranscriptLine, TranscriptRole } from '../types';

type Row = Record<string, unknown>;

/** How the bot answered an FAQ question: directly, with a clarifying question, not at all, or by handing off. */
export type FaqOutcome = 'answered' | 'clarify' | 'none' | 'handoff';

export interface TranscriptLineTags {
  locale?: string | undefined;
  outcome?: FaqOutcome | undefined;
}

const lineOf = (r: Row): TranscriptLine => ({
  role: asString(r.role) as TranscriptRole,
  text: asString(r.text),
  at: asString(r.at),
  ...(r.agent_name ? { agentName: asString(r.agent_name) } : {}),
});

/** Every line of every conversation, in arrival order (seq), kept whole. */
export class TranscriptStore {
  /** `redact` (optional) rewrites text before it is stored, e.g. to mask emails and card numbers. */
  constructor(
    private readonly db: Knex,
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  /**
   * Stores the line (redacted) and returns it as stored. `tags` are kept for analytics only
   * (the conversation's locale, an FAQ turn's outcome); lines read back never carry them.
   */
  async append(
    conversationId: string,
    line: TranscriptLine,
    tags: TranscriptLineTags = {},
  ): Promise<TranscriptLine> {
    const stored = { ...line, text: this.redact(line.text) };
    await this.db('handoff_transcript_lines').insert({
      conversation_id: conversationId,
      role: stored.role,
      text: stored.text,
      at: stored.at,
      agent_name: stored.agentName ?? null,
      locale: tags.locale ?? null,
      outcome: tags.outcome ?? null,
    });
    return stored;
  }

  /** Lines of the conversation in arrival order; with `until`, only those at or before it. */
  async list(conversationId: string, until?: string | null): Promise<TranscriptLine[]> {
    const q = this.db('handoff_transcript_lines')
      .where({ conversation_id: conversationId })
      .orderBy('seq', 'asc');
    if (until) q.where('at', '<=', until);
    const rows = (await q) as Row[];
    return rows.map(lineOf);
  }

  /** Lines of many conversations at once (one query per 500 ids), in arrival order. */
  async listMany(conversationIds: readonly string[]): Promise<Map<string, TranscriptLine[]>> {
    const out = new Map<string, TranscriptLine[]>();
    const unique = [...new Set(conversationIds)];
    for (let i = 0; i < unique.length; i += 500) {
      const rows = (await this.db('handoff_transcript_lines')
        .whereIn('conversation_id', unique.slice(i, i + 500))
        .orderBy('seq', 'asc')) as Row[];
      for (const r of rows) {
        const id = asString(r.conversation_id);
        const lines = out.get(id) ?? [];
        lines.push(lineOf(r));
        out.set(id, lines);
      }
    }
    return out;
  }

  /** The newest customer line, for canned-response suggestions; null when there is none. */
  async lastCustomerLine(conversationId: string): Promise<TranscriptLine | null> {
    const row = (await this.db('handoff_transcript_lines')
      .where({ conversation_id: conversationId, role: 'customer' })
      .orderBy('seq', 'desc')
      .first()) as Row | undefined;
    if (!row) return null;
    return { role: 'customer', text: asString(row.text), at: asString(row.at) };
  }

  /** Time of the newest `role` line at or after `after` (ISO), or null. */
  async latestAt(
    conversationId: string,
    role: TranscriptRole,
    after: string,
  ): Promise<string | null> {
    const row: Row | undefined = await this.db('handoff_transcript_lines')
      .where({ conversation_id: conversationId, role })
      .where('at', '>=', after)
      .orderBy('seq', 'desc')
      .first('at');
    return row ? asString(row.at) : null;
  }

  /** Time of the oldest `role` line strictly after `after` (ISO), or null. */
  async firstAfter(
    conversationId: string,
    role: TranscriptRole,
    after: string,
  ): Promise<string | null> {
    const row: Row | undefined = await this.db('handoff_transcript_lines')
      .where({ conversation_id: conversationId, role })
      .where('at', '>', after)
      .orderBy('seq', 'asc')
      .first('at');
    return row ? asString(row.at) : null;
  }
}
