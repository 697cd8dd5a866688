import type { Request, Response } from 'restify';
import type { HandoffEvents } from './handoffEvents';

// Proxies drop idle connections; a comment line every 25 s keeps the stream open.
const HEARTBEAT_MS = 25_000;

/**
 * Streams handoff events as Server-Sent Events until the client goes away. Each event is
 * `event: <type>` + `data: <json>`; the console re-reads the ticket it names.
 */
export function writeEventStream(
  req: Request,
  res: Response,
  events: HandoffEvents,
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
  const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  return new Promise((resolve) => {
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      resolve();
    };
    req.on('close', close);
    res.on('close', close);
  });
}
