import type { Server } from 'restify';
import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import { activityProblems } from './activityBody';
import type { ActivityClaims, ActivityIdentity } from '../infrastructure/activityClaims';
import { isDatabaseUnavailable } from '../infrastructure/httpErrors';
import type { Logger } from '../infrastructure/logger';

/**
 * CloudAdapter with its activity processing public: the route validates and parses the body
 * itself, then hands over the activity (CloudAdapter.process would answer malformed input and
 * failures with 500 and the library's own message, and print stacks to the console).
 */
export class MessagesAdapter extends CloudAdapter {
  processIncoming(
    authorization: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }
}

export interface MessagesRouteDeps {
  adapter: MessagesAdapter;
  run(context: TurnContext): Promise<void>;
  claims: ActivityClaims;
  logger: Logger;
}

/** An activity body the bot cannot use; `details` names every field. */
class InvalidActivityError extends Error {
  readonly code = 'invalid_activity';
  constructor(
    readonly details: readonly { field: string; message: string }[],
    readonly field = details[0]?.field ?? 'body',
  ) {
    super(details.map((d) => `${d.field}: ${d.message}`).join('; '));
  }
}

class UnauthorizedError extends Error {
  readonly code = 'unauthorized';
}

/**
 * POST /api/messages, the Bot Framework endpoint. The body is validated before botbuilder sees
 * it (400 naming each field); the caller is authenticated by the adapter; then the activity is
 * claimed once by channel, conversation and id, so a redelivery gets 200 and no second turn.
 * The claim comes after authentication, so nobody can claim ids ahead of the real channel.
 *
 * Invoke activities always get HTTP 200 with the invoke response `{status, body}` in the body
 * (501 inside when the bot handles no such invoke): a channel reads the outcome from there.
 */
export function registerMessagesRoute(server: Server, deps: MessagesRouteDeps): void {
  server.post('/api/messages', async (req, res) => {
    const problems = activityProblems(req.body);
    if (problems.length > 0) throw new InvalidActivityError(problems);
    const activity = req.body as Activity;
    const identity: ActivityIdentity | undefined = activity.id
      ? {
          channelId: activity.channelId,
          conversationId: activity.conversation.id,
          activityId: activity.id,
        }
      : undefined;

    let duplicate = false;
    let unavailable: Error | undefined;
    const logic = async (context: TurnContext): Promise<void> => {
      if (identity) {
        try {
          duplicate = !(await deps.claims.claim(identity));
        } catch (err) {
          // Without the database the turn cannot be recorded: answer 503 so the channel retries,
          // instead of running a turn that would fail half-way.
          if (!isDatabaseUnavailable(err)) throw err;
          unavailable = err as Error;
          return;
        }
        if (duplicate) return;
      }
      try {
        await deps.run(context);
      } catch (err) {
        if (identity) await releaseQuietly(deps, identity);
        throw err;
      }
    };

    const authorization = req.header('authorization') ?? '';
    let invokeResponse: InvokeResponse | undefined;
    try {
      invokeResponse = await deps.adapter.processIncoming(authorization, activity, logic);
    } catch (err) {
      if (isAuthenticationError(err)) {
        throw new UnauthorizedError(
          'Authorization is missing or is not a valid Bot Framework token for this bot',
        );
      }
      throw err;
    }
    if (unavailable) throw unavailable;
    if (duplicate) {
      deps.logger.info(
        { conversationId: activity.conversation.id, activityId: activity.id },
        'redelivered activity ignored',
      );
      res.send(200, activity.type === 'invoke' ? { status: 200 } : undefined);
      return;
    }
    if (activity.type === 'invoke') {
      res.send(200, invokeReply(invokeResponse, activity.name));
      return;
    }
    res.send(invokeResponse?.status ?? 200, invokeResponse?.body);
  });
}

function invokeReply(
  response: { status: number; body?: unknown } | undefined,
  name: string | undefined,
): { status: number; body?: unknown } {
  if (!response) return { status: 200 };
  if (response.status === 501 && response.body === undefined) {
    return {
      status: 501,
      body: {
        code: 'invoke_not_supported',
        message: `This bot handles no invoke named ${JSON.stringify(name ?? '')} — send a message activity instead`,
      },
    };
  }
  return response;
}

async function releaseQuietly(deps: MessagesRouteDeps, identity: ActivityIdentity): Promise<void> {
  try {
    await deps.claims.release(identity);
  } catch (err) {
    deps.logger.warn({ err, conversationId: identity.conversationId }, 'activity claim kept');
  }
}

const isAuthenticationError = (err: unknown): boolean =>
  (err as { name?: unknown } | null)?.name === 'AuthenticationError' ||
  (err as { statusCode?: unknown } | null)?.statusCode === 401;
