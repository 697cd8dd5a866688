import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom, type FaqEntry } from '../knowledge';

/** The benchmarks' knowledge base (`npm run bench`, `npm run bench:refresh`). */
export interface SyntheticKb {
  entries: FaqEntry[];
  queries: string[];
}

/** Real English words in frequency order, from the bundled eval KBs. */
function vocabulary(): string[] {
  const counts = new Map<string, number>();
  for (const set of ['banking77', 'clinc150', 'hwu64']) {
    const file = join(__dirname, '..', 'tests', 'fixtures', 'eval', set, 'kb.json');
    const kb = JSON.parse(readFileSync(file, 'utf8')) as {
      question: string;
      alternates: string[];
    }[];
    for (const e of kb) {
      for (const w of [e.question, ...e.alternates]
        .join(' ')
        .toLowerCase()
        .match(/[a-z]+/g) ?? []) {
        counts.set(w, (counts.get(w) ?? 0) + 1);
      }
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([w]) => w);
}

/**
 * A KB of `size` entries with 5 phrasings each. Each entry has 6 topic words; a phrasing
 * mixes them with words drawn Zipf-like from the whole vocabulary, so common words have long
 * postings lists as in a real KB. Queries are new phrasings of random entries, 10% with a typo.
 */
export function syntheticKb(size: number, seed: number): SyntheticKb {
  const rand = seededRandom(seed);
  const words = vocabulary();
  const zipf = (): string => words[Math.floor(words.length ** rand()) - 1] ?? 'help';
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const topics = Array.from({ length: size }, () => Array.from({ length: 6 }, () => pick(words)));
  const phrase = (topic: string[]): string =>
    Array.from({ length: 4 + Math.floor(rand() * 7) }, () =>
      rand() < 0.5 ? pick(topic) : zipf(),
    ).join(' ');
  const entries = topics.map((topic, i): FaqEntry => ({
    id: `faq-${i}`,
    locale: 'en',
    question: phrase(topic),
    alternates: Array.from({ length: 4 }, () => phrase(topic)),
    answer: `Answer ${i}`,
    tags: [],
    followUps: [],
    enabled: true,
  }));
  const queries = Array.from({ length: 600 }, () => {
    const q = phrase(pick(topics));
    const at = Math.floor(rand() * q.length);
    return rand() < 0.1 ? q.slice(0, at) + q.slice(at + 1) : q;
  });
  return { entries, queries };
}
