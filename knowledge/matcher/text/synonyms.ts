import type { AnalyzedToken } from './normalize';

/** Tokens after synonym rewriting, and the rewrites applied as "from→to". */
export interface SynonymResult {
  tokens: AnalyzedToken[];
  applied: string[];
}

const MAX_PHRASE_TOKENS = 4;

/**
 * Editor-defined synonym groups for one locale. Every member of a group is rewritten to the
 * group's first member, in entries and queries alike, so "money back" and "refund" meet.
 * Members may be phrases; the longest match wins.
 */
export class SynonymTable {
  // Key: stems joined by a space. Value: the canonical tokens and their display form.
  private readonly rewrites = new Map<string, { tokens: AnalyzedToken[]; display: string }>();
  private longest = 0;

  constructor(groups: readonly (readonly string[])[], analyze: (text: string) => AnalyzedToken[]) {
    for (const group of groups) {
      const canonicalText = group[0];
      if (canonicalText === undefined) continue;
      const canonical = analyze(canonicalText);
      if (canonical.length === 0) continue;
      for (const member of group.slice(1))
        this.addMember(analyze(member), canonical, canonicalText);
    }
  }

  get isEmpty(): boolean {
    return this.rewrites.size === 0;
  }

  /**
   * Stems that find every text whose rewriting differs between two tables, in the tokens
   * `before` produced (what the index holds): a superset, so re-indexing just the entries
   * with one of these stems gives the index a full re-index with `after` would give.
   *
   * Why it suffices: the tables rewrite a text differently only if the text contains a key
   * whose rewrite changed (added, removed or retargeted); otherwise every lookup of the scan
   * gets the same answer. Such a key's first stem is either still in the rewritten tokens, or
   * was consumed by a rewrite of `before` whose key contains it, and then that rewrite's
   * canonical stems are there instead. (Rewriting is one pass: output is never rewritten.)
   */
  static stemsAffected(before: SynonymTable, after: SynonymTable): Set<string> {
    const changed = new Set<string>();
    const target = (table: SynonymTable, key: string): string | undefined =>
      table.rewrites
        .get(key)
        ?.tokens.map((t) => t.stem)
        .join(' ');
    for (const key of new Set([...before.rewrites.keys(), ...after.rewrites.keys()])) {
      if (target(before, key) !== target(after, key)) changed.add(key);
    }
    const stems = new Set<string>();
    const firstStems = new Set([...changed].map((key) => key.split(' ')[0] as string));
    for (const stem of firstStems) stems.add(stem);
    for (const [key, rewrite] of before.rewrites) {
      if (!key.split(' ').some((stem) => firstStems.has(stem))) continue;
      for (const token of rewrite.tokens) stems.add(token.stem);
    }
    return stems;
  }

  /** Rewrites members to their group's canonical form, longest phrase first. */
  apply(tokens: readonly AnalyzedToken[]): SynonymResult {
    if (this.isEmpty) return { tokens: [...tokens], applied: [] };
    const out: AnalyzedToken[] = [];
    const applied: string[] = [];
    for (let i = 0; i < tokens.length;) {
      const hit = this.longestMatchAt(tokens, i);
      if (!hit) {
        out.push(tokens[i] as AnalyzedToken);
        i += 1;
        continue;
      }
      const from = tokens
        .slice(i, i + hit.length)
        .map((t) => t.surface)
        .join(' ');
      applied.push(`${from}→${hit.display}`);
      out.push(...hit.tokens);
      i += hit.length;
    }
    return { tokens: out, applied };
  }

  private addMember(member: AnalyzedToken[], canonical: AnalyzedToken[], display: string): void {
    if (member.length === 0 || member.length > MAX_PHRASE_TOKENS) return;
    const key = member.map((t) => t.stem).join(' ');
    if (key === canonical.map((t) => t.stem).join(' ')) return;
    this.rewrites.set(key, { tokens: canonical, display });
    this.longest = Math.max(this.longest, member.length);
  }

  private longestMatchAt(
    tokens: readonly AnalyzedToken[],
    start: number,
  ): { length: number; tokens: AnalyzedToken[]; display: string } | undefined {
    for (let length = Math.min(this.longest, tokens.length - start); length >= 1; length -= 1) {
      const key = tokens
        .slice(start, start + length)
        .map((t) => t.stem)
        .join(' ');
      const rewrite = this.rewrites.get(key);
      if (rewrite) return { length, ...rewrite };
    }
    return undefined;
  }
}
