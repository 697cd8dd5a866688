/** Domain types of the handoff module. Routes serialise `HandoffTicket` as-is. */

export type TicketStatus = 'waiting' | 'assigned' | 'resolved' | 'cancelled';

export type HandoffReason =
  | 'requested'
  | 'misses'
  | 'negative_feedback'
  | 'frustration'
  | 'sensitive_topic'
  | 'clarify_none'
  | 'external';

export const handoffReasons: readonly HandoffReason[] = [
  'requested',
  'misses',
  'negative_feedback',
  'frustration',
  'sensitive_topic',
  'clarify_none',
  'external',
];

export type TranscriptRole = 'customer' | 'bot' | 'agent' | 'system';

export interface TranscriptLine {
  role: TranscriptRole;
  text: string;
  /** ISO 8601, UTC. */
  at: string;
  /** Set on agent lines: the display name the customer saw. */
  agentName?: string;
}

/** An FAQ entry the bot tried before handing off; confidence is 0..1, higher is better. */
export interface TriedCandidate {
  id: string;
  question: string;
  confidence: number;
}

export interface AgentRef {
  id: string;
  name: string;
}

/** An internal note: agents and supervisors see it, the customer never does. */
export interface TicketNote {
  id: string;
  agentId: string;
  agentName: string;
  text: string;
  at: string;
}

/**
 * A ticket as the agent API shows it: the documented shape (docs/interfaces.md) plus extras. Times are ISO strings;
 * durations are whole seconds. `position`/`etaSeconds`/`etaRange` are null unless waiting.
 */
export interface HandoffTicket {
  id: string;
  /** Human-friendly number the customer can quote, e.g. "AD-000123". */
  reference: string;
  conversationId: string;
  status: TicketStatus;
  reason: HandoffReason;
  locale: string;
  /** The question in the customer's words. */
  question: string;
  queue: string;
  /** Higher goes first; 0 is normal, sensitive topics raise it. */
  priority: number;
  /** Set when the ticket first waited; kept across requeues so the customer keeps their place. */
  waitingSince: string;
  /** While waiting: now − waitingSince. Afterwards: the wait until the first agent took it. */
  waitingSeconds: number;
  /** 1-based place among the waiting tickets of the same queue; null unless waiting. */
  position: number | null;
  etaSeconds: number | null;
  /** [low, high] seconds while there is little handle-time data; otherwise null. */
  etaRange: [number, number] | null;
  assignedAgent: AgentRef | null;
  afterHours: boolean;
  /** 1..5 satisfaction rating, null until the customer rates. */
  csat: number | null;
  transcript: TranscriptLine[];
  candidates: TriedCandidate[];
  /** First-response deadline (ISO): waitingSince + the queue's SLA, counted in business hours. */
  slaDeadline: string;
  /** True once the first agent reply came after the deadline, or the deadline passed without one. */
  slaBreached: boolean;
  firstResponseAt: string | null;
  /** First agent reply − waitingSince, seconds; null before the first reply. */
  firstResponseSeconds: number | null;
  assignedAt: string | null;
  resolvedAt: string | null;
  cancelledAt: string | null;
  /** resolved − first assignment, seconds; null until resolved. */
  handleSeconds: number | null;
  /** The wait the customer was told when the ticket opened (seconds), for the ETA error. */
  predictedWaitSeconds: number | null;
  outcome: string | null;
  notes: TicketNote[];
  createdAt: string;
  updatedAt: string;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What the customer must be told; the bot renders it in the ticket's locale and sends it proactively. */
export type CustomerNotice =
  | {
      kind: 'queued';
      position: number;
      etaSeconds: number | null;
      etaRange: [number, number] | null;
      afterHours: boolean;
      /** ISO time the team is back, when after hours. */
      backAt: string | null;
      promisedResponseHours: number;
    }
  | {
      kind: 'queueUpdate';
      position: number;
      etaSeconds: number | null;
      etaRange: [number, number] | null;
    }
  | { kind: 'agentJoined'; agentName: string }
  | { kind: 'agentMessage'; agentId?: string; agentName: string; text: string }
  | { kind: 'transferred'; toAgentName: string | null; toQueue: string | null }
  | { kind: 'requeued'; position: number }
  | { kind: 'resolved'; reference: string; agentName: string | null; outcome: string }
  | { kind: 'handedBack' }
  | { kind: 'cancelled'; reference: string };

export interface NoticeTarget {
  /** Opaque to this module: stored as JSON text and handed back unchanged. */
  conversationRef: unknown;
  conversationId: string;
  locale: string;
  ticketId: string;
}

/** Port: the bot implements it with proactive messages. A rejection means "retry later". */
export interface CustomerNotifier {
  notify(target: NoticeTarget, notice: CustomerNotice): Promise<void>;
}

export type Role = 'agent' | 'supervisor' | 'editor' | 'admin';

/** Who acts; it always comes from the token, never from a request body. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
}

/** Pino-compatible subset, so the lead can pass a pino logger as-is. */
export interface HandoffLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: HandoffLogger = { info: () => {}, warn: () => {}, error: () => {} };
