import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fuse from 'fuse.js';
import natural from 'natural';
import { parseKbJson, parseQueriesJsonl, type FaqEntry } from '../knowledge';

/**
 * `npx tsx scripts/evalPeers.ts [SET …]`: top-1 and top-3 of two off-the-shelf matchers on the
 * dev sets in tests/fixtures/eval, per locale, for the README's comparison table: fuse.js
 * with its default options over every phrasing, and natural's TfIdf (nearest phrasing by
 * summed tf-idf of the query's words). Each ranks entries by their best phrasing.
 */

const fixtures = join(__dirname, '..', 'tests', 'fixtures', 'eval');

interface Phrasing {
  id: string;
  text: string;
}

const phrasingsOf = (kb: readonly FaqEntry[]): Phrasing[] =>
  kb.flatMap((e) => [e.question, ...e.alternates].map((text) => ({ id: e.id, text })));

/** Entry ids in order of their best phrasing (first occurrence wins). */
const distinctIds = (ids: readonly string[]): string[] => [...new Set(ids)];

export function fuseRanker(kb: readonly FaqEntry[]): (q: string) => string[] {
  const fuse = new Fuse(phrasingsOf(kb), { keys: ['text'] });
  return (q) => distinctIds(fuse.search(q).map((r) => r.item.id));
}

export function tfIdfRanker(kb: readonly FaqEntry[]): (q: string) => string[] {
  const tfidf = new natural.TfIdf();
  const phrasings = phrasingsOf(kb);
  for (const p of phrasings) tfidf.addDocument(p.text.toLowerCase());
  return (q) => {
    const scores: [string, number][] = [];
    tfidf.tfidfs(q.toLowerCase(), (i, measure) => {
      if (measure > 0) scores.push([phrasings[i]?.id ?? '', measure]);
    });
    return distinctIds(scores.sort((a, b) => b[1] - a[1]).map(([id]) => id));
  };
}

export function run(argv: string[]): number {
  const sets = argv.length > 0 ? argv : ['telecom-ml', 'sib200'];
  const rows: string[] = [
    '| set | locale | peer | top-1 | top-3 |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const set of sets) {
    const kb = parseKbJson(readFileSync(join(fixtures, set, 'kb.json'), 'utf8'), set);
    const queries = parseQueriesJsonl(
      readFileSync(join(fixtures, set, 'queries.jsonl'), 'utf8'),
      set,
    );
    for (const locale of [...new Set(kb.map((e) => e.locale))].sort()) {
      const own = kb.filter((e) => e.locale === locale);
      const inScope = queries.filter((q) => q.locale === locale && q.expected !== null);
      for (const [peer, ranker] of [
        ['fuse.js', fuseRanker(own)],
        ['natural TfIdf', tfIdfRanker(own)],
      ] as const) {
        let top1 = 0;
        let top3 = 0;
        for (const q of inScope) {
          const ids = ranker(q.q);
          if (ids[0] === q.expected) top1 += 1;
          if (ids.slice(0, 3).includes(q.expected ?? '')) top3 += 1;
        }
        const share = (n: number): string => (inScope.length ? n / inScope.length : 0).toFixed(3);
        rows.push(`| ${set} | ${locale} | ${peer} | ${share(top1)} | ${share(top3)} |`);
      }
    }
  }
  process.stdout.write(`${rows.join('\n')}\n`);
  return 0;
}

if (require.main === module) process.exit(run(process.argv.slice(2)));
