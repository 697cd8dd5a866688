import type { FaqEntry } from '../../types';
import { textDirOf, type EntryFilter } from './entryDraft.browser';

export interface EntryListProps {
  entries: FaqEntry[];
  total: number;
  locales: string[];
  filter: EntryFilter;
  selected: FaqEntry | null;
  onFilter: (filter: EntryFilter) => void;
  onSelect: (entry: FaqEntry) => void;
  onNew: () => void;
}

/** The filterable entry list; one `entry` row per entry with its essentials. */
export function EntryList(props: EntryListProps) {
  const { filter, onFilter, selected } = props;
  return (
    <aside class="entries">
      <div class="filters">
        <select
          aria-label="Locale"
          data-testid="locale-filter"
          value={filter.locale}
          onChange={(event) => onFilter({ ...filter, locale: event.currentTarget.value })}
        >
          <option value="">All locales</option>
          {props.locales.map((locale) => (
            <option key={locale} value={locale}>
              {locale}
            </option>
          ))}
        </select>
        <input
          type="search"
          aria-label="Filter entries"
          placeholder="Filter by id, question, tag…"
          data-testid="entry-filter"
          dir="auto"
          value={filter.text}
          onInput={(event) => onFilter({ ...filter, text: event.currentTarget.value })}
        />
        <button type="button" class="primary" data-testid="new-entry" onClick={props.onNew}>
          New entry
        </button>
      </div>
      <p class="count">
        {props.entries.length} of {props.total} entries
      </p>
      <ul class="entry-list">
        {props.entries.map((entry) => {
          const isSelected =
            selected !== null && selected.id === entry.id && selected.locale === entry.locale;
          return (
            <li key={`${entry.locale}/${entry.id}`} data-testid="entry">
              <button
                type="button"
                class={isSelected ? 'row selected' : 'row'}
                aria-current={isSelected}
                onClick={() => props.onSelect(entry)}
              >
                <span class="row-head">
                  <code class="entry-id">{entry.id}</code>
                  <span class="locale">{entry.locale}</span>
                  <span class={entry.enabled ? 'state on' : 'state off'}>
                    {entry.enabled ? 'enabled' : 'disabled'}
                  </span>
                </span>
                <span class="question" dir={textDirOf(entry.locale)}>
                  {entry.question}
                </span>
                <span class="row-meta">
                  <span title="Alternate phrasings">{entry.alternates.length} alternates</span>
                  {entry.tags.map((tag) => (
                    <span key={tag} class="tag" dir="auto">
                      {tag}
                    </span>
                  ))}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
