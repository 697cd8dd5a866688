import type { Request, Server } from 'restify';
import { z } from 'zod';
import type { AgentService } from '../service/agentService';
import type { HandoffEvents } from '../events/handoffEvents';
import type { Principal, Role } from '../types';
import { writeEventStream } from '../events/eventStream';

/**
 * Port: authenticates a request from its bearer token. Throws an error whose `code` is
 * 'unauthorized' (→ 401) or 'forbidden' (→ 403) when the caller may not proceed.
 */
export interface RouteAuth {
  require(req: Request, roles: Role[]): Promise<Principal>;
}

/** Port: KB answers suggested as canned responses (the lead wires knowledge/ behind it). */
export interface CannedResponses {
  suggest(
    text: string,
    locale: string,
  ): Promise<{ id: string; question: string; answer: string; confidence: number }[]>;
}

export interface HandoffRouteDeps {
  agents: AgentService;
  auth: RouteAuth;
  events: HandoffEvents;
  /** Canned responses for GET …/:id/suggestions; without it the list is empty. */
  suggestions?: CannedResponses;
  /** Aborted on shutdown: open event streams end so the server can close. */
  closing?: AbortSignal;
}

const AGENT_ROLES: Role[] = ['agent', 'supervisor', 'admin'];

const TicketId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a ticket id (letters, digits, - or _)');
const IsoTime = z
  .string()
  .refine(
    (v) => !Number.isNaN(Date.parse(v)),
    'must be an ISO 8601 time, e.g. 2026-11-23T00:00:00Z',
  )
  .transform((v) => new Date(v).toISOString());
const ListQuery = z.object({
  status: z.enum(['waiting', 'assigned', 'resolved', 'cancelled']).optional(),
  queue: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  q: z.string().trim().min(1).max(200, 'is longer than 200 characters').optional(),
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language code, e.g. en')
    .optional(),
  from: IsoTime.optional(),
  to: IsoTime.optional(),
});
const MessageBody = z.object({ text: z.string() });
/** One per message, reused on retries (the console sends a UUID); see AgentService.postAgentMessage. */
const MessageHeaders = z.object({
  'Idempotency-Key': z
    .string()
    .regex(
      /^[\x21-\x7e]{1,200}$/,
      'must be 1 to 200 visible ASCII characters (e.g. a UUID), one per message',
    )
    .optional(),
});
const ResolveBody = z.object({ outcome: z.string().max(2000).optional() }).default({});
const AssignBody = z.object({
  agentId: z.string().trim().min(1, 'is empty; give an agent id').max(64),
});
const NoteBody = z.object({ text: z.string().trim().min(1, 'is empty; write a note').max(20000) });
const PresenceBody = z.object({
  status: z.enum(['online', 'away', 'offline']),
  capacity: z.number().int().min(1).max(50).optional(),
});

/** Bodies arrive parsed (bodyParser) or, without a JSON content type, as a string or nothing. */
function bodyOf(req: Request): unknown {
  const body: unknown = req.body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const text = body.toString();
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw Object.assign(new Error('request body is not JSON; send application/json'), {
        code: 'invalid_input',
      });
    }
  }
  return body ?? {};
}

function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : where;
  const message = `${where} "${field}" ${issue?.message ?? 'is invalid'}`;
  throw Object.assign(new Error(message), { code: 'invalid_input', field });
}

/** Registers the agent API under /api/handoff. Who acts always comes from `auth`, never the body. */
export function registerHandoffRoutes(server: Server, deps: HandoffRouteDeps): void {
  const { agents, auth } = deps;
  const who = (req: Request) => auth.require(req, AGENT_ROLES);
  const idOf = (req: Request) =>
    parse(TicketId, (req.params as Record<string, unknown>).id, 'path parameter');

  server.get('/api/handoff/tickets', async (req, res) => {
    const actor = await who(req);
    const query = parse(ListQuery, req.query ?? {}, 'query parameter');
    res.send(200, { tickets: await agents.list(query, actor) });
  });

  server.get('/api/handoff/tickets/:id', async (req, res) => {
    await who(req);
    res.send(200, await agents.get(idOf(req)));
  });

  server.post('/api/handoff/tickets/:id/claim', async (req, res) => {
    const actor = await who(req);
    res.send(200, await agents.claim(idOf(req), actor));
  });

  server.post('/api/handoff/tickets/:id/messages', async (req, res) => {
    const actor = await who(req);
    const id = idOf(req);
    const body = parse(MessageBody, bodyOf(req), 'body field');
    const headers = parse(
      MessageHeaders,
      { 'Idempotency-Key': req.header('idempotency-key') },
      'header',
    );
    res.send(
      201,
      await agents.postAgentMessage(id, actor, body.text, {
        idempotencyKey: headers['Idempotency-Key'],
      }),
    );
  });

  server.post('/api/handoff/tickets/:id/resolve', async (req, res) => {
    const actor = await who(req);
    const id = idOf(req);
    const body = parse(ResolveBody, bodyOf(req), 'body field');
    res.send(200, await agents.resolve(id, actor, body.outcome));
  });

  server.post('/api/handoff/tickets/:id/handback', async (req, res) => {
    const actor = await who(req);
    res.send(200, await agents.handBack(idOf(req), actor));
  });

  server.post('/api/handoff/tickets/:id/transfer', async (req, res) => {
    const actor = await who(req);
    const id = idOf(req);
    res.send(200, await agents.transfer(id, actor, agents.parseTransfer(bodyOf(req))));
  });

  server.post('/api/handoff/tickets/:id/assign', async (req, res) => {
    const actor = await auth.require(req, ['supervisor', 'admin']);
    const id = idOf(req);
    const body = parse(AssignBody, bodyOf(req), 'body field');
    res.send(200, await agents.assign(id, actor, body.agentId));
  });

  server.post('/api/handoff/tickets/:id/notes', async (req, res) => {
    const actor = await who(req);
    const id = idOf(req);
    const body = parse(NoteBody, bodyOf(req), 'body field');
    res.send(201, await agents.addNote(id, actor, body.text));
  });

  server.get('/api/handoff/tickets/:id/suggestions', async (req, res) => {
    await who(req);
    const id = idOf(req);
    const { text, locale } = await agents.lastCustomerMessage(id);
    const suggestions =
      deps.suggestions && text ? await deps.suggestions.suggest(text, locale) : [];
    res.send(200, { suggestions });
  });

  server.put('/api/handoff/agents/me/presence', async (req, res) => {
    const actor = await who(req);
    const body = parse(PresenceBody, bodyOf(req), 'body field');
    res.send(200, await agents.setPresence(actor, body));
  });

  server.post('/api/handoff/agents/me/heartbeat', async (req, res) => {
    const actor = await who(req);
    res.send(200, await agents.heartbeat(actor));
  });

  server.get('/api/handoff/agents', async (req, res) => {
    await who(req);
    res.send(200, { agents: await agents.listAgents() });
  });

  server.get('/api/handoff/events', async (req, res) => {
    const actor = await who(req);
    // While the console's stream is open the agent is present: each keep-alive is a beat.
    const beat = () =>
      agents.heartbeat(actor).then(
        () => undefined,
        () => undefined, // No presence set yet, or the database is away: the next beat retries.
      );
    await beat();
    await writeEventStream(req, res, deps.events, {
      closing: deps.closing,
      onPing: () => void beat(),
    });
  });
}
