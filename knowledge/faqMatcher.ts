import Fuse from 'fuse.js';
import { matcherDefaults, type MatcherOptions } from './matcherDefaults';
import type { FaqEntry, MatchBand, MatchCandidate, MatchResult } from './types';

interface Phrasing {
  key: string;
  text: string;
}

/**
 * The FAQ index: ranked candidates for a question in one locale.
 * (First cut: fuse.js over every phrasing. The matcher issue replaces the scoring.)
 */
export class FaqMatcher {
  private readonly options: MatcherOptions;
  private readonly entries = new Map<string, FaqEntry>();
  private readonly fuseByLocale = new Map<string, Fuse<Phrasing>>();

  constructor(options: Partial<MatcherOptions> = {}) {
    this.options = { ...matcherDefaults, ...options };
  }

  get size(): number {
    return this.entries.size;
  }

  load(entries: readonly FaqEntry[]): void {
    this.entries.clear();
    for (const entry of entries) this.entries.set(keyOf(entry.id, entry.locale), entry);
    this.fuseByLocale.clear();
  }

  upsert(entry: FaqEntry): void {
    this.entries.set(keyOf(entry.id, entry.locale), entry);
    this.fuseByLocale.delete(entry.locale);
  }

  remove(id: string, locale: string): void {
    this.entries.delete(keyOf(id, locale));
    this.fuseByLocale.delete(locale);
  }

  setSynonyms(_locale: string, _groups: readonly (readonly string[])[]): void {}

  match(query: string, locale: string, limit = this.options.limit): MatchResult {
    const fuse = this.fuseFor(locale);
    const best = new Map<string, MatchCandidate>();
    for (const hit of fuse.search(query.slice(0, 500), { limit: 50 })) {
      const entry = this.entries.get(hit.item.key);
      if (!entry || best.has(hit.item.key)) continue;
      const confidence = 1 - (hit.score ?? 1);
      best.set(hit.item.key, {
        id: entry.id,
        locale: entry.locale,
        question: entry.question,
        answer: entry.answer,
        confidence,
        matchedPhrasing: hit.item.text,
        scores: { fuzzy: confidence, lexical: 0 },
        synonymsApplied: [],
      });
    }
    const candidates = [...best.values()].slice(0, limit);
    return { query, locale, band: this.bandOf(candidates[0]?.confidence ?? 0), candidates };
  }

  private bandOf(confidence: number): MatchBand {
    if (confidence >= this.options.answerThreshold) return 'answer';
    if (confidence >= this.options.clarifyThreshold) return 'clarify';
    return 'none';
  }

  private fuseFor(locale: string): Fuse<Phrasing> {
    let fuse = this.fuseByLocale.get(locale);
    if (!fuse) {
      const phrasings: Phrasing[] = [];
      for (const [key, entry] of this.entries) {
        if (entry.locale !== locale || !entry.enabled) continue;
        for (const text of [entry.question, ...entry.alternates]) phrasings.push({ key, text });
      }
      fuse = new Fuse(phrasings, { keys: ['text'], includeScore: true, ignoreLocation: true });
      this.fuseByLocale.set(locale, fuse);
    }
    return fuse;
  }
}

const keyOf = (id: string, locale: string): string => `${locale}\u0000${id}`;
