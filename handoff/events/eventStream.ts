import type { Request, Response } from 'restify';
import type { HandoffEvents } from './handoffEvents';

// Proxies drop idle connections; a comment line every 20 s keeps the stream open (and tells
// the server the agent's console is still there).
const HEARTBEAT_MS = 20_000;

export interface EventStreamOptions {
  /** Aborted when the server shuts down: the stream ends at once (the console reconnects). */
  closing?: AbortSignal;
  /** Called with each keep-alive line, i.e. every 20 s while the client is connected. */
  onPing?: () => void;
}

/**
 * Streams handoff events as Server-Sent Events until the client goes away or the server
 * closes. Each event is `event: <type>` + `data: <json>`; the console re-reads the ticket it
 * names.
 */
export function writeEventStream(
  req: Request,
  res: Response,
  events: HandoffEvents,
  options: EventStreamOptions = {},
): Promise<void> {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 3000\n: connected\n\n');
  const unsubscribe = events.subscribe((event) => {
    res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  });
  const heartbeat = setInterval(() => {
    res.write(': ping\n\n');
    options.onPing?.();
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return new Promise((resolve) => {
    const shutDown = () => res.end();
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      options.closing?.removeEventListener('abort', shutDown);
      resolve();
    };
    req.on('close', close);
    res.on('close', close);
    if (options.closing?.aborted) shutDown();
    else options.closing?.addEventListener('abort', shutDown, { once: true });
  });
}
