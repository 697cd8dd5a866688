import type { TicketStatus, TranscriptLine } from '../types';

/** What the agent console hears about (over SSE), and other instances through the event bus. */
export type HandoffEvent =
  | { type: 'ticketCreated'; ticketId: string; queue: string; priority: number }
  | { type: 'ticketUpdated'; ticketId: string; status: TicketStatus; event: string }
  | {
      type: 'transcriptLine';
      ticketId: string | null;
      conversationId: string;
      line: TranscriptLine;
    }
  | { type: 'presenceChanged'; agentId: string }
  /** Events may have been missed (e.g. the cross-instance bus reconnected): reload everything. */
  | { type: 'resync' };

export type HandoffEventListener = (event: HandoffEvent) => void;

/** Port: publish/subscribe. Publishing never throws to the caller's use case. */
export interface HandoffEvents {
  publish(event: HandoffEvent): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(listener: HandoffEventListener): () => void;
}

/** Single-process bus; also the local fan-out inside the PostgreSQL bus. */
export class InMemoryHandoffEvents implements HandoffEvents {
  private readonly listeners = new Set<HandoffEventListener>();

  publish(event: HandoffEvent): Promise<void> {
    this.emitLocal(event);
    return Promise.resolve();
  }

  subscribe(listener: HandoffEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Delivers to this process's listeners; a throwing listener does not stop the others. */
  emitLocal(event: HandoffEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A broken SSE stream must not break a claim or a message.
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
