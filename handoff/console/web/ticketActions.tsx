import { useState } from 'preact/hooks';
import type { HandoffTicket } from '../../types';
import type { AgentSummary } from './agentApi.browser';

export interface TicketActionsProps {
  ticket: HandoffTicket;
  agents: AgentSummary[];
  busy: boolean;
  onResolve: (outcome: string) => void;
  onHandBack: () => void;
  onTransfer: (target: { toAgentId: string } | { toQueue: string }) => void;
}

const supervisorQueue = 'supervisor';

/** Resolve (with an outcome for the summary), hand back to the bot, transfer. */
export function TicketActions({ ticket, agents, busy, ...on }: TicketActionsProps) {
  const [outcome, setOutcome] = useState('');
  const [target, setTarget] = useState('');
  const transfer = () => {
    if (!target) return;
    const [kind, value] = target.split(':', 2) as [string, string];
    on.onTransfer(kind === 'agent' ? { toAgentId: value } : { toQueue: value });
  };
  return (
    <section class="actions">
      <div class="action">
        <input
          aria-label="Outcome for the customer's summary"
          placeholder="Outcome (optional, goes into the summary)"
          dir="auto"
          value={outcome}
          onInput={(event) => setOutcome(event.currentTarget.value)}
        />
        <button
          type="button"
          class="primary"
          data-testid="resolve"
          disabled={busy}
          onClick={() => on.onResolve(outcome.trim())}
        >
          Resolve
        </button>
      </div>
      <div class="action">
        <select
          aria-label="Transfer to"
          value={target}
          onChange={(event) => setTarget(event.currentTarget.value)}
        >
          <option value="">Transfer to…</option>
          <option value={`queue:${supervisorQueue}`}>Supervisor queue</option>
          {ticket.queue !== supervisorQueue && (
            <option value={`queue:${ticket.queue}`}>Back to queue “{ticket.queue}”</option>
          )}
          {agents.map((a) => (
            <option key={a.id} value={`agent:${a.id}`}>
              {a.name} ({a.status})
            </option>
          ))}
        </select>
        <button type="button" data-testid="transfer" disabled={busy || !target} onClick={transfer}>
          Transfer
        </button>
        <button type="button" data-testid="handback" disabled={busy} onClick={on.onHandBack}>
          Hand back to bot
        </button>
      </div>
    </section>
  );
}
