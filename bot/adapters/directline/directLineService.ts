import crypto from 'node:crypto';
import type { Activity, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { type DirectLineAdapter, directLineChannelId } from './directLineAdapter';
import type { ActivitySet, DirectLineStore } from './directLineStore';
import { isSecret, signToken, type TokenClaims, verifyToken } from './directLineToken';
import { DirectLineError } from './errors';
import {
  connectorUrl,
  customerActivity,
  InboundActivity,
  parseWatermark,
  StartBody,
} from './directLineInput';

/** The bot as the channel sees it: anything with `run`, e.g. an ActivityHandler. */
export interface TurnRunner {
  run(context: TurnContext): Promise<void>;
}

export interface DirectLineServiceDeps {
  store: DirectLineStore;
  adapter: DirectLineAdapter;
  bot: TurnRunner;
  logger: Logger;
  now: () => Date;
  /** Lifetime of conversation tokens in seconds (config DIRECTLINE_TOKEN_TTL_SECONDS). */
  tokenTtlSeconds: number;
  /** The website back end's Direct Line secret; empty disables secret-based calls. */
  secret: string;
  /** How the bot is named in activities. */
  botId: string;
  botName: string;
}

/** What "start conversation", "reconnect" and the token routes answer (Direct Line 3.0 names). */
export interface ConversationGrant {
  conversationId: string;
  token: string;
  expires_in: number;
  streamUrl?: string;
}

/** Who is calling: the website back end (with the secret) or a customer's page (with a token). */
export type Caller = { kind: 'secret' } | { kind: 'token'; claims: TokenClaims };

const streamTicketSeconds = 60;

/**
 * The Direct Line 3.0 protocol on top of the store and the local adapter. Knows no HTTP: the
 * routes translate requests into these calls and DirectLineError codes into statuses.
 */
export class DirectLineService {
  private signingKey?: Buffer;

  constructor(private readonly deps: DirectLineServiceDeps) {}

  private async key(): Promise<Buffer> {
    this.signingKey ??= await this.deps.store.signingKey();
    return this.signingKey;
  }

  /** Resolves an Authorization header value. Throws MissingToken / BadToken / TokenExpired. */
  async authenticate(authorization: string | undefined): Promise<Caller> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) {
      throw new DirectLineError('MissingToken', 'Send "Authorization: Bearer <token>"');
    }
    if (isSecret(this.deps.secret, match[1])) return { kind: 'secret' };
    const claims = verifyToken(await this.key(), match[1], 'conversation', this.deps.now());
    return { kind: 'token', claims };
  }

  /** A token for a new, not yet started conversation (what a website back end hands its page). */
  async issueToken(options: { userId?: string; locale?: string } = {}): Promise<ConversationGrant> {
    const id = crypto.randomBytes(16).toString('base64url');
    await this.deps.store.createConversation(
      { id, userId: options.userId ?? null, locale: options.locale ?? null },
      this.deps.now(),
    );
    return this.grant(id);
  }

  /** tokens/generate: the secret only; a page's token must not mint more conversations. */
  async generate(caller: Caller, body: unknown): Promise<ConversationGrant> {
    if (caller.kind !== 'secret') {
      throw new DirectLineError('Forbidden', 'tokens/generate needs the Direct Line secret');
    }
    const parsed = StartBody.parse(body ?? undefined);
    return this.issueToken({ userId: parsed?.user?.id, locale: parsed?.locale });
  }

  /** tokens/refresh: a fresh token for the same conversation. */
  async refresh(caller: Caller): Promise<ConversationGrant> {
    if (caller.kind !== 'token') {
      throw new DirectLineError('Forbidden', 'tokens/refresh needs a conversation token');
    }
    return this.grant(caller.claims.conv);
  }

  /**
   * Start conversation. With a token it starts that token's conversation (again: 200, not a new
   * one); with the secret it makes a new conversation. The bot gets a conversationUpdate once.
   */
  async start(
    caller: Caller,
    body: unknown,
    baseUrl: string,
  ): Promise<{ created: boolean; grant: ConversationGrant }> {
    const parsed = StartBody.parse(body ?? undefined);
    const conversationId =
      caller.kind === 'token'
        ? caller.claims.conv
        : (await this.issueToken({ userId: parsed?.user?.id, locale: parsed?.locale }))
            .conversationId;
    const conversation = await this.requireConversation(conversationId);
    const userId = parsed?.user?.id ?? conversation.userId ?? `dl_${crypto.randomUUID()}`;
    const locale = parsed?.locale ?? conversation.locale;
    const created = await this.deps.store.markStarted(
      conversationId,
      { userId, locale },
      this.deps.now(),
    );
    if (created) await this.announce(conversationId, userId, locale, baseUrl);
    const grant = await this.withStream(await this.grant(conversationId), baseUrl, undefined);
    return { created, grant };
  }

  /** Reconnect: the same conversation with a fresh stream URL that resumes after `watermark`. */
  async reconnect(
    caller: Caller,
    conversationId: string,
    watermark: string | undefined,
    baseUrl: string,
  ): Promise<ConversationGrant> {
    this.assertScope(caller, conversationId);
    await this.requireConversation(conversationId);
    return this.withStream(await this.grant(conversationId), baseUrl, parseWatermark(watermark));
  }

  async activitiesAfter(
    caller: Caller,
    conversationId: string,
    watermark: string | undefined,
  ): Promise<{ activities: Partial<Activity>[]; watermark: string }> {
    this.assertScope(caller, conversationId);
    await this.requireConversation(conversationId);
    const set = await this.deps.store.activitiesAfter(conversationId, parseWatermark(watermark));
    return { activities: set.activities, watermark: String(set.watermark) };
  }

  /**
   * Post activity: stored (so the sender sees its own echo, which Web Chat waits for), then run
   * through the bot. Resolves after the bot's turn, as Azure's Direct Line does, so a poll right
   * after the POST already sees the replies.
   */
  async post(
    caller: Caller,
    conversationId: string,
    body: unknown,
    baseUrl: string,
  ): Promise<{ id: string }> {
    this.assertScope(caller, conversationId);
    const conversation = await this.requireConversation(conversationId);
    const activity = customerActivity(InboundActivity.parse(body), conversation, this.botAccount());
    const echo = await this.deps.adapter.append(conversationId, activity);
    await this.runTurn({
      ...echo,
      serviceUrl: connectorUrl(baseUrl),
      channelId: directLineChannelId,
    });
    return { id: echo.id ?? '' };
  }

  /** Checks a WebSocket ticket and returns where the stream starts. */
  async authorizeStream(
    conversationId: string,
    ticket: string,
    watermark: string | undefined,
  ): Promise<number> {
    const claims = verifyToken(await this.key(), ticket, 'stream', this.deps.now());
    if (claims.conv !== conversationId) {
      throw new DirectLineError(
        'WrongConversation',
        'The stream ticket belongs to another conversation',
      );
    }
    return parseWatermark(watermark);
  }

  readActivities(conversationId: string, watermark: number): Promise<ActivitySet> {
    return this.deps.store.activitiesAfter(conversationId, watermark);
  }

  private async announce(
    conversationId: string,
    userId: string,
    locale: string | null,
    baseUrl: string,
  ): Promise<void> {
    await this.runTurn({
      type: 'conversationUpdate',
      id: `${conversationId}|start`,
      channelId: directLineChannelId,
      serviceUrl: connectorUrl(baseUrl),
      conversation: { id: conversationId } as Activity['conversation'],
      from: { id: userId, name: '', role: 'user' },
      recipient: this.botAccount(),
      membersAdded: [this.botAccount(), { id: userId, name: '' }],
      locale: locale ?? undefined,
      timestamp: this.deps.now(),
    });
  }

  private async runTurn(activity: Partial<Activity>): Promise<void> {
    const bot = this.deps.bot;
    await this.deps.adapter.processInbound(activity, (context) => bot.run(context));
  }

  private botAccount(): Activity['recipient'] {
    return { id: this.deps.botId, name: this.deps.botName, role: 'bot' };
  }

  private assertScope(caller: Caller, conversationId: string): void {
    if (caller.kind === 'token' && caller.claims.conv !== conversationId) {
      throw new DirectLineError('WrongConversation', 'This token belongs to another conversation');
    }
  }

  private async requireConversation(conversationId: string) {
    const conversation = await this.deps.store.findConversation(conversationId);
    if (!conversation) {
      throw new DirectLineError('NotFound', `Conversation "${conversationId}" does not exist`);
    }
    return conversation;
  }

  /** A fresh token for the conversation; reconnect and refresh both extend the session. */
  private async grant(conversationId: string): Promise<ConversationGrant> {
    const ttlSeconds = this.deps.tokenTtlSeconds;
    const token = signToken(
      await this.key(),
      { kind: 'conversation', conversationId, ttlSeconds },
      this.deps.now(),
    );
    return { conversationId, token, expires_in: ttlSeconds };
  }

  private async withStream(
    grant: ConversationGrant,
    baseUrl: string,
    watermark: number | undefined,
  ): Promise<ConversationGrant> {
    const ticket = signToken(
      await this.key(),
      { kind: 'stream', conversationId: grant.conversationId, ttlSeconds: streamTicketSeconds },
      this.deps.now(),
    );
    const url = new URL(
      `${baseUrl.replace(/^http/, 'ws')}/v3/directline/conversations/${encodeURIComponent(grant.conversationId)}/stream`,
    );
    if (watermark !== undefined) url.searchParams.set('watermark', String(watermark));
    url.searchParams.set('t', ticket);
    return { ...grant, streamUrl: url.toString() };
  }
}
