import type { FaqEntry } from '../../types';
import { changedFields } from './entryDraft.browser';
import type { KbApi } from './kbApi.browser';
import { useFetched } from './useFetched.browser';

export interface VersionHistoryProps {
  api: KbApi;
  entry: FaqEntry;
  /** Changes after every write, so a save shows up here at once. */
  revision: number;
  onRestored: (entry: FaqEntry) => void;
}

/** Who changed what and when, newest first; any version that left an entry can be restored. */
export function VersionHistory({ api, entry, revision, onRestored }: VersionHistoryProps) {
  const { id, locale } = entry;
  const { data, problem, act } = useFetched(
    () => api.versions(locale, id),
    [api, id, locale, revision],
  );
  const versions = data ?? [];
  const restore = (version: number) =>
    act(async () => onRestored(await api.restore(locale, id, version)));

  return (
    <section class="history" aria-label="Version history">
      <h3>History</h3>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <ol class="versions">
        {versions.map((v, index) => (
          <li key={v.version} data-testid="version">
            <span class="version-no">v{v.version}</span> <strong>{v.action}</strong> by{' '}
            <span dir="auto">{v.actor}</span>{' '}
            <time dateTime={v.at}>{new Date(v.at).toLocaleString()}</time>
            <span class="changed">{changedFields(v.before, v.after).join(', ')}</span>
            {index === 0 ? (
              <span class="current">current</span>
            ) : (
              v.after && (
                <button
                  type="button"
                  data-testid="restore"
                  onClick={() => void restore(v.version)}
                  title="Make the entry what it was right after this change"
                >
                  Restore
                </button>
              )
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
