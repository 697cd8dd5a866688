import { useEffect, useState } from 'preact/hooks';
import { synonymGroupsFrom, synonymText, textDirOf } from './entryDraft.browser';
import { GoldenRefusal } from './goldenPanel';
import {
  ApiError,
  type BrokenGoldenQuestion,
  type KbApi,
  type SynonymVersion,
  type WriteOptions,
} from './kbApi.browser';
import { LocaleSelect } from './localeSelect';
import { useFetched } from './useFetched.browser';

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
  const [saves, setSaves] = useState(0);
  const { data: history } = useFetched(() => api.synonymVersions(locale), [api, locale, saves]);
  const versions = history ?? [];
  // A write the golden questions refused, and how to make it anyway.
  const [refused, setRefused] = useState<{
    broken: readonly BrokenGoldenQuestion[];
    force: () => void;
  } | null>(null);

  useEffect(() => {
    let current = true;
    setStatus(null);
    setRefused(null);
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

  const write = async (
    action: (options: WriteOptions) => Promise<string[][]>,
    done: string,
    options: WriteOptions = {},
  ) => {
    setRefused(null);
    try {
      const groups = await action(options);
      setText(synonymText(groups));
      setStatus({ ok: true, message: done });
      setSaves((n) => n + 1);
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'golden_broken') {
        setStatus(null);
        setRefused({ broken: err.broken, force: () => void write(action, done, { force: true }) });
        return;
      }
      setStatus({ ok: false, message: err instanceof Error ? err.message : 'Saving failed' });
    }
  };
  const save = () => {
    const groups = synonymGroupsFrom(text);
    return write(
      (options) => api.saveSynonyms(locale, groups, options),
      `Saved ${groups.length} groups for "${locale}".`,
    );
  };
  const restore = (version: number) =>
    write(
      (options) => api.restoreSynonyms(locale, version, options),
      `Restored version ${version} of "${locale}".`,
    );

  return (
    <section class="panel" aria-label="Synonyms">
      <h2>Synonyms</h2>
      <p class="hint">
        One group per line, words separated by commas:{' '}
        <code>refund, money back, reimbursement</code>
      </p>
      <label>
        Locale{' '}
        <LocaleSelect
          testId="synonyms-locale"
          locales={locales}
          value={locale}
          onChange={setLocale}
        />
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
      {refused && (
        <GoldenRefusal
          broken={refused.broken}
          busy={false}
          onForce={refused.force}
          onCancel={() => setRefused(null)}
        />
      )}
      {status && (
        <p class={status.ok ? 'ok' : 'error'} role="status">
          {status.message}
        </p>
      )}
      {versions.length > 0 && (
        <section class="history" aria-label="Synonym history">
          <h3>History</h3>
          <ol class="versions">
            {versions.map((v) => (
              <li key={v.version} data-testid="synonym-version">
                <span class="version-head">
                  v{v.version} · {v.actor} · {new Date(v.at).toLocaleString()}
                </span>{' '}
                <span class="diff" dir={textDirOf(locale)}>
                  {describeChange(v)}
                </span>{' '}
                {v.version !== versions[0]?.version && (
                  <button
                    type="button"
                    class="link"
                    data-testid="restore-synonyms"
                    onClick={() => void restore(v.version)}
                  >
                    Restore
                  </button>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
    </section>
  );
}

/** "+ refund, money back · − agent, human": the groups an edit added and removed. */
function describeChange(v: SynonymVersion): string {
  const key = (group: string[]) => group.join(', ');
  const before = new Set((v.before ?? []).map(key));
  const after = new Set(v.after.map(key));
  const added = [...after].filter((g) => !before.has(g)).map((g) => `+ ${g}`);
  const removed = [...before].filter((g) => !after.has(g)).map((g) => `− ${g}`);
  const parts = [...added, ...removed];
  return parts.length > 0 ? parts.join(' · ') : 'no change';
}
