/** One FAQ entry in one locale. The pair (`id`, `locale`) is unique. */
export interface FaqEntry {
  id: string;
  locale: string;
  question: string;
  /** Other phrasings of the same question; may be empty. */
  alternates: string[];
  /** Markdown. */
  answer: string;
  tags: string[];
  /** Ids of other entries (same locale) offered as follow-up prompts after the answer. */
  followUps: string[];
  /** Disabled entries are stored and versioned but never matched. */
  enabled: boolean;
}

/** answer: confident enough to answer; clarify: offer the top candidates; none: no match. */
export type MatchBand = 'answer' | 'clarify' | 'none';

/** Sub-scores behind a candidate's confidence, each 0..1 where higher is better. */
export interface ScoreBreakdown {
  /** fuse.js similarity of the best phrasing (1 - fuse score). */
  fuzzy: number;
  /** Word-level lexical relevance (BM25/TF-IDF style), normalised to 0..1. */
  lexical: number;
  /** Further named components (character n-grams, learned per-entry model, …). */
  [component: string]: number;
}

export interface MatchCandidate {
  id: string;
  locale: string;
  question: string;
  answer: string;
  /** Calibrated confidence 0..1; higher is better. */
  confidence: number;
  /** The phrasing (question or alternate) that matched best. */
  matchedPhrasing: string;
  scores: ScoreBreakdown;
  /** Synonym rewrites applied to the query, as "from→to". */
  synonymsApplied: string[];
  /** Typo corrections applied to the query's stems, as "from→to". */
  typoCorrections?: string[];
}

export interface MatchResult {
  query: string;
  locale: string;
  band: MatchBand;
  /** Ranked best first; at most `limit` (default 5). Empty when nothing is related. */
  candidates: MatchCandidate[];
}

/**
 * How one phrasing of an entry overlaps another entry of the same locale:
 * - `duplicate`: the other entry has the same phrasing (up to case, punctuation, diacritics
 *   and word endings), so a customer who writes it gets whichever wins by its other phrasings;
 * - `closer`: the matcher ranks the other entry first for the entry's own phrasing;
 * - `as-close`: the other entry scores nearly as high (at least `OVERLAP_SCORE_SHARE`, see
 *   overlaps.ts, of the own entry's score), so a slightly different wording can tip it over.
 */
export type OverlapKind = 'duplicate' | 'closer' | 'as-close';

export interface Overlap {
  locale: string;
  id: string;
  phrasing: string;
  kind: OverlapKind;
  otherId: string;
  /** The other entry's phrasing that matched it best. */
  otherPhrasing: string;
  /** The other entry's combined score over the own entry's for this phrasing (1 for duplicates). */
  scoreShare: number;
}

/** How the bot dealt with a question it could not answer directly. */
export type UnansweredOutcome = 'none' | 'clarify' | 'handoff';

/** One question the bot could not answer directly, as recorded for the editors. */
export interface UnansweredQuestion {
  id: number;
  locale: string;
  text: string;
  outcome: UnansweredOutcome;
  /** The best candidate the matcher had, if any. */
  topId: string | null;
  confidence: number;
  /** What an agent answered, when the question was escalated and resolved. */
  answer: string | null;
  /** ISO-8601. */
  at: string;
}

/** Questions that ask the same thing in other words, most recent first. */
export interface UnansweredGroup {
  locale: string;
  count: number;
  /** Up to `GROUP_EXAMPLES` (unanswered.ts) of the questions, most recent first. */
  examples: UnansweredQuestion[];
  /** Every question of the group: dismiss them together once handled. */
  ids: number[];
  /** The entry the matcher offered most often, if any: where the wording may belong. */
  topId: string | null;
  /** The latest agent's answer to one of the questions: a draft answer for a new entry. */
  answer: string | null;
  lastAt: string;
}

/** One recorded edit of a locale's synonym groups. */
export interface SynonymVersion {
  locale: string;
  /** 1 for the locale's first edit, then +1 per edit. */
  version: number;
  actor: string;
  /** ISO-8601. */
  at: string;
  /** null when the locale had no synonyms stored before. */
  before: string[][] | null;
  after: string[][];
}

/** A question the bot must keep answering as it does while editors change the KB. */
export interface GoldenQuestion {
  id: number;
  locale: string;
  q: string;
  /** The entry the bot must answer directly with; null: it must not answer directly. */
  expected: string | null;
  createdBy: string;
  /** ISO-8601. */
  at: string;
}

/** A golden question with what the live bot does with it now. */
export interface GoldenQuestionStatus extends GoldenQuestion {
  /** The entry the bot answers directly with now (null: it does not answer directly). */
  answer: string | null;
  right: boolean;
}

/** A golden question a change would break, and what the bot would answer instead. */
export interface BrokenGoldenQuestion {
  locale: string;
  q: string;
  expected: string | null;
  /** What the bot answers directly after the change (null: no direct answer). */
  after: string | null;
}

/** The map key of an entry: (id, locale) is unique, and NUL appears in neither. */
export const entryKey = (id: string, locale: string): string => `${locale}\u0000${id}`;
