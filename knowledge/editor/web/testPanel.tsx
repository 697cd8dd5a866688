import { useEffect, useState } from 'preact/hooks';
import { textDirOf } from './entryDraft.browser';
import { LocaleSelect } from './localeSelect';
import type { KbApi, MatchCandidate, MatchResult } from './kbApi.browser';

export interface TestPanelProps {
  api: KbApi;
  locales: string[];
  defaultLocale: string;
  /** Changes after every write: the last question is asked again, so edits show at once. */
  revision: number;
  onOpen: (candidate: MatchCandidate) => void;
}

const bandLabel: Readonly<Record<MatchResult['band'], string>> = {
  answer: 'answer — the bot replies with the first candidate',
  clarify: 'clarify — the bot asks “Did you mean…”',
  none: 'none — the bot offers a human',
};

/** "Test a question": the ranked candidates exactly as the bot would see them now. */
export function TestPanel({ api, locales, defaultLocale, revision, onOpen }: TestPanelProps) {
  const [question, setQuestion] = useState('');
  const [locale, setLocale] = useState(defaultLocale);
  const [asked, setAsked] = useState<{ q: string; locale: string } | null>(null);
  const [result, setResult] = useState<MatchResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [kept, setKept] = useState<string | null>(null);

  useEffect(() => {
    if (!asked) return;
    let current = true;
    api.match(asked.q, asked.locale).then(
      (answer) => {
        if (!current) return;
        setResult(answer);
        setProblem(null);
        setKept(null);
      },
      (err: unknown) => {
        if (current) setProblem(err instanceof Error ? err.message : 'The test failed');
      },
    );
    return () => {
      current = false;
    };
  }, [api, asked, revision]);

  return (
    <section class="test-panel" aria-label="Test a question">
      <h2>Test a question</h2>
      <form
        class="ask"
        onSubmit={(event) => {
          event.preventDefault();
          if (question.trim()) setAsked({ q: question, locale });
        }}
      >
        <input
          data-testid="test-question"
          aria-label="Question"
          placeholder="Ask as a customer would"
          dir={textDirOf(locale)}
          value={question}
          onInput={(event) => setQuestion(event.currentTarget.value)}
        />
        <LocaleSelect
          label="Locale of the question"
          testId="test-locale"
          locales={locales}
          value={locale}
          onChange={setLocale}
        />
        <button type="submit" class="primary" data-testid="test-run">
          Test
        </button>
      </form>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {result && (
        <>
          <p class={`band band-${result.band}`} data-testid="band">
            {bandLabel[result.band]}
          </p>
          {asked && (
            <p class="keep-golden">
              {kept ? (
                <span data-testid="golden-kept">{kept}</span>
              ) : (
                <button
                  type="button"
                  class="link"
                  data-testid="keep-golden"
                  title="From now on, a change that stops the bot answering this as it does now is refused"
                  onClick={() => {
                    const expected =
                      result.band === 'answer' ? (result.candidates[0]?.id ?? null) : null;
                    api.addGolden(asked.q, asked.locale, expected).then(
                      () =>
                        setKept(`Kept as a golden question (${expected ?? 'no direct answer'}).`),
                      (err: unknown) => setProblem(err instanceof Error ? err.message : 'Not kept'),
                    );
                  }}
                >
                  Keep this answer as a golden question
                </button>
              )}
            </p>
          )}
          {result.candidates.length === 0 && <p class="empty">No related entry.</p>}
          <ol class="candidates">
            {result.candidates.map((c) => (
              <Candidate key={`${c.locale}/${c.id}`} candidate={c} onOpen={() => onOpen(c)} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

/** fuzzy and lexical first (the product's named scores), then whatever else the matcher adds. */
const orderedScores = (scores: MatchCandidate['scores']): Array<[string, number]> => {
  const rest = Object.entries(scores).filter(([name]) => name !== 'fuzzy' && name !== 'lexical');
  return [['fuzzy', scores.fuzzy], ['lexical', scores.lexical], ...rest];
};

function Candidate({ candidate: c, onOpen }: { candidate: MatchCandidate; onOpen: () => void }) {
  const dir = textDirOf(c.locale);
  const typos = c.typoCorrections ?? [];
  return (
    <li class="candidate" data-testid="candidate">
      <div class="candidate-head">
        <button type="button" class="link" onClick={onOpen} title="Open this entry">
          <code data-testid="candidate-id">{c.id}</code>
        </button>
        <span class="confidence" data-testid="confidence">
          {percent(c.confidence)}
        </span>
      </div>
      <p class="question" dir={dir}>
        {c.question}
      </p>
      <p class="matched">
        matched: <q dir={dir}>{c.matchedPhrasing}</q>
      </p>
      <dl class="scores">
        {orderedScores(c.scores).map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value.toFixed(2)}</dd>
          </div>
        ))}
      </dl>
      <p class="rewrites">
        synonyms: {c.synonymsApplied.length > 0 ? c.synonymsApplied.join(', ') : 'none'}
        {typos.length > 0 && ` · typos: ${typos.join(', ')}`}
      </p>
      <p class="answer" dir={dir} data-testid="candidate-answer">
        {c.answer}
      </p>
    </li>
  );
}
