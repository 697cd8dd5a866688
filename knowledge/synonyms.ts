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
