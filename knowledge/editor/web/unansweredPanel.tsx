import { useState } from 'preact/hooks';
import type { FaqEntry } from '../../types';
import type { KbApi, UnansweredGroup } from './kbApi.browser';
import { useFetched } from './useFetched.browser';

export interface UnansweredPanelProps {
  api: KbApi;
  entries: readonly FaqEntry[];
  /** Changes after every write. */
  revision: number;
  /** An entry changed (an alternate added): the workspace reloads and shows it. */
  onChanged: (target: { locale: string; id: string }) => void;
  /**
   * Opens a new entry with this question (and the agent's answer, if any); the group's
   * questions are dismissed once it is saved.
   */
  onNewEntry: (group: UnansweredGroup, question: string) => void;
}

const outcomeText = { none: 'no answer', clarify: '"Did you mean…"', handoff: 'handed off' };

/**
 * What customers asked that the bot could not answer directly, grouped by wording, largest
 * groups first, with what an agent answered where a question was escalated. One click adds a
 * question to an entry as an alternate phrasing, or starts a new entry with it (and the
 * agent's answer as a draft); either way the group leaves the inbox.
 */
export function UnansweredPanel({
  api,
  entries,
  revision,
  onChanged,
  onNewEntry,
}: UnansweredPanelProps) {
  const { data: groups, problem, act } = useFetched(() => api.unanswered(), [api, revision]);

  const addToEntry = (group: UnansweredGroup, question: string, id: string) =>
    act(async () => {
      const entry = entries.find((e) => e.id === id && e.locale === group.locale);
      if (!entry) throw new Error(`There is no entry "${id}" in locale "${group.locale}".`);
      if (!entry.alternates.includes(question)) {
        await api.save({ ...entry, alternates: [...entry.alternates, question] });
      }
      await api.dismissUnanswered(group.ids);
      onChanged({ locale: entry.locale, id: entry.id });
    });

  return (
    <section class="unanswered" aria-label="Unanswered questions">
      <h2>Unanswered questions</h2>
      <p class="hint">
        What customers asked that the bot could not answer directly, grouped by wording. Add a
        question to an entry as an alternate phrasing, or start a new entry with it.
      </p>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {groups?.length === 0 && <p class="hint">Nothing waits here.</p>}
      <ul class="groups">
        {groups?.map((group) => (
          <UnansweredItem
            key={group.ids.join(',')}
            group={group}
            entries={entries}
            onAdd={(question, id) => void addToEntry(group, question, id)}
            onNew={(question) => onNewEntry(group, question)}
            onDismiss={() => void act(async () => void (await api.dismissUnanswered(group.ids)))}
          />
        ))}
      </ul>
    </section>
  );
}

function UnansweredItem({
  group,
  entries,
  onAdd,
  onNew,
  onDismiss,
}: {
  group: UnansweredGroup;
  entries: readonly FaqEntry[];
  onAdd: (question: string, id: string) => void;
  onNew: (question: string) => void;
  onDismiss: () => void;
}) {
  const [target, setTarget] = useState(group.topId ?? '');
  const question = group.examples[0]?.text ?? '';
  const listId = `entries-${group.locale}`;
  return (
    <li data-testid="unanswered-group">
      <div class="group-head">
        <span class="count" data-testid="unanswered-count">
          {group.count}×
        </span>
        <q dir="auto" data-testid="unanswered-question">
          {question}
        </q>
        <span class="locale">{group.locale}</span>
        <time dateTime={group.lastAt}>{new Date(group.lastAt).toLocaleString()}</time>
      </div>
      {group.examples.length > 1 && (
        <ul class="examples">
          {group.examples.slice(1).map((e) => (
            <li key={e.id} dir="auto">
              {e.text} <span class="outcome">({outcomeText[e.outcome]})</span>
            </li>
          ))}
        </ul>
      )}
      {group.answer && (
        <blockquote class="agent-answer" dir="auto" data-testid="unanswered-answer">
          <span class="label">An agent answered:</span> {group.answer}
        </blockquote>
      )}
      <div class="actions">
        <label>
          Add to entry{' '}
          <input
            list={listId}
            value={target}
            data-testid="unanswered-target"
            onInput={(e) => setTarget((e.target as HTMLInputElement).value)}
          />
        </label>
        <datalist id={listId}>
          {entries
            .filter((e) => e.locale === group.locale)
            .map((e) => (
              <option key={e.id} value={e.id}>
                {e.question}
              </option>
            ))}
        </datalist>
        <button
          type="button"
          data-testid="unanswered-add"
          disabled={target.trim() === ''}
          onClick={() => onAdd(question, target.trim())}
        >
          Add as alternate
        </button>
        <button type="button" data-testid="unanswered-new" onClick={() => onNew(question)}>
          New entry
        </button>
        <button type="button" class="link" data-testid="unanswered-dismiss" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </li>
  );
}
