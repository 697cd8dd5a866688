import type { Activity } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import type { DirectLineAdapter } from './directLineAdapter';
import { DirectLineError } from './errors';

const prefix = '/directline-connector/v3/conversations/:conversationId/activities';

/**
 * The Bot Connector calls (send, reply, update, delete) for conversations whose serviceUrl is
 * `<base>/directline-connector`, for senders that go over HTTP instead of the DirectLineAdapter
 * (e.g. a credential-less CloudAdapter's continueConversationAsync). Such callers carry no token
 * we could check, so only this machine may call: requests from other addresses get 403.
 */
export function registerConnectorRoutes(
  server: Server,
  deps: { adapter: DirectLineAdapter },
): void {
  const send = async (req: Request, res: Response) => {
    const { conversationId, activity } = readCall(req);
    const stored = await deps.adapter.append(conversationId, withoutId(activity));
    res.send(200, { id: stored.id });
  };
  server.post(prefix, send);
  server.post(`${prefix}/:activityId`, send);
  server.put(`${prefix}/:activityId`, async (req, res) => {
    const { conversationId, activity, activityId } = readCall(req);
    await deps.adapter.append(conversationId, withoutId(activity), activityId);
    res.send(200, { id: activityId });
  });
  server.del(`${prefix}/:activityId`, async (req, res) => {
    const { conversationId, activityId } = readCall(req);
    await deps.adapter.append(conversationId, { type: 'messageDelete' }, activityId);
    res.send(200, {});
  });
}

function readCall(req: Request): {
  conversationId: string;
  activityId?: string;
  activity: Partial<Activity>;
} {
  if (!isLoopback(req.socket.remoteAddress)) {
    throw new DirectLineError(
      'Forbidden',
      'The Direct Line connector only accepts calls from this machine',
    );
  }
  const params = (req.params ?? {}) as Record<string, unknown>;
  const conversationId = params.conversationId;
  if (typeof conversationId !== 'string' || !conversationId) {
    throw new DirectLineError('InvalidInput', 'conversationId in the URL is missing');
  }
  const body: unknown = req.body;
  const activity = (body && typeof body === 'object' ? body : {}) as Partial<Activity>;
  const activityId = typeof params.activityId === 'string' ? params.activityId : undefined;
  return { conversationId, activityId, activity };
}

const withoutId = ({ id: _id, ...rest }: Partial<Activity>): Partial<Activity> => rest;

export const isLoopback = (address: string | undefined): boolean =>
  address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
