/** What an outside client sees of Askdesk over HTTP: agents' REST calls and customers' activities. */

export interface JsonResponse {
  status: number;
  // Tests read arbitrary fields of the documented JSON shapes.
  body: any;
}

/** One JSON request against a running server; non-JSON bodies are returned as text. */
export async function callJson(
  baseUrl: string,
  method: string,
  route: string,
  options: { token?: string; body?: unknown } = {},
): Promise<JsonResponse> {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: {
      ...(options.token && { Authorization: `Bearer ${options.token}` }),
      ...(options.body !== undefined && { 'Content-Type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Keep the text.
  }
  return { status: response.status, body };
}

let activitySeq = 0;

/**
 * A customer's message as the Bot Framework channel connector would POST it to
 * /api/messages; the bot answers (and later messages proactively) at `connectorUrl`.
 */
export function customerActivity(
  connectorUrl: string,
  conversationId: string,
  text: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  activitySeq += 1;
  return {
    type: 'message',
    id: `e2e-${process.pid}-${activitySeq}`,
    text,
    channelId: 'emulator',
    serviceUrl: connectorUrl,
    conversation: { id: conversationId },
    from: { id: `user-${conversationId}`, name: 'Customer' },
    recipient: { id: 'askdesk', name: 'Askdesk' },
    locale: 'en-US',
    ...extra,
  };
}

/** Sends a customer message to the server at `baseUrl`; fails unless the bot accepted it. */
export async function customerSays(
  baseUrl: string,
  connectorUrl: string,
  conversationId: string,
  text: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const response = await callJson(baseUrl, 'POST', '/api/messages', {
    body: customerActivity(connectorUrl, conversationId, text, extra),
  });
  if (response.status !== 200) {
    throw new Error(
      `POST /api/messages "${text}" for ${conversationId} → ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
}

/** The waiting ticket of a conversation as the agent API lists it, or undefined. */
export async function findTicket(
  baseUrl: string,
  token: string,
  conversationId: string,
  status = 'waiting',
): Promise<any> {
  const list = await callJson(baseUrl, 'GET', `/api/handoff/tickets?status=${status}`, { token });
  if (list.status !== 200)
    throw new Error(`GET tickets → ${list.status} ${JSON.stringify(list.body)}`);
  return (list.body.tickets as { conversationId: string }[]).find(
    (t) => t.conversationId === conversationId,
  );
}
