/** Tunable matcher settings. Every field is documented with its range, default and effect. */
export interface MatcherOptions {
  /** confidence 0..1, default 0.7; at or above it the top candidate is answered directly. */
  answerThreshold: number;
  /** confidence 0..1, default 0.4; between it and answerThreshold we ask "Did you mean…". */
  clarifyThreshold: number;
  /** candidates returned by match(), 1..20, default 5. */
  limit: number;
}

export const matcherDefaults: Readonly<MatcherOptions> = Object.freeze({
  answerThreshold: 0.7,
  clarifyThreshold: 0.4,
  limit: 5,
});
