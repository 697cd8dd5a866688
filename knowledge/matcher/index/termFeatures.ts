import type { AnalyzedToken } from '../text/normalize';

/** How tokens become weighted lexical terms. */
export interface TermWeighting {
  /** Weight of a stop word's stem relative to a content word (0..1). */
  stopWordWeight: number;
  /** Weight of a stem bigram ("card_arriv") relative to a content word (0..1+). */
  bigramWeight: number;
}

/** Weighted lexical terms of a token sequence: stems plus adjacent stem bigrams ("a b"). */
export function termsOf(
  tokens: readonly AnalyzedToken[],
  weighting: TermWeighting,
): Map<string, number> {
  const terms = new Map<string, number>();
  visitTerms(tokens, weighting, (term, weight) => {
    if (weight > 0) terms.set(term, Math.max(terms.get(term) ?? 0, weight));
  });
  return terms;
}

/**
 * Visits the lexical terms of a token sequence in order, repeats included: the one
 * definition of what a term is, for `termsOf` and for callers that collect terms into
 * reused buffers instead of a Map (the per-query hot path).
 */
export function visitTerms(
  tokens: readonly AnalyzedToken[],
  weighting: TermWeighting,
  visit: (term: string, weight: number) => void,
): void {
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] as AnalyzedToken;
    visit(token.stem, token.isStop ? weighting.stopWordWeight : 1);
    const next = tokens[i + 1];
    if (next) visit(`${token.stem} ${next.stem}`, weighting.bigramWeight);
  }
}

/** Character n-gram counts over the tokens (typos, morphology, compounds). */
export function gramsOf(tokens: readonly AnalyzedToken[]): Map<string, number> {
  const grams = new Map<string, number>();
  for (const token of tokens) {
    for (const gram of token.grams) grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}
