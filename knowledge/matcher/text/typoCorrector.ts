/**
 * Typo tolerance for query terms the index has never seen: a symmetric-delete lookup
 * (SymSpell, edit distance 1) over the index vocabulary. Cost per lookup is O(word length),
 * independent of the vocabulary size.
 */
export class TypoCorrector {
  // A word and every one-letter deletion of it → the vocabulary terms that produce it.
  private readonly variants = new Map<string, Set<string>>();
  private readonly counts = new Map<string, number>();

  constructor(private readonly minLength: number) {}

  /** Counts a vocabulary term (call once per indexed occurrence owner). */
  add(term: string): void {
    const count = this.counts.get(term) ?? 0;
    this.counts.set(term, count + 1);
    if (count > 0 || term.length < this.minLength) return;
    for (const variant of variantsOf(term)) {
      let owners = this.variants.get(variant);
      if (!owners) this.variants.set(variant, (owners = new Set()));
      owners.add(term);
    }
  }

  /** Undoes one add(); the term leaves the vocabulary when its count reaches 0. */
  delete(term: string): void {
    const count = this.counts.get(term) ?? 0;
    if (count > 1) {
      this.counts.set(term, count - 1);
      return;
    }
    this.counts.delete(term);
    if (term.length < this.minLength) return;
    for (const variant of variantsOf(term)) {
      const owners = this.variants.get(variant);
      owners?.delete(term);
      if (owners?.size === 0) this.variants.delete(variant);
    }
  }

  has(term: string): boolean {
    return this.counts.has(term);
  }

  /**
   * Vocabulary terms one edit away (insert, delete, substitute, adjacent swap), most
   * frequent first; empty for short or known terms.
   */
  correct(term: string, max = 2): string[] {
    if (term.length < this.minLength || this.counts.has(term)) return [];
    const found = new Set<string>();
    for (const variant of variantsOf(term)) {
      for (const owner of this.variants.get(variant) ?? []) {
        // Two deletions can meet at distance 2 ("tabl"/"talk"); keep true one-edit neighbours.
        if (editDistanceAtMostOne(term, owner)) found.add(owner);
      }
    }
    return [...found]
      .sort((a, b) => (this.counts.get(b) ?? 0) - (this.counts.get(a) ?? 0))
      .slice(0, max);
  }
}

function variantsOf(term: string): string[] {
  const out = [term];
  for (let i = 0; i < term.length; i += 1) out.push(term.slice(0, i) + term.slice(i + 1));
  return out;
}

/** Optimal-string-alignment distance ≤ 1: one insertion, deletion, substitution or adjacent swap. */
export function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution (or equal)
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
