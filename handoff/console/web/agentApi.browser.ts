import type { HandoffTicket } from '../../types';
import { SseParser, type ServerSentEvent } from './sseParser.browser';

export interface Me {
  id: string;
  name: string;
  role: string;
}

export interface Suggestion {
  id: string;
  question: string;
  answer: string;
  confidence: number;
}

export interface AgentSummary {
  id: string;
  name: string;
  status: string;
}

/** The API said no; `status` 401 means the token is wrong or revoked. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The agent API as the console uses it. The token travels only in the Authorization header:
 * never in a URL, so it stays out of server logs and browser history.
 */
export class AgentApi {
  constructor(private readonly token: string) {}

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const res = await fetch(path, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = (await res.json().catch(() => ({}))) as { message?: string };
    if (!res.ok) throw new ApiError(res.status, payload.message ?? `HTTP ${res.status}`);
    return payload as T;
  }

  /** Logging in = going online; the answer says who the token belongs to. */
  goOnline(): Promise<Me> {
    return this.setPresence('online');
  }

  setPresence(status: 'online' | 'away' | 'offline'): Promise<Me> {
    return this.request<Me>('PUT', '/api/handoff/agents/me/presence', { status });
  }

  async tickets(status: 'waiting' | 'assigned'): Promise<HandoffTicket[]> {
    const res = await this.request<{ tickets: HandoffTicket[] }>(
      'GET',
      `/api/handoff/tickets?status=${status}`,
    );
    return res.tickets;
  }

  ticket(id: string): Promise<HandoffTicket> {
    return this.request('GET', `/api/handoff/tickets/${encodeURIComponent(id)}`);
  }

  claim(id: string): Promise<HandoffTicket> {
    return this.request('POST', `/api/handoff/tickets/${encodeURIComponent(id)}/claim`);
  }

  /**
   * One Idempotency-Key per message, reused when a lost connection or a 5xx makes us send it
   * again (twice more at most): the server stores and delivers it once either way.
   */
  async send(id: string, text: string): Promise<unknown> {
    const key = crypto.randomUUID();
    const path = `/api/handoff/tickets/${encodeURIComponent(id)}/messages`;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.request('POST', path, { text }, { 'Idempotency-Key': key });
      } catch (err) {
        const retryable = !(err instanceof ApiError) || err.status >= 500;
        if (!retryable || attempt >= 3) throw err;
      }
    }
  }

  note(id: string, text: string): Promise<unknown> {
    return this.request('POST', `/api/handoff/tickets/${encodeURIComponent(id)}/notes`, { text });
  }

  resolve(id: string, outcome?: string): Promise<HandoffTicket> {
    return this.request(
      'POST',
      `/api/handoff/tickets/${encodeURIComponent(id)}/resolve`,
      outcome ? { outcome } : {},
    );
  }

  handBack(id: string): Promise<HandoffTicket> {
    return this.request('POST', `/api/handoff/tickets/${encodeURIComponent(id)}/handback`);
  }

  transfer(
    id: string,
    target: { toAgentId: string } | { toQueue: string },
  ): Promise<HandoffTicket> {
    return this.request('POST', `/api/handoff/tickets/${encodeURIComponent(id)}/transfer`, target);
  }

  async suggestions(id: string): Promise<Suggestion[]> {
    const res = await this.request<{ suggestions: Suggestion[] }>(
      'GET',
      `/api/handoff/tickets/${encodeURIComponent(id)}/suggestions`,
    );
    return res.suggestions;
  }

  async agents(): Promise<AgentSummary[]> {
    const res = await this.request<{ agents: AgentSummary[] }>('GET', '/api/handoff/agents');
    return res.agents;
  }

  /**
   * Reads /api/handoff/events until `signal` aborts, reconnecting after drops. fetch instead of
   * EventSource, because EventSource cannot send an Authorization header.
   */
  async streamEvents(
    onEvent: (event: ServerSentEvent) => void,
    onState: (connected: boolean) => void,
    signal: AbortSignal,
  ): Promise<void> {
    let delayMs = 500;
    while (!signal.aborted) {
      try {
        const res = await fetch('/api/handoff/events', {
          headers: { Authorization: `Bearer ${this.token}`, Accept: 'text/event-stream' },
          signal,
        });
        if (res.status === 401 || res.status === 403) throw new ApiError(res.status, 'not allowed');
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        onState(true);
        delayMs = 500;
        // A fresh stream may have missed events while it was down: reload once.
        onEvent({ event: 'resync', data: '{}' });
        await readStream(res.body, onEvent);
      } catch (err) {
        if (err instanceof ApiError || signal.aborted) throw err;
      }
      onState(false);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 10_000);
    }
  }
}

async function readStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ServerSentEvent) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    for (const event of parser.push(decoder.decode(value, { stream: true }))) onEvent(event);
  }
}
