import type { FaqEntry } from '../../types';
import type { KbApi, Overlap } from './kbApi.browser';
import { useFetched } from './useFetched.browser';

export interface OverlapsPanelProps {
  api: KbApi;
  entry: FaqEntry;
  /** Changes after every write: an edit anywhere can create or settle an overlap. */
  revision: number;
  onOpen: (target: { locale: string; id: string }) => void;
}

const kindText: Record<Overlap['kind'], string> = {
  duplicate: 'same wording as',
  closer: 'matched to',
  'as-close': 'nearly as close to',
};

/**
 * The entry's phrasings that another entry also claims: the same wording, or matched to it
 * as well. Customers who write them may get either answer, so the editor rewords, moves or
 * merges them.
 */
export function OverlapsPanel({ api, entry, revision, onOpen }: OverlapsPanelProps) {
  const { id, locale } = entry;
  const { data: overlaps, problem } = useFetched(
    () => api.overlaps(locale, id),
    [api, id, locale, revision],
  );

  return (
    <section class="overlaps" aria-label="Overlapping entries">
      <h3>Overlaps</h3>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {overlaps?.length === 0 && <p class="hint">No phrasing of this entry overlaps another.</p>}
      <ul>
        {overlaps?.map((o) => (
          <li key={`${o.phrasing}\u0000${o.otherId}`} data-testid="overlap" class={o.kind}>
            <q dir="auto">{o.phrasing}</q> {kindText[o.kind]}{' '}
            {o.otherId.startsWith('__') ? (
              <span title="A built-in request the bot handles itself">
                the built-in <code>{o.otherId}</code>
              </span>
            ) : (
              <button type="button" class="link" onClick={() => onOpen({ locale, id: o.otherId })}>
                {o.otherId}
              </button>
            )}{' '}
            (<q dir="auto">{o.otherPhrasing}</q>)
          </li>
        ))}
      </ul>
    </section>
  );
}
