import { useState } from 'preact/hooks';
import { ApiError, type FieldProblem, type ImportReport, type KbApi } from './kbApi.browser';

export interface ImportPanelProps {
  api: KbApi;
  onApplied: () => void;
}

type Outcome =
  | { kind: 'report'; report: ImportReport }
  | { kind: 'problems'; message: string; problems: readonly FieldProblem[] };

/**
 * Paste JSON or CSV, dry-run it, then apply exactly the text that passed the dry run. Imports
 * are all-or-nothing, so a failed one changes nothing.
 */
export function ImportPanel({ api, onApplied }: ImportPanelProps) {
  const [text, setText] = useState('');
  const [checked, setChecked] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (dryRun: boolean) => {
    setBusy(true);
    try {
      const report = await api.importText(text, dryRun);
      setOutcome({ kind: 'report', report });
      setChecked(dryRun ? text : null);
      if (!dryRun) onApplied();
    } catch (err) {
      setChecked(null);
      setOutcome({
        kind: 'problems',
        message: err instanceof Error ? err.message : 'The import failed',
        problems: err instanceof ApiError ? err.details : [],
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-label="Import">
      <h2>Import entries</h2>
      <p class="hint">
        Paste a JSON array of entries or CSV with a header row (lists separated by <code>|</code>).
        Entries with a known id and locale are replaced; others are added.
      </p>
      <textarea
        data-testid="import-text"
        aria-label="Entries to import"
        dir="auto"
        rows={14}
        value={text}
        onInput={(event) => setText(event.currentTarget.value)}
      />
      <div class="actions">
        <button
          type="button"
          data-testid="dry-run"
          disabled={busy || text.trim() === ''}
          onClick={() => void send(true)}
        >
          Dry run
        </button>
        <button
          type="button"
          class="primary"
          data-testid="apply-import"
          disabled={busy || checked === null || checked !== text}
          title="Run a dry run of this text first"
          onClick={() => void send(false)}
        >
          Apply
        </button>
      </div>
      {outcome?.kind === 'report' && (
        <p class="ok" role="status" data-testid="import-report">
          {outcome.report.added} added, {outcome.report.updated} updated, {outcome.report.unchanged}{' '}
          unchanged
          {outcome.report.dryRun ? ' — dry run, nothing written yet' : ' — applied'}
        </p>
      )}
      {outcome?.kind === 'problems' && (
        <div class="error" role="alert" data-testid="import-problems">
          {outcome.problems.length === 0 ? (
            <p>{outcome.message}</p>
          ) : (
            <ul>
              {outcome.problems.map((p, i) => (
                <li key={i}>
                  {p.line > 0 ? `line ${p.line}` : 'file'}
                  {p.field ? ` (${p.field})` : ''}: {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
