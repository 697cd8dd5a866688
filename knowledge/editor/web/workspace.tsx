import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { FaqEntry } from '../../types';
import { filterEntries, localesOf, type EntryFilter } from './entryDraft.browser';
import { EntryForm } from './entryForm';
import { EntryList } from './entryList';
import { GoldenPanel } from './goldenPanel';
import { ImportPanel } from './importPanel';
import { ApiError, type KbApi } from './kbApi.browser';
import { SynonymsPanel } from './synonymsPanel';
import { TestPanel } from './testPanel';
import { UnansweredPanel } from './unansweredPanel';
import { OverlapsPanel } from './overlapsPanel';
import { VersionHistory } from './versionHistory';

type Tab = 'entries' | 'unanswered' | 'golden' | 'synonyms' | 'import';
/** What the middle column shows: an existing entry, a new one, or nothing yet. */
type Selection = { locale: string; id: string } | 'new' | null;

const tabs: ReadonlyArray<[Tab, string]> = [
  ['entries', 'Entries'],
  ['unanswered', 'Unanswered'],
  ['golden', 'Golden questions'],
  ['synonyms', 'Synonyms'],
  ['import', 'Import'],
];

export function Workspace({ api, onLogout }: { api: KbApi; onLogout: () => void }) {
  const [entries, setEntries] = useState<FaqEntry[]>([]);
  const [filter, setFilter] = useState<EntryFilter>({ locale: '', text: '' });
  const [selection, setSelection] = useState<Selection>(null);
  // A link such as /editor#unanswered (from the dashboard) opens that tab.
  const [tab, setTab] = useState<Tab>(
    () => tabs.find(([id]) => `#${id}` === window.location.hash)?.[0] ?? 'entries',
  );
  const [problem, setProblem] = useState<string | null>(null);
  // Bumped on every write, so history and the test panel show what the bot now sees.
  const [revision, setRevision] = useState(0);
  // A new entry started from the unanswered inbox: its question, locale and the group's
  // questions, dismissed once the entry is saved.
  const [fromInbox, setFromInbox] = useState<{
    question: string;
    answer: string | null;
    locale: string;
    ids: number[];
  } | null>(null);

  const reload = useCallback(async () => {
    try {
      setEntries(await api.entries());
      setProblem(null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onLogout();
      setProblem(err instanceof Error ? err.message : 'Cannot load the entries');
    }
  }, [api, onLogout]);
  useEffect(() => {
    void reload();
  }, [reload, revision]);

  const locales = useMemo(() => localesOf(entries), [entries]);
  const selected =
    selection && selection !== 'new'
      ? entries.find((e) => e.id === selection.id && e.locale === selection.locale)
      : undefined;
  const changed = (next: Selection) => {
    setSelection(next);
    setRevision((r) => r + 1);
  };

  return (
    <div class="workspace">
      <header class="topbar">
        <h1>Askdesk editor</h1>
        <nav class="tabs">
          {tabs.map(([id, label]) => (
            <button
              type="button"
              key={id}
              class={tab === id ? 'tab active' : 'tab'}
              aria-pressed={tab === id}
              onClick={() => setTab(id)}
            >
              {label}
            </button>
          ))}
        </nav>
        <button type="button" onClick={onLogout}>
          Sign out
        </button>
      </header>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {tab === 'entries' && (
        <div class="columns">
          <EntryList
            entries={filterEntries(entries, filter)}
            total={entries.length}
            locales={locales}
            filter={filter}
            selected={selected ?? null}
            onFilter={setFilter}
            onSelect={(entry) => setSelection({ locale: entry.locale, id: entry.id })}
            onNew={() => {
              setFromInbox(null);
              setSelection('new');
            }}
          />
          <main class="detail">
            {selection === null && (
              <p class="placeholder">Select an entry to edit it, or create a new one.</p>
            )}
            {selection === 'new' && (
              <EntryForm
                key={fromInbox ? `new-${fromInbox.ids.join(',')}` : 'new'}
                api={api}
                entry={null}
                defaultLocale={fromInbox?.locale ?? (filter.locale || 'en')}
                {...(fromInbox && {
                  initialQuestion: fromInbox.question,
                  initialAnswer: fromInbox.answer ?? '',
                })}
                onSaved={(e) => {
                  if (fromInbox) {
                    void api.dismissUnanswered(fromInbox.ids).catch(() => undefined);
                    setFromInbox(null);
                  }
                  changed({ locale: e.locale, id: e.id });
                }}
                onDeleted={() => changed(null)}
              />
            )}
            {/* Keyed by content: a save or restore re-fills the form from what is stored. */}
            {selected && (
              <>
                <EntryForm
                  key={JSON.stringify(selected)}
                  api={api}
                  entry={selected}
                  defaultLocale={selected.locale}
                  onSaved={(e) => changed({ locale: e.locale, id: e.id })}
                  onDeleted={() => changed(null)}
                />
                <OverlapsPanel
                  api={api}
                  entry={selected}
                  revision={revision}
                  onOpen={(target) => setSelection(target)}
                />
                <VersionHistory
                  api={api}
                  entry={selected}
                  revision={revision}
                  onRestored={(e) => changed({ locale: e.locale, id: e.id })}
                />
              </>
            )}
          </main>
          <TestPanel
            api={api}
            locales={locales}
            defaultLocale={filter.locale || 'en'}
            revision={revision}
            onOpen={(c) => setSelection({ locale: c.locale, id: c.id })}
          />
        </div>
      )}
      {tab === 'unanswered' && (
        <UnansweredPanel
          api={api}
          entries={entries}
          revision={revision}
          onChanged={(target) => changed(target)}
          onNewEntry={(group, question) => {
            setFromInbox({ question, answer: group.answer, locale: group.locale, ids: group.ids });
            setSelection('new');
            setTab('entries');
          }}
        />
      )}
      {tab === 'golden' && (
        <GoldenPanel api={api} entries={entries} locales={locales} revision={revision} />
      )}
      {tab === 'synonyms' && (
        <SynonymsPanel api={api} locales={locales} onSaved={() => setRevision((r) => r + 1)} />
      )}
      {tab === 'import' && <ImportPanel api={api} onApplied={() => setRevision((r) => r + 1)} />}
    </div>
  );
}
