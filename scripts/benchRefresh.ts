import '../bot/infrastructure/quietDotenv';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrateLatest } from '../bot/infrastructure/db';
import { percentile, KnowledgeBase } from '../knowledge';
import { syntheticKb } from './syntheticKb';

/**
 * `npm run bench:refresh`: what an instance pays to catch up when an editor saves one entry
 * elsewhere (another instance, or this one: every write moves the store's revision), with the
 * synthetic KB of `npm run bench` (seed 20261123) in one SQLite file, at 1,000 and 25,000
 * entries. Three KnowledgeBase instances share the file: a writer, one that refreshes as the
 * product does (applying the change), and one with `maxIncrementalChanges: 0`, which
 * rebuilds the whole matcher on every refresh as all instances did before. Each of the
 * `EDITS` edits is followed by one refresh of each reader; the ratio compares them in the
 * same run. A refresh runs on the event loop, so its time is how long requests wait.
 * Then `SYNONYM_EDITS` synonym edits (each adds a group of two words from the KB): a fourth
 * instance re-indexes the whole locale on each (`synonymRebuildShare: 0`, as before), the
 * incremental one only the entries the edit changes.
 */
const SIZES = [1_000, 25_000] as const;
const SEED = 20261123;
const EDITS = 20;
const SYNONYM_EDITS = 5;

/**
 * The synonym groups after edit `i`: each edit adds a group of two words taken from entries'
 * questions (words of 4+ letters, so mostly content words, each in some hundreds of entries).
 */
function synonymGroups(entries: readonly { question: string }[], i: number): string[][] {
  const word = (k: number): string => {
    const words = (entries[(k * 7919) % entries.length]?.question ?? '').split(/\s+/);
    return words.find((w) => /^\p{L}{4,}$/u.test(w)) ?? 'help';
  };
  return Array.from({ length: i + 1 }, (_, g) => [word(2 * g), word(2 * g + 1)]);
}

async function measure(size: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'askdesk-bench-refresh-'));
  const db = createDb({ sqliteFile: join(dir, 'kb.sqlite') });
  try {
    await migrateLatest(db);
    const kb = syntheticKb(size, SEED);
    const writer = await KnowledgeBase.open(db);
    await writer.import(kb.entries, 'bench');
    const incremental = await KnowledgeBase.open(db);
    const rebuilding = await KnowledgeBase.open(db, { maxIncrementalChanges: 0 });
    // Re-indexes the whole locale on a synonym edit, as every instance did before.
    const reindexing = await KnowledgeBase.open(db, { matcherOptions: { synonymRebuildShare: 0 } });
    const applied: number[] = [];
    const rebuilt: number[] = [];
    for (let i = 0; i < EDITS; i += 1) {
      const entry = kb.entries[(i * 997) % kb.entries.length]!;
      await writer.upsert(
        { ...entry, alternates: [...entry.alternates, kb.queries[i] ?? 'new'] },
        'bench',
      );
      applied.push(await timed(() => incremental.refresh(), 'changes'));
      rebuilt.push(await timed(() => rebuilding.refresh(), 'reload'));
    }
    const synonymsApplied: number[] = [];
    const synonymsReindexed: number[] = [];
    for (let i = 0; i < SYNONYM_EDITS; i += 1) {
      await writer.setSynonyms('en', synonymGroups(kb.entries, i), 'bench');
      synonymsApplied.push(await timed(() => incremental.refresh(), 'changes'));
      synonymsReindexed.push(await timed(() => reindexing.refresh(), 'changes'));
    }
    const q = kb.queries[0] ?? '';
    const [a, b] = await Promise.all([incremental.match(q, 'en'), rebuilding.match(q, 'en')]);
    const same = a.candidates[0]?.id === b.candidates[0]?.id;
    applied.sort((a, b) => a - b);
    rebuilt.sort((a, b) => a - b);
    const p50 = (xs: number[]): number => percentile(xs, 0.5);
    const max = (xs: number[]): number => xs[xs.length - 1] ?? 0;
    console.log(
      `${size} entries, ${EDITS} edits: refresh applying the change p50 ${p50(applied).toFixed(2)} ms, ` +
        `max ${max(applied).toFixed(2)} ms; rebuilding p50 ${p50(rebuilt).toFixed(0)} ms, ` +
        `max ${max(rebuilt).toFixed(0)} ms; ${(p50(rebuilt) / p50(applied)).toFixed(0)}× less ` +
        `(same top answer afterwards: ${same ? 'yes' : 'NO'})`,
    );
    synonymsApplied.sort((a, b) => a - b);
    synonymsReindexed.sort((a, b) => a - b);
    console.log(
      `${size} entries, ${SYNONYM_EDITS} synonym edits: re-indexing the entries they change p50 ` +
        `${p50(synonymsApplied).toFixed(1)} ms, max ${max(synonymsApplied).toFixed(1)} ms; ` +
        `re-indexing the locale p50 ${p50(synonymsReindexed).toFixed(0)} ms; ` +
        `${(p50(synonymsReindexed) / p50(synonymsApplied)).toFixed(0)}× less`,
    );
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timed(
  refresh: () => Promise<{ applied: string }>,
  expected: string,
): Promise<number> {
  const started = performance.now();
  const report = await refresh();
  const ms = performance.now() - started;
  if (report.applied !== expected) {
    throw new Error(`refresh applied "${report.applied}", expected "${expected}"`);
  }
  return ms;
}

async function main(): Promise<void> {
  console.log(
    `seed ${SEED}; synthetic English KB (5 phrasings per entry), SQLite file; node ${process.version}`,
  );
  for (const size of SIZES) await measure(size);
}

void main();
