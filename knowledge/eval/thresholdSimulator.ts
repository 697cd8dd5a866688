import type { GoldenQuestion, MatchResult, UnansweredQuestion } from '../types';
import { SWEPT_THRESHOLDS, thresholdSweep, type Outcome } from './evaluate';

/** Inbox questions the threshold simulator replays (the most recent). */
export const SIMULATED_LOGGED_QUESTIONS = 300;

/** One answer threshold replayed over the golden and the logged questions. */
export interface ThresholdRow {
  answerThreshold: number;
  /** Golden questions with an entry: share answered directly, and answered right. */
  goldenAnswerRate: number;
  goldenAnsweredRight: number;
  /** Golden questions answered directly with a wrong entry (or when none was due), share of all. */
  goldenWrong: number;
  /** Logged questions the bot could not answer then that it would answer directly now. */
  loggedAnswered: number;
}

/** The threshold simulator's report (see `simulateThresholds`). */
export interface ThresholdSimulation {
  /** The threshold the bot runs with (`MATCH_ANSWER_THRESHOLD`). */
  answerThreshold: number;
  golden: number;
  logged: number;
  rows: ThresholdRow[];
}

/**
 * The threshold simulator: the golden questions (labelled) and recent questions of the
 * unanswered inbox (logged) matched once with `match`, then replayed at answer thresholds
 * 0.30–0.90, so an editor sees what another `MATCH_ANSWER_THRESHOLD` would do on their own
 * questions before setting it.
 */
export async function simulateThresholds(input: {
  golden: readonly GoldenQuestion[];
  logged: readonly UnansweredQuestion[];
  match: (query: string, locale: string) => Promise<MatchResult>;
  answerThreshold: number;
}): Promise<ThresholdSimulation> {
  const { golden, logged, match } = input;
  const outcomesOf = async (
    queries: { q: string; locale: string; expected: string | null }[],
  ): Promise<Outcome[]> => {
    const outcomes: Outcome[] = [];
    for (const query of queries) {
      outcomes.push({ query, result: await match(query.q, query.locale), latencyMs: 0 });
    }
    return outcomes;
  };
  const goldenOutcomes = await outcomesOf([...golden]);
  const loggedOutcomes = await outcomesOf(
    logged.map((u) => ({ q: u.text, locale: u.locale, expected: null })),
  );
  const labelled = thresholdSweep(goldenOutcomes, SWEPT_THRESHOLDS);
  const unlabelled = thresholdSweep(loggedOutcomes, SWEPT_THRESHOLDS);
  const inScope = golden.filter((g) => g.expected !== null).length;
  return {
    answerThreshold: input.answerThreshold,
    golden: golden.length,
    logged: logged.length,
    rows: labelled.map((point, i) => ({
      answerThreshold: point.answerThreshold,
      goldenAnswerRate: inScope === 0 ? 0 : point.answerRate,
      goldenAnsweredRight: point.inScopeAccuracy,
      goldenWrong: point.wrongAnswerRate,
      // Every logged question counts as out of scope: answered = 1 − "OOS recall".
      loggedAnswered:
        logged.length === 0 ? 0 : Math.round((1 - (unlabelled[i]?.oosRecall ?? 1)) * 1000) / 1000,
    })),
  };
}
