import { useEffect, useState } from 'preact/hooks';
import { synonymGroupsFrom, synonymText, textDirOf } from './entryDraft.browser';
import type { KbApi } from './kbApi.browser';

export interface SynonymsPanelProps {
  api: KbApi;
  locales: string[];
  onSaved: () => void;
}

/** Synonym groups of one locale: words the matcher treats as the same when it reads a question. */
export function SynonymsPanel({ api, locales, onSaved }: SynonymsPanelProps) {
  const [locale, setLocale] = useState(locales[0] ?? 'en');
  const [text, setText] = useState('');
  const [status, setStatus] = useState<{ ok: boolean; message: string } | null>(null);
  // Read-only until the stored groups arrive, so they never overwrite what the editor typed.
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    let current = true;
    setStatus(null);
    setLoaded(false);
    api.synonyms(locale).then(
      (groups) => {
        if (!current) return;
        setText(synonymText(groups));
        setLoaded(true);
      },
      (err: unknown) =>
        current && setStatus({ ok: false, message: err instanceof Error ? err.message : 'Failed' }),
    );
    return () => {
      current = false;
    };
  }, [api, locale]);

  const save = async () => {
    try {
      const groups = await api.saveSynonyms(locale, synonymGroupsFrom(text));
      setText(synonymText(groups));
      setStatus({ ok: true, message: `Saved ${groups.length} groups for "${locale}".` });
      onSaved();
    } catch (err) {
      setStatus({ ok: false, message: err instanceof Error ? err.message : 'Saving failed' });
    }
  };

  return (
    <section class="panel" aria-label="Synonyms">
      <h2>Synonyms</h2>
      <p class="hint">
        One group per line, words separated by commas:{' '}
        <code>refund, money back, reimbursement</code>
      </p>
      <label>
        Locale{' '}
        <select
          data-testid="synonyms-locale"
          value={locale}
          onChange={(event) => setLocale(event.currentTarget.value)}
        >
          {(locales.includes(locale) ? locales : [locale, ...locales]).map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <textarea
        data-testid="synonyms"
        aria-label="Synonym groups"
        dir={textDirOf(locale)}
        rows={14}
        readOnly={!loaded}
        value={text}
        onInput={(event) => setText(event.currentTarget.value)}
      />
      <div class="actions">
        <button
          type="button"
          class="primary"
          data-testid="save-synonyms"
          disabled={!loaded}
          onClick={() => void save()}
        >
          Save synonyms
        </button>
      </div>
      {status && (
        <p class={status.ok ? 'ok' : 'error'} role="status">
          {status.message}
        </p>
      )}
    </section>
  );
}
