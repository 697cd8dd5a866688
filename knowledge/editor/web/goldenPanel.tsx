import { useEffect, useState } from 'preact/hooks';
import type { FaqEntry } from '../../types';
import type { BrokenGoldenQuestion, KbApi, ThresholdSimulation } from './kbApi.browser';
import { textDirOf } from './entryDraft.browser';
import { LocaleSelect } from './localeSelect';
import { useFetched } from './useFetched.browser';

export interface GoldenPanelProps {
  api: KbApi;
  entries: readonly FaqEntry[];
  locales: string[];
  /** Changes after every write: the statuses are asked for again. */
  revision: number;
}

const NO_ANSWER = '';
const answerText = (id: string | null): string => id ?? 'no direct answer';

/**
 * Golden questions: what the bot must keep answering. Each shows what the bot answers now;
 * a save, delete, restore, import or synonym edit that would break one is refused until the
 * editor saves it anyway.
 */
export function GoldenPanel({ api, entries, locales, revision }: GoldenPanelProps) {
  const { data: questions, problem, act } = useFetched(() => api.golden(), [api, revision]);
  const [q, setQ] = useState('');
  const [locale, setLocale] = useState(locales[0] ?? 'en');
  const [expected, setExpected] = useState(NO_ANSWER);

  const ofLocale = entries.filter((e) => e.locale === locale);
  const wrong = questions?.filter((g) => !g.right).length ?? 0;

  return (
    <section class="golden" aria-label="Golden questions">
      <h2>Golden questions</h2>
      <p class="hint">
        Questions the bot must keep answering as shown. A change that would break one is refused
        until you save it anyway.
      </p>
      <form
        class="golden-add"
        onSubmit={(event) => {
          event.preventDefault();
          void act(async () => {
            await api.addGolden(q, locale, expected === NO_ANSWER ? null : expected);
            setQ('');
          });
        }}
      >
        <input
          data-testid="golden-question"
          aria-label="Golden question"
          placeholder="A question as a customer would ask it"
          dir={textDirOf(locale)}
          value={q}
          onInput={(event) => setQ(event.currentTarget.value)}
        />
        <LocaleSelect
          label="Locale"
          testId="golden-locale"
          locales={locales}
          value={locale}
          onChange={(next) => {
            setLocale(next);
            setExpected(NO_ANSWER);
          }}
        />
        <select
          aria-label="Must be answered with"
          data-testid="golden-expected"
          value={expected}
          onChange={(event) => setExpected(event.currentTarget.value)}
        >
          <option value={NO_ANSWER}>(no direct answer)</option>
          {ofLocale.map((e) => (
            <option key={e.id} value={e.id}>
              {e.id}
            </option>
          ))}
        </select>
        <button type="submit" class="primary" data-testid="golden-add" disabled={!q.trim()}>
          Add
        </button>
      </form>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {questions?.length === 0 && <p class="hint">No golden question yet.</p>}
      {questions && questions.length > 0 && (
        <p class="hint" data-testid="golden-summary">
          {questions.length - wrong} of {questions.length} answered as they must be now.
        </p>
      )}
      <table class="golden-list">
        <tbody>
          {questions?.map((g) => (
            <tr key={g.id} data-testid="golden" class={g.right ? 'right' : 'wrong'}>
              <td class="status" data-testid="golden-status">
                {g.right ? '✓' : '✗'}
              </td>
              <td dir="auto">{g.q}</td>
              <td class="locale">{g.locale}</td>
              <td>
                must get <code>{answerText(g.expected)}</code>
                {!g.right && (
                  <>
                    , gets now <code>{answerText(g.answer)}</code>
                  </>
                )}
              </td>
              <td class="by">{g.createdBy}</td>
              <td>
                <button
                  type="button"
                  class="link"
                  data-testid="golden-remove"
                  onClick={() => void act(() => api.removeGolden(g.id))}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ThresholdSimulator api={api} revision={revision} />
    </section>
  );
}

const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`;

/**
 * Replays the golden questions and the inbox's recent questions at answer thresholds
 * 0.30–0.90 (on request: it matches every question once).
 */
function ThresholdSimulator({ api, revision }: { api: KbApi; revision: number }) {
  const [report, setReport] = useState<ThresholdSimulation | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setReport(null), [revision]);
  const run = async () => {
    setBusy(true);
    setProblem(null);
    try {
      setReport(await api.thresholds());
    } catch (err) {
      setProblem(err instanceof Error ? err.message : 'The simulation failed');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="simulator">
      <h3>Threshold simulator</h3>
      <p class="hint">
        What other answer thresholds (<code>MATCH_ANSWER_THRESHOLD</code>) would do with the golden
        questions and the questions waiting in the unanswered inbox.
      </p>
      <button type="button" data-testid="simulate" disabled={busy} onClick={() => void run()}>
        {busy ? 'Replaying…' : 'Replay at other thresholds'}
      </button>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {report && (
        <table class="thresholds" data-testid="thresholds">
          <thead>
            <tr>
              <th>threshold</th>
              <th>golden answered directly</th>
              <th>golden answered right</th>
              <th>golden answered wrong</th>
              <th>inbox questions answered now</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((row) => (
              <tr
                key={row.answerThreshold}
                data-testid="threshold-row"
                class={row.answerThreshold === report.answerThreshold ? 'current' : undefined}
              >
                <td>
                  {row.answerThreshold.toFixed(2)}
                  {row.answerThreshold === report.answerThreshold && ' (now)'}
                </td>
                <td>{percent(row.goldenAnswerRate)}</td>
                <td>{percent(row.goldenAnsweredRight)}</td>
                <td>{percent(row.goldenWrong)}</td>
                <td>{percent(row.loggedAnswered)}</td>
              </tr>
            ))}
          </tbody>
          <caption>
            {report.golden} golden question{report.golden === 1 ? '' : 's'}, {report.logged} inbox
            question{report.logged === 1 ? '' : 's'}
          </caption>
        </table>
      )}
    </div>
  );
}

/** A refused write: the golden questions it would break, and the choice to write it anyway. */
export function GoldenRefusal(props: {
  broken: readonly BrokenGoldenQuestion[];
  busy: boolean;
  onForce: () => void;
  onCancel: () => void;
}) {
  return (
    <div class="golden-refusal" role="alert" data-testid="golden-refusal">
      <p>
        Not saved: this change breaks {props.broken.length} golden question
        {props.broken.length === 1 ? '' : 's'}.
      </p>
      <ul>
        {props.broken.map((b) => (
          <li key={`${b.locale}/${b.q}`} data-testid="golden-broken">
            <q dir="auto">{b.q}</q> ({b.locale}) must get <code>{answerText(b.expected)}</code>,
            would get <code>{answerText(b.after)}</code>
          </li>
        ))}
      </ul>
      <button
        type="button"
        class="danger"
        data-testid="golden-force"
        disabled={props.busy}
        onClick={props.onForce}
      >
        Save anyway
      </button>{' '}
      <button type="button" onClick={props.onCancel}>
        Keep editing
      </button>
    </div>
  );
}
