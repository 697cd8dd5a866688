import fs from 'node:fs';
import path from 'node:path';
import type { FaqEntry } from '../knowledge/types';
import { localesDir } from './replies';
import { systemIntentIds } from './turnPolicy';

type IntentPhrasings = Record<string, Record<string, string[]>>;

/**
 * The built-in intents (ask for a person, status, cancel) as matcher entries, one per locale
 * that has phrasings in `bot/locales/intents.json`. They are matched like FAQ entries, so typos
 * and paraphrases work, but they are never stored, listed or exported.
 */
export function systemIntentEntries(locales: readonly string[]): FaqEntry[] {
  const file = path.join(localesDir(), 'intents.json');
  const phrasings = JSON.parse(fs.readFileSync(file, 'utf8')) as IntentPhrasings;
  const entries: FaqEntry[] = [];
  for (const id of systemIntentIds) {
    for (const locale of locales) {
      const [question, ...alternates] = phrasings[id]?.[locale] ?? [];
      if (!question) continue;
      entries.push({
        id,
        locale,
        question,
        alternates,
        answer: '',
        tags: ['system'],
        followUps: [],
        enabled: true,
      });
    }
  }
  return entries;
}
