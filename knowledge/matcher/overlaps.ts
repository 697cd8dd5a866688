import type { IndexedEntry } from './index/indexedEntry';
import type { MatchCandidate, Overlap, OverlapKind } from '../types';

export type { Overlap, OverlapKind } from '../types';

/**
 * A runner-up at this share of the own entry's score (or more) counts as an overlap. The
 * phrasing itself is in the own entry, which therefore scores high: half the phrasings of
 * banking77 give the runner-up under 0.50, 90 % under 0.66. 0.75 flags 2.6 % of them, the
 * pairs an editor would merge or tell apart (pending_top_up / top_up_failed, the three
 * identity-verification intents, the virtual and disposable card family) and a phrasing
 * filed under the wrong entry ("How can i get new card?" in contactless_not_working).
 */
export const OVERLAP_SCORE_SHARE = 0.75;

const severity: Record<OverlapKind, number> = { duplicate: 0, closer: 1, 'as-close': 2 };

/**
 * The overlaps of `checked` entries' phrasings with the other entries of their locale.
 * `rank` is the matcher's ranking of a text in that locale (words only, deterministic);
 * entries whose id starts with "__" (system intents) are reported as others, never checked.
 */
export function findOverlaps(
  locale: string,
  all: Iterable<IndexedEntry>,
  checked: Iterable<IndexedEntry>,
  rank: (text: string) => MatchCandidate[],
): Overlap[] {
  const byWording = new Map<string, { id: string; text: string }[]>();
  for (const indexed of all) {
    for (const p of indexed.phrasings) {
      const key = wordingKey(p.tokens);
      if (key === '') continue;
      const list = byWording.get(key) ?? [];
      list.push({ id: indexed.entry.id, text: p.text });
      byWording.set(key, list);
    }
  }
  const overlaps: Overlap[] = [];
  for (const indexed of checked) {
    const { id } = indexed.entry;
    if (id.startsWith('__')) continue;
    for (const p of indexed.phrasings) {
      const same = (byWording.get(wordingKey(p.tokens)) ?? []).filter((o) => o.id !== id);
      if (same.length > 0) {
        const seen = new Set<string>();
        for (const other of same) {
          if (seen.has(other.id)) continue;
          seen.add(other.id);
          overlaps.push(overlapOf(locale, id, p.text, 'duplicate', other.id, other.text, 1));
        }
        continue;
      }
      const candidates = rank(p.text);
      const own = candidates.find((c) => c.id === id);
      const ownScore = own?.scores.combined ?? 0;
      const rival = candidates.find((c) => c.id !== id);
      if (!rival || ownScore <= 0) continue;
      const share = (rival.scores.combined ?? 0) / ownScore;
      const kind: OverlapKind | null =
        candidates[0]?.id !== id ? 'closer' : share >= OVERLAP_SCORE_SHARE ? 'as-close' : null;
      if (kind) {
        overlaps.push(overlapOf(locale, id, p.text, kind, rival.id, rival.matchedPhrasing, share));
      }
    }
  }
  return overlaps.sort(
    (a, b) =>
      severity[a.kind] - severity[b.kind] ||
      b.scoreShare - a.scoreShare ||
      a.id.localeCompare(b.id) ||
      a.phrasing.localeCompare(b.phrasing),
  );
}

const overlapOf = (
  locale: string,
  id: string,
  phrasing: string,
  kind: OverlapKind,
  otherId: string,
  otherPhrasing: string,
  share: number,
): Overlap => ({
  locale,
  id,
  phrasing,
  kind,
  otherId,
  otherPhrasing,
  scoreShare: Math.round(share * 1000) / 1000,
});

/** The phrasing's analysed words (stems, stop words included) as one key. */
const wordingKey = (tokens: readonly { stem: string }[]): string =>
  tokens.map((t) => t.stem).join(' ');
