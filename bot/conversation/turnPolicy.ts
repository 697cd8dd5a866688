import type { MatchCandidate, MatchResult } from '../../knowledge';
import type { FrustrationSignal } from './frustration';

/** Ids of the built-in intents registered as system entries in the matcher. */
export const systemIntentIds = [
  '__human',
  '__supervisor',
  '__status',
  '__cancel',
  '__greeting',
  '__thanks',
] as const;
export type SystemIntent = (typeof systemIntentIds)[number];

export const isSystemIntent = (id: string): id is SystemIntent => id.startsWith('__');

/** What the bot does with a customer's message when nobody else owns the conversation. */
export type TurnAction =
  | { kind: 'answer'; candidate: MatchCandidate }
  | { kind: 'clarify'; candidates: MatchCandidate[] }
  | { kind: 'miss'; misses: number }
  | {
      kind: 'handoff';
      reason: 'requested' | 'misses' | 'frustration';
      candidates: MatchCandidate[];
    }
  | { kind: 'status' }
  | { kind: 'cancel' }
  | { kind: 'escalate' }
  /** A greeting or thanks on its own: a reply in kind, neither an answer nor a miss. */
  | { kind: 'smallTalk'; intent: 'greeting' | 'thanks' };

export interface TurnInput {
  result: MatchResult;
  /** Consecutive misses before this message. */
  misses: number;
  /** Misses in a row that hand off by themselves (≥ 1). */
  missLimit: number;
  frustration: readonly FrustrationSignal[];
}

const faqCandidates = (result: MatchResult): MatchCandidate[] =>
  result.candidates.filter((c) => !isSystemIntent(c.id));

const smallTalk: Partial<Record<SystemIntent, 'greeting' | 'thanks'>> = {
  __greeting: 'greeting',
  __thanks: 'thanks',
};

/**
 * The decision for one message, pure so it can be tested as a table:
 * a confident request (a person, the status, cancel) wins; then frustration hands off
 * ("thanks for nothing" is not thanks); then a greeting or thanks gets one in return; then
 * the FAQ band decides, and a miss that reaches `missLimit` hands off instead of apologising
 * once more.
 */
export function decideTurn({ result, misses, missLimit, frustration }: TurnInput): TurnAction {
  const top = result.candidates[0];
  const faq = faqCandidates(result);
  const talk = top && isSystemIntent(top.id) ? smallTalk[top.id] : undefined;
  if (result.band === 'answer' && top && isSystemIntent(top.id) && !talk) {
    if (top.id === '__human') return { kind: 'handoff', reason: 'requested', candidates: faq };
    if (top.id === '__supervisor') return { kind: 'escalate' };
    return { kind: top.id === '__status' ? 'status' : 'cancel' };
  }
  if (frustration.length > 0) return { kind: 'handoff', reason: 'frustration', candidates: faq };
  if (result.band === 'answer' && talk) return { kind: 'smallTalk', intent: talk };
  if (result.band === 'answer' && top) return { kind: 'answer', candidate: top };
  if (result.band === 'clarify' && faq.length > 0) {
    return { kind: 'clarify', candidates: faq.slice(0, 3) };
  }
  if (misses + 1 >= missLimit) return { kind: 'handoff', reason: 'misses', candidates: faq };
  return { kind: 'miss', misses: misses + 1 };
}

/** What the bot does while the customer waits in the queue (nobody owns the chat yet). */
export type WaitingAction =
  | { kind: 'status' }
  | { kind: 'cancel' }
  | { kind: 'escalate' }
  | { kind: 'answerWhileWaiting'; candidate: MatchCandidate }
  | { kind: 'acknowledge' };

export function decideWaitingTurn(result: MatchResult): WaitingAction {
  const top = result.candidates[0];
  if (result.band !== 'answer' || !top) return { kind: 'acknowledge' };
  if (top.id === '__status') return { kind: 'status' };
  if (top.id === '__cancel') return { kind: 'cancel' };
  if (top.id === '__supervisor') return { kind: 'escalate' };
  if (isSystemIntent(top.id)) return { kind: 'acknowledge' };
  return { kind: 'answerWhileWaiting', candidate: top };
}

/** True when an answered entry's tags include a configured sensitive tag (case-insensitive). */
export function isSensitive(tags: readonly string[], sensitiveTags: readonly string[]): boolean {
  const wanted = new Set(sensitiveTags.map((t) => t.toLowerCase()));
  return tags.some((tag) => wanted.has(tag.toLowerCase()));
}
