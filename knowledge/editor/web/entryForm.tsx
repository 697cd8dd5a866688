import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { FaqEntry } from '../../types';
import {
  draftFrom,
  emptyDraft,
  entryFrom,
  problemsByField,
  textDirOf,
  type EntryDraft,
} from './entryDraft.browser';
import { GoldenRefusal } from './goldenPanel';
import {
  ApiError,
  type BrokenGoldenQuestion,
  type KbApi,
  type WriteOptions,
} from './kbApi.browser';

export interface EntryFormProps {
  api: KbApi;
  /** null: a new entry. */
  entry: FaqEntry | null;
  defaultLocale: string;
  /** A new entry starts with this question (from the unanswered inbox)… */
  initialQuestion?: string;
  /** …and this answer (an agent's, to an escalated question). */
  initialAnswer?: string;
  onSaved: (entry: FaqEntry) => void;
  onDeleted: () => void;
}

type TextField = Exclude<keyof EntryDraft, 'enabled'>;

/** Edits one entry; the API's field problems appear next to the fields they name. */
export function EntryForm({
  api,
  entry,
  defaultLocale,
  initialQuestion,
  initialAnswer,
  onSaved,
  onDeleted,
}: EntryFormProps) {
  const [draft, setDraft] = useState<EntryDraft>(
    entry
      ? draftFrom(entry)
      : {
          ...emptyDraft(defaultLocale),
          question: initialQuestion ?? '',
          answer: initialAnswer ?? '',
        },
  );
  const [problems, setProblems] = useState<Readonly<Record<string, string[]>>>({});
  const [busy, setBusy] = useState(false);
  // A write the golden questions refused, and how to make it anyway.
  const [refused, setRefused] = useState<{
    broken: readonly BrokenGoldenQuestion[];
    force: () => void;
  } | null>(null);
  const isNew = entry === null;
  const dir = textDirOf(draft.locale);

  const run = async (
    action: (options: WriteOptions) => Promise<void>,
    options: WriteOptions = {},
  ) => {
    setBusy(true);
    setProblems({});
    setRefused(null);
    try {
      await action(options);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'golden_broken') {
        setRefused({ broken: err.broken, force: () => void run(action, { force: true }) });
        return;
      }
      const grouped = err instanceof ApiError ? problemsByField(err.details) : {};
      const message = err instanceof Error ? err.message : 'That did not work';
      setProblems(Object.keys(grouped).length > 0 ? grouped : { entry: [message] });
    } finally {
      setBusy(false);
    }
  };
  const save = () =>
    run(async (options) => {
      const next = entryFrom(draft);
      onSaved(isNew ? await api.create(next, options) : await api.save(next, options));
    });
  const remove = () =>
    run(async (options) => {
      await api.remove(draft.locale, draft.id, options);
      onDeleted();
    });

  const text = (field: TextField, label: string, input: ComponentChildren) => (
    <Field name={field} label={label} problems={problems[field]}>
      {input}
    </Field>
  );
  const bind = (field: TextField) => ({
    id: `field-${field}`,
    'data-testid': `field-${field}`,
    value: draft[field],
    onInput: (event: { currentTarget: { value: string } }) =>
      setDraft({ ...draft, [field]: event.currentTarget.value }),
  });

  return (
    <form
      class="entry-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h2>{isNew ? 'New entry' : `Edit ${entry.id} (${entry.locale})`}</h2>
      <div class="pair">
        {text('id', 'Id', <input {...bind('id')} readOnly={!isNew} />)}
        {text('locale', 'Locale', <input {...bind('locale')} readOnly={!isNew} size={6} />)}
      </div>
      {text('question', 'Question', <input {...bind('question')} dir={dir} />)}
      {text(
        'alternates',
        'Alternate phrasings (one per line)',
        <textarea {...bind('alternates')} dir={dir} rows={4} />,
      )}
      {text('answer', 'Answer (Markdown)', <textarea {...bind('answer')} dir={dir} rows={6} />)}
      <div class="pair">
        {text('tags', 'Tags (comma-separated)', <input {...bind('tags')} dir="auto" />)}
        {text(
          'followUps',
          'Follow-up entry ids (comma-separated)',
          <input {...bind('followUps')} />,
        )}
      </div>
      <label class="check">
        <input
          type="checkbox"
          data-testid="field-enabled"
          checked={draft.enabled}
          onChange={(event) => setDraft({ ...draft, enabled: event.currentTarget.checked })}
        />{' '}
        Enabled (disabled entries are kept but never matched)
      </label>
      <FieldProblems field="entry" problems={problems.entry} />
      {refused && (
        <GoldenRefusal
          broken={refused.broken}
          busy={busy}
          onForce={refused.force}
          onCancel={() => setRefused(null)}
        />
      )}
      <div class="actions">
        <button type="submit" class="primary" data-testid="save" disabled={busy}>
          {isNew ? 'Create' : 'Save'}
        </button>
        {entry && <DeleteButton entry={entry} busy={busy} onDelete={() => void remove()} />}
      </div>
    </form>
  );
}

/** Deleting asks once more, in the page rather than in a native dialog. */
function DeleteButton(props: { entry: FaqEntry; busy: boolean; onDelete: () => void }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button
        type="button"
        data-testid="delete"
        disabled={props.busy}
        onClick={() => setConfirming(true)}
      >
        Delete…
      </button>
    );
  }
  return (
    <span class="confirm" role="alert">
      Delete “{props.entry.id}” ({props.entry.locale})? It stays in the history.{' '}
      <button
        type="button"
        class="danger"
        data-testid="confirm-delete"
        onClick={() => {
          setConfirming(false);
          props.onDelete();
        }}
      >
        Delete
      </button>{' '}
      <button type="button" onClick={() => setConfirming(false)}>
        Keep
      </button>
    </span>
  );
}

function Field(props: {
  name: string;
  label: string;
  problems: string[] | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={`field-${props.name}`}>{props.label}</label>
      {props.children}
      <FieldProblems field={props.name} problems={props.problems} />
    </div>
  );
}

function FieldProblems({ field, problems }: { field: string; problems: string[] | undefined }) {
  if (!problems || problems.length === 0) return null;
  return (
    <ul class="field-error" role="alert" data-testid={`error-${field}`}>
      {problems.map((message, i) => (
        <li key={i}>{message}</li>
      ))}
    </ul>
  );
}
