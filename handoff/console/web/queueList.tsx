import type { HandoffTicket } from '../../types';
import { formatDuration, reasonLabel, waitingSecondsAt } from './format.browser';

export interface QueueListProps {
  waiting: HandoffTicket[];
  assigned: HandoffTicket[];
  meId: string;
  selectedId: string | null;
  nowMs: number;
  onSelect: (id: string) => void;
}

/** The live queue: waiting tickets oldest first, then the conversations agents hold. */
export function QueueList({
  waiting,
  assigned,
  meId,
  selectedId,
  nowMs,
  onSelect,
}: QueueListProps) {
  const mine = assigned.filter((t) => t.assignedAgent?.id === meId);
  const others = assigned.filter((t) => t.assignedAgent?.id !== meId);
  const section = (title: string, tickets: HandoffTicket[], empty: string) => (
    <section class="queue-section">
      <h2>
        {title} <span class="count">{tickets.length}</span>
      </h2>
      {tickets.length === 0 ? (
        <p class="empty">{empty}</p>
      ) : (
        <ul>
          {tickets.map((ticket) => (
            <TicketItem
              key={ticket.id}
              ticket={ticket}
              nowMs={nowMs}
              selected={ticket.id === selectedId}
              onSelect={onSelect}
            />
          ))}
        </ul>
      )}
    </section>
  );
  return (
    <nav class="queue" aria-label="Tickets">
      {section('Waiting', waiting, 'Nobody is waiting.')}
      {section('My conversations', mine, 'None yet: claim a waiting ticket.')}
      {others.length > 0 && section('Other agents', others, '')}
    </nav>
  );
}

function TicketItem(props: {
  ticket: HandoffTicket;
  nowMs: number;
  selected: boolean;
  onSelect: (id: string) => void;
}) {
  const { ticket, nowMs, selected } = props;
  const waited = waitingSecondsAt(ticket, nowMs);
  const late =
    ticket.slaBreached || (ticket.status === 'waiting' && nowMs > Date.parse(ticket.slaDeadline));
  return (
    <li>
      <button
        type="button"
        data-testid="ticket"
        data-ticket-id={ticket.id}
        class={`ticket${selected ? ' selected' : ''}${late ? ' late' : ''}`}
        aria-current={selected ? 'true' : undefined}
        onClick={() => props.onSelect(ticket.id)}
      >
        <span class="ticket-question" dir="auto">
          {ticket.question || '(no question)'}
        </span>
        <span class="ticket-meta">
          <span class="pill">{ticket.locale}</span>
          <span>{reasonLabel(ticket.reason)}</span>
          {ticket.priority > 0 && <span class="pill urgent">priority</span>}
        </span>
        <span class="ticket-meta">
          <span data-testid="waiting-time" title="Waiting time">
            waited {formatDuration(waited)}
          </span>
          {ticket.position !== null && <span>#{ticket.position}</span>}
          {ticket.assignedAgent && <span>→ {ticket.assignedAgent.name}</span>}
          {ticket.afterHours && <span class="pill">after hours</span>}
        </span>
      </button>
    </li>
  );
}
