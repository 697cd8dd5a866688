import type { UnansweredGroup, UnansweredQuestion } from '../types';
import { groupQuestions, type UnansweredStore } from './unanswered';

/** Characters of a question kept in the unanswered inbox. */
export const MAX_KEPT_CHARS = 500;
/** Characters of an agent's answer kept as a draft. */
export const MAX_KEPT_ANSWER_CHARS = 4000;

/**
 * The editors' unanswered inbox as the knowledge base keeps it: what is written is redacted
 * and cut first, and questions are grouped by their content words.
 */
export class UnansweredInbox {
  constructor(
    private readonly store: UnansweredStore,
    private readonly redact: (text: string) => string,
    /** Content words (stems, no stop words) of a text in a locale, for grouping. */
    private readonly contentWords: (text: string, locale: string) => string[],
  ) {}

  /** See KnowledgeBase.recordUnanswered. */
  record(q: Omit<UnansweredQuestion, 'id' | 'at' | 'answer'>): Promise<void> {
    const text = this.redact(q.text).slice(0, MAX_KEPT_CHARS).trim();
    if (text === '') return Promise.resolve();
    return this.store.record({ ...q, text });
  }

  /** See KnowledgeBase.recordAgentAnswer. */
  recordAgentAnswer(a: {
    ticketId: string;
    locale: string;
    question: string;
    answer: string;
  }): Promise<void> {
    const text = this.redact(a.question).slice(0, MAX_KEPT_CHARS).trim();
    const answer = this.redact(a.answer).slice(0, MAX_KEPT_ANSWER_CHARS).trim();
    if (text === '' || answer === '') return Promise.resolve();
    return this.store.record({
      locale: a.locale,
      text,
      outcome: 'handoff',
      topId: null,
      confidence: 0,
      answer,
      ticketId: a.ticketId,
    });
  }

  /** Recent questions (of `locale`) grouped by what they ask. */
  async groups(locale?: string): Promise<UnansweredGroup[]> {
    const questions = await this.store.list({ ...(locale ? { locale } : {}) });
    return groupQuestions(questions, this.contentWords);
  }

  /** The most recent questions (of `locale`), at most `limit`. */
  recent(locale: string | undefined, limit: number): Promise<UnansweredQuestion[]> {
    return this.store.list({ ...(locale ? { locale } : {}), limit });
  }

  /** Removes questions (handled, or not worth it); returns how many. */
  dismiss(ids: readonly number[]): Promise<number> {
    return this.store.dismiss(ids);
  }
}
