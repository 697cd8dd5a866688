import { addBusinessMinutes, isOpenAt, nextOpening } from '../service/businessHours';
import type { QueueSettings } from '../service/handoffSettings';
import type { NewTicketRecord } from './ticketRecord';
import type { HandoffReason, TriedCandidate } from '../types';

export interface NewTicketFacts {
  id: string;
  conversationId: string;
  conversationRef: unknown;
  reason: HandoffReason;
  locale: string;
  question: string;
  candidates: TriedCandidate[];
  /** Default: 1 for sensitive topics (they go first), else 0. */
  priority?: number | undefined;
  queueName: string;
  queue: QueueSettings;
  now: Date;
}

/**
 * Pure: the stored form of a new waiting ticket. After hours it records when the team is back;
 * the SLA deadline counts the queue's first-response minutes in business hours only.
 */
export function newTicketRecord(f: NewTicketFacts): NewTicketRecord {
  const nowIso = f.now.toISOString();
  const afterHours = !isOpenAt(f.queue, f.now);
  return {
    id: f.id,
    conversationId: f.conversationId,
    conversationRef: JSON.stringify(f.conversationRef ?? null),
    status: 'waiting',
    reason: f.reason,
    locale: f.locale,
    question: f.question,
    queue: f.queueName,
    priority: f.priority ?? (f.reason === 'sensitive_topic' ? 1 : 0),
    candidates: f.candidates,
    waitingSince: nowIso,
    afterHours,
    backAt: afterHours ? (nextOpening(f.queue, f.now)?.toISOString() ?? null) : null,
    slaDeadline: addBusinessMinutes(f.queue, f.now, f.queue.firstResponseSlaMinutes).toISOString(),
    assignedAgentId: null,
    assignedAgentName: null,
    assignedAt: null,
    firstAssignedAt: null,
    agentActiveAt: null,
    firstResponseAt: null,
    resolvedAt: null,
    cancelledAt: null,
    outcome: null,
    csat: null,
    predictedWaitSeconds: null,
    lastNoticePosition: null,
    lastNoticeEtaSeconds: null,
    lastNoticeAt: null,
    createdAt: nowIso,
  };
}
