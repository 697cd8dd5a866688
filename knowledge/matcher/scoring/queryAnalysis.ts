import type { LocaleIndex } from '../index/localeIndex';
import type { AnalyzedToken } from '../text/normalize';
import { gramsOf, termsOf, type TermWeighting } from '../index/termFeatures';

/** A query after the pipeline, synonyms and typo correction. */
export interface QueryAnalysis {
  tokens: AnalyzedToken[];
  /** Weighted lexical terms (typo-corrected terms carry `typoWeight`). */
  terms: Map<string, number>;
  grams: Map<string, number>;
  synonymsApplied: string[];
  /** Typo corrections as "from→to". */
  corrections: string[];
}

export interface QuerySettings extends TermWeighting {
  /** Weight of a typo-corrected term relative to an exact one (0..1). */
  typoWeight: number;
}

/** Terms of the query, with unknown words replaced by their one-edit vocabulary neighbours. */
export function analyzeQuery(
  tokens: AnalyzedToken[],
  synonymsApplied: string[],
  index: LocaleIndex,
  settings: QuerySettings,
): QueryAnalysis {
  const terms = termsOf(tokens, settings);
  const corrections: string[] = [];
  for (const token of tokens) {
    if (token.isStop || index.typos.has(token.stem)) continue;
    const fixes = index.typos.correct(token.stem);
    if (fixes.length === 0) continue;
    const weight = (terms.get(token.stem) ?? 1) * settings.typoWeight;
    terms.delete(token.stem);
    for (const fix of fixes) {
      terms.set(fix, Math.max(terms.get(fix) ?? 0, weight));
      corrections.push(`${token.stem}→${fix}`);
    }
  }
  return {
    tokens,
    terms,
    grams: gramsOf(tokens),
    synonymsApplied,
    corrections,
  };
}
