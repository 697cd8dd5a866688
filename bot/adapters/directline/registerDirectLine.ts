import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Server } from 'restify';
import type { TurnContext } from 'botbuilder';
import { ActivityFeed } from './activityFeed';
import { registerConnectorRoutes } from './connectorRoutes';
import { DirectLineAdapter } from './directLineAdapter';
import { registerCorsPreflight, registerDirectLineRoutes } from './directLineRoutes';
import { DirectLineService, type TurnRunner } from './directLineService';
import { attachDirectLineSocket } from './directLineSocket';
import { DirectLineStore } from './directLineStore';
import { registerWebChatPage } from './webChatPage';

export interface DirectLineDeps {
  db: Knex;
  /** The same bot instance that serves /api/messages. */
  bot: TurnRunner;
  logger: Logger;
  /** Build output with customer.html, customer.js, webchat.js (scripts/buildWeb.mjs). */
  webDir: string;
  /** config.DIRECTLINE_TOKEN_TTL_SECONDS. */
  tokenTtlSeconds: number;
  /** config.SUPPORTED_LOCALES; the first is the page's default. */
  locales: readonly string[];
  /** config.DIRECTLINE_SECRET: lets a website back end call tokens/generate. Empty disables it. */
  secret?: string;
  /** config.PUBLIC_URL; without it, stream URLs use the Host the client connected to. */
  publicUrl?: string;
  /** The bot's error handler, as on the /api/messages adapter. */
  onTurnError?: (context: TurnContext, error: Error) => Promise<void>;
  /** Set with a shared PostgreSQL so sockets see other instances' activities (ms, e.g. 1000). */
  crossInstancePollMs?: number;
  botName?: string;
  now?: () => Date;
}

export interface DirectLineChannel {
  /**
   * The adapter of this channel. Proactive messages to a conversation whose reference has
   * channelId 'directline' must use `adapter.continueConversationAsync('', reference, logic)`.
   */
  adapter: DirectLineAdapter;
  /** Closes open WebSockets (call before server.close()). */
  close(): Promise<void>;
}

/** Registers the Direct Line 3.0 endpoint, its WebSocket stream, the connector routes and the Web Chat page. */
export function registerDirectLine(server: Server, deps: DirectLineDeps): DirectLineChannel {
  const now = deps.now ?? (() => new Date());
  const store = new DirectLineStore(deps.db);
  const feed = new ActivityFeed();
  const adapter = new DirectLineAdapter(store, feed, now);
  adapter.onTurnError = deps.onTurnError ?? defaultTurnError(deps.logger);
  const service = new DirectLineService({
    store,
    adapter,
    bot: deps.bot,
    logger: deps.logger,
    now,
    tokenTtlSeconds: deps.tokenTtlSeconds,
    secret: deps.secret ?? '',
    botId: 'askdesk',
    botName: deps.botName ?? 'Askdesk',
  });
  registerDirectLineRoutes(server, {
    service,
    adapter,
    logger: deps.logger,
    publicUrl: deps.publicUrl,
  });
  registerCorsPreflight(server);
  registerConnectorRoutes(server, { adapter });
  registerWebChatPage(server, { webDir: deps.webDir, locales: deps.locales });
  const closeSockets = attachDirectLineSocket(server.server, {
    service,
    feed,
    logger: deps.logger,
    crossInstancePollMs: deps.crossInstancePollMs,
  });
  return { adapter, close: closeSockets };
}

function defaultTurnError(logger: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    logger.error(
      { err: error, conversationId: context.activity.conversation?.id },
      'Direct Line turn failed',
    );
    await context.sendActivity('Sorry, something went wrong on our side. Please try again.');
  };
}
