import { InvalidInputError, type FieldProblem } from '../errors';
import type { KbStore } from '../store/kbStore';
import { entryKey as keyOf, type FaqEntry } from '../types';

/**
 * InvalidInputError (field `followUps`) unless every follow-up of `entries` names an entry of
 * the same locale, in `entries` or in the store: no prompt may lead nowhere.
 */
export async function assertFollowUpsResolve(
  store: Pick<KbStore, 'list'>,
  entries: readonly FaqEntry[],
): Promise<void> {
  const known = new Set(entries.map((e) => keyOf(e.id, e.locale)));
  const dangling = entries.flatMap((entry) =>
    entry.followUps
      .filter((target) => !known.has(keyOf(target, entry.locale)))
      .map((target) => ({ entry, target })),
  );
  if (dangling.length === 0) return;
  const locales = [...new Set(dangling.map((d) => d.entry.locale))];
  const stored = (await Promise.all(locales.map((locale) => store.list({ locale })))).flat();
  for (const e of stored) known.add(keyOf(e.id, e.locale));
  const problems: FieldProblem[] = dangling
    .filter(({ entry, target }) => !known.has(keyOf(target, entry.locale)))
    .map(({ entry, target }) => ({
      line: 0,
      field: 'followUps',
      message: `"${entry.id}" (${entry.locale}): follow-up "${target}" is not an entry in locale "${entry.locale}" — add that entry or remove the follow-up`,
    }));
  if (problems.length > 0) {
    throw new InvalidInputError(problems.map((p) => p.message).join('\n'), problems);
  }
}
