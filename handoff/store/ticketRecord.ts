import type { HandoffReason, TicketStatus, TriedCandidate } from '../types';

/** A ticket as stored: the facts, without the values computed at read time (position, ETA…). */
export interface TicketRecord {
  id: string;
  seq: number;
  conversationId: string;
  /** The bot's conversation reference, as JSON text; opaque here. */
  conversationRef: string;
  status: TicketStatus;
  reason: HandoffReason;
  locale: string;
  question: string;
  queue: string;
  priority: number;
  candidates: TriedCandidate[];
  waitingSince: string;
  afterHours: boolean;
  backAt: string | null;
  slaDeadline: string;
  assignedAgentId: string | null;
  assignedAgentName: string | null;
  assignedAt: string | null;
  firstAssignedAt: string | null;
  agentActiveAt: string | null;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  cancelledAt: string | null;
  outcome: string | null;
  csat: number | null;
  predictedWaitSeconds: number | null;
  lastNoticePosition: number | null;
  lastNoticeEtaSeconds: number | null;
  lastNoticeAt: string | null;
  /** Bumped by every update; optimistic concurrency between processes. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type NewTicketRecord = Omit<TicketRecord, 'seq' | 'version' | 'updatedAt'>;

/** Fields an update may change (never id, seq, conversation or version). */
export type TicketPatch = Partial<
  Omit<TicketRecord, 'id' | 'seq' | 'conversationId' | 'conversationRef' | 'version' | 'createdAt'>
>;

/** Formats the customer-facing number, e.g. 123 → "AD-000123". */
export const referenceOf = (seq: number): string => `AD-${String(seq).padStart(6, '0')}`;
