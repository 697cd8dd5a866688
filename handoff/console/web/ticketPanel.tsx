import { useEffect, useRef, useState } from 'preact/hooks';
import type { HandoffTicket, TranscriptLine } from '../../types';
import type { AgentSummary, Suggestion } from './agentApi.browser';
import { formatDuration, reasonLabel, timeOfDay, waitingSecondsAt } from './format.browser';
import { TicketActions } from './ticketActions';

export interface TicketPanelProps {
  ticket: HandoffTicket;
  meId: string;
  nowMs: number;
  suggestions: Suggestion[];
  agents: AgentSummary[];
  busy: boolean;
  onClaim: () => void;
  onSend: (text: string) => Promise<boolean>;
  onNote: (text: string) => Promise<boolean>;
  onResolve: (outcome: string) => void;
  onHandBack: () => void;
  onTransfer: (target: { toAgentId: string } | { toQueue: string }) => void;
}

const roleLabels: Readonly<Record<TranscriptLine['role'], string>> = {
  customer: 'Customer',
  bot: 'Bot',
  agent: 'Agent',
  system: 'System',
};

/** One ticket: the handoff dossier, the live transcript, the composer and the actions. */
export function TicketPanel(props: TicketPanelProps) {
  const { ticket, meId, nowMs } = props;
  const mine = ticket.status === 'assigned' && ticket.assignedAgent?.id === meId;
  const [draft, setDraft] = useState('');
  useEffect(() => setDraft(''), [ticket.id]);
  const send = async () => {
    if (draft.trim() && (await props.onSend(draft.trim()))) setDraft('');
  };
  return (
    <article class="panel" aria-label={`Ticket ${ticket.reference}`}>
      <header class="panel-head">
        <h2>
          {ticket.reference} <span class={`status status-${ticket.status}`}>{ticket.status}</span>
        </h2>
        <dl class="facts">
          <dt>Reason</dt>
          <dd>{reasonLabel(ticket.reason)}</dd>
          <dt>Language</dt>
          <dd>{ticket.locale}</dd>
          <dt>Waiting</dt>
          <dd>{formatDuration(waitingSecondsAt(ticket, nowMs))}</dd>
          <dt>Agent</dt>
          <dd>{ticket.assignedAgent?.name ?? '—'}</dd>
        </dl>
        {ticket.status === 'waiting' && (
          <button
            type="button"
            class="primary"
            data-testid="claim"
            disabled={props.busy}
            onClick={props.onClaim}
          >
            Claim
          </button>
        )}
      </header>
      <Dossier ticket={ticket} />
      <Transcript lines={ticket.transcript} />
      {mine && (
        <section class="compose">
          <textarea
            data-testid="compose"
            dir="auto"
            rows={3}
            placeholder="Reply to the customer (Ctrl+Enter sends)"
            value={draft}
            onInput={(event) => setDraft(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void send();
            }}
          />
          <button
            type="button"
            class="primary"
            data-testid="send"
            disabled={props.busy || !draft.trim()}
            onClick={() => void send()}
          >
            Send
          </button>
          <Suggestions suggestions={props.suggestions} onInsert={(answer) => setDraft(answer)} />
        </section>
      )}
      <Notes ticket={ticket} onNote={props.onNote} />
      {mine && (
        <TicketActions
          ticket={ticket}
          agents={props.agents.filter((a) => a.id !== meId)}
          busy={props.busy}
          onResolve={props.onResolve}
          onHandBack={props.onHandBack}
          onTransfer={props.onTransfer}
        />
      )}
    </article>
  );
}

function Dossier({ ticket }: { ticket: HandoffTicket }) {
  return (
    <section class="dossier">
      <h3>Question</h3>
      <p class="question" dir="auto">
        {ticket.question || '(no question)'}
      </p>
      <h3>What the bot tried</h3>
      {ticket.candidates.length === 0 ? (
        <p class="empty">No FAQ candidates.</p>
      ) : (
        <ol class="candidates">
          {ticket.candidates.map((c) => (
            <li key={c.id}>
              <span dir="auto">{c.question}</span>{' '}
              <span class="score">{Math.round(c.confidence * 100)}%</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Transcript({ lines }: { lines: TranscriptLine[] }) {
  const list = useRef<HTMLOListElement>(null);
  // Scroll only the transcript box, never the page: the dossier above must stay where it is.
  useEffect(() => {
    const box = list.current;
    if (box) box.scrollTop = box.scrollHeight;
  }, [lines.length]);
  return (
    <section class="transcript-box">
      <h3>Transcript</h3>
      <ol ref={list} class="transcript" data-testid="transcript" aria-live="polite">
        {lines.map((line, index) => (
          <li key={`${line.at}-${index}`} class={`line line-${line.role}`}>
            <span class="line-who">
              {line.role === 'agent' && line.agentName ? line.agentName : roleLabels[line.role]}
              <time dateTime={line.at}>{timeOfDay(line.at)}</time>
            </span>
            <span class="line-text" dir="auto">
              {line.text}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Below this confidence a suggestion is noise rather than help. */
const minSuggestionConfidence = 0.1;

function Suggestions(props: { suggestions: Suggestion[]; onInsert: (answer: string) => void }) {
  const useful = props.suggestions.filter((s) => s.confidence >= minSuggestionConfidence);
  if (useful.length === 0) return null;
  return (
    <div class="suggestions">
      <h3>Suggested answers</h3>
      <ul>
        {useful.map((s) => (
          <li key={s.id}>
            <button type="button" data-testid="suggestion" onClick={() => props.onInsert(s.answer)}>
              <span dir="auto">{s.question}</span>{' '}
              <span class="score">{Math.round(s.confidence * 100)}%</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Notes(props: { ticket: HandoffTicket; onNote: (text: string) => Promise<boolean> }) {
  const [text, setText] = useState('');
  return (
    <section class="notes">
      <h3>Internal notes</h3>
      <ul>
        {props.ticket.notes.map((note) => (
          <li key={note.id}>
            <strong>{note.agentName}</strong> <time dateTime={note.at}>{timeOfDay(note.at)}</time>{' '}
            <span dir="auto">{note.text}</span>
          </li>
        ))}
      </ul>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (text.trim()) void props.onNote(text.trim()).then((ok) => ok && setText(''));
        }}
      >
        <input
          data-testid="note"
          dir="auto"
          placeholder="Note for colleagues (the customer never sees it)"
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
        />
        <button type="submit">Add note</button>
      </form>
    </section>
  );
}
