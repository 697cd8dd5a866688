import './infrastructure/quietDotenv';
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'restify';
import type { Knex } from 'knex';
import { ConversationState, type ConversationReference, type TurnContext } from 'botbuilder';
import {
  KnowledgeBase,
  loadSampleKb,
  registerKnowledgeRoutes,
  editorPage,
  EncoderFolderError,
  onnxEncoderName,
  openSentenceEncoder,
} from '../knowledge';
import {
  createHandoff,
  type HandoffService,
  type AgentService,
  type HandoffWorker,
  registerHandoffRoutes,
  consolePage,
  type Clock,
  type CustomerNotifier,
  handoffMetrics,
  AnalyticsReader,
  registerAnalyticsRoutes,
  dashboardPage,
  type UnansweredQuestions,
} from '../handoff';
import { registerWebPage } from './adapters/webPage';
import { loadConfig, sentenceEncoderFolderOf, type Config } from './composition/config';
import { createDb, migrateLatest } from './infrastructure/db';
import { FaqBot } from './conversation/faqBot';
import { KnexStorage } from './infrastructure/knexStorage';
import { keepAgentAnswers } from './conversation/agentAnswers';
import { createLogger, type Logger } from './infrastructure/logger';
import { createBotMetrics, observeQueries } from './infrastructure/metrics';
import { createServer } from './infrastructure/server';
import { closeServer, signalHandler } from './infrastructure/shutdown';
import { BotAuthentication } from './adapters/botAuthentication';
import { systemIntentEntries } from './conversation/systemIntents';
import { TokenAuth } from './users/tokenAuth';
import { UserNotifier } from './adapters/userNotifier';
import {
  registerDirectLine,
  type DirectLineChannel,
} from './adapters/directline/registerDirectLine';
import { directLineChannelId } from './adapters/directline/directLineAdapter';
import { handoffSettingsFrom } from './composition/handoffConfig';
import { MessagesAdapter, registerMessagesRoute } from './adapters/messagesRoute';
import { ActivityClaims } from './infrastructure/activityClaims';
import { textMessage, t } from './conversation/replies';
import { createEventBus } from './infrastructure/eventBus';
import { HandoffGauges } from './composition/handoffGauges';
import { redactPersonalData } from './conversation/personalData';
import { RetentionPolicy } from './composition/retention';

/** Ports a test may replace: the clock and the customer notifier. */
export interface AppOverrides {
  clock: Clock;
  notifier: CustomerNotifier;
  logger: Logger;
}

export interface RunningApp {
  url: string;
  port: number;
  server: Server;
  db: Knex;
  kb: KnowledgeBase;
  handoff: HandoffService;
  agents: AgentService;
  worker: HandoffWorker;
  close(): Promise<void>;
}

/** Where `npm run build` puts the browser bundles. */
const webDir = path.resolve(__dirname, '..', '..', 'dist', 'web');
const resolvedWebDir = (): string =>
  fs.existsSync(webDir) ? webDir : path.resolve(process.cwd(), 'dist', 'web');

/**
 * Composition root: config → database → migrations → modules → adapters → restify.
 * Resolves once the server listens; `close()` stops timers, sockets, server and database.
 */
export async function startAskdesk(
  config: Config,
  overrides: Partial<AppOverrides> = {},
): Promise<RunningApp> {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const clock: Clock = overrides.clock ?? { now: () => new Date() };
  // An operator's ONNX encoder is loaded and checked first: a folder that cannot serve
  // stops the start with an EncoderFolderError saying what to fix.
  const encoderFolder = sentenceEncoderFolderOf(config);
  if (encoderFolder) {
    const encoder = await openSentenceEncoder(onnxEncoderName(encoderFolder));
    logger.info(
      { folder: encoderFolder, dimensions: encoder.dimensions },
      'matcher: ONNX sentence encoder loaded, for every locale',
    );
  }
  const db = createDb({ databaseUrl: config.DATABASE_URL, sqliteFile: config.SQLITE_FILE });
  await migrateLatest(db);

  const kb = await KnowledgeBase.open(db, {
    matcherOptions: {
      ...(config.MATCH_ANSWER_THRESHOLD !== undefined && {
        answerThreshold: config.MATCH_ANSWER_THRESHOLD,
      }),
      ...(config.MATCH_CLARIFY_THRESHOLD !== undefined && {
        clarifyThreshold: config.MATCH_CLARIFY_THRESHOLD,
      }),
      localeWordVectors: config.MATCH_WORD_VECTORS,
      sentenceEncoder: config.MATCH_SENTENCE_ENCODER !== 'off',
      ...(encoderFolder && { sentenceEncoderModel: encoderFolder }),
    },
    now: () => clock.now(),
    ...(config.REDACT_PERSONAL_DATA && { redact: redactPersonalData }),
  });
  if (config.SEED_SAMPLE_KB) {
    const seeded = await kb.seedIfEmpty(loadSampleKb());
    if (seeded) logger.info(seeded, 'seeded the sample knowledge base');
  }
  kb.registerSystemEntries(systemIntentEntries(config.SUPPORTED_LOCALES));
  for (const { locale, source, loaded } of kb.wordVectorStatus()) {
    if (!config.SUPPORTED_LOCALES.includes(locale)) continue;
    if (loaded) logger.info({ locale, source }, 'matcher: word vectors loaded');
    else logger.warn({ locale, source }, 'matcher: word vectors unavailable, words only');
  }
  // The sentence encoder loads and encodes the phrasings in the background (seconds).
  void kb.whenReady().then(() => {
    for (const { locale, ready } of kb.sentenceEncoderStatus()) {
      if (ready) logger.info({ locale }, 'matcher: sentence encoder ready');
      else logger.warn({ locale }, 'matcher: sentence encoder unavailable, matching without it');
    }
  });

  const metrics = createBotMetrics();
  const analytics = new AnalyticsReader(db, clock);
  observeQueries(db, metrics.dbQuerySeconds);
  const handoffGauges = new HandoffGauges(metrics.registry);
  const server = createServer({
    logger,
    metrics,
    beforeScrape: async () => {
      const now = clock.now();
      handoffGauges.update(await handoffMetrics(db, now));
      handoffGauges.updateConversations(
        await analytics.summary({
          from: new Date(now.getTime() - 7 * 86_400_000).toISOString(),
          to: now.toISOString(),
        }),
      );
    },
    maxBodyBytes: 1024 * 1024,
    checkHealth: async () => {
      await db.raw('select 1');
    },
  });

  const botAuth = new BotAuthentication({
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
    MicrosoftAppType: config.MicrosoftAppType,
    openIdMetadataUrl: config.BOT_OPENID_METADATA_URL,
  });
  const adapter = new MessagesAdapter(botAuth);
  // The Direct Line channel is registered after the routes, but the notifier needs its adapter.
  const directLineRef: { current?: DirectLineChannel } = {};
  const notifier =
    overrides.notifier ??
    new UserNotifier({
      appId: config.MicrosoftAppId,
      adapterFor: (reference: Partial<ConversationReference>) =>
        reference.channelId === directLineChannelId && directLineRef.current
          ? directLineRef.current.adapter
          : adapter,
    });

  const events = await createEventBus(db, Boolean(config.DATABASE_URL), logger);
  const handoffSettings = handoffSettingsFrom(config);
  const { handoff, agents, worker, settled } = createHandoff({
    db,
    notifier,
    clock,
    settings: handoffSettings,
    events,
    logger,
    ...(config.REDACT_PERSONAL_DATA && { redact: redactPersonalData }),
  });
  const stopKeepingAnswers = keepAgentAnswers(events, agents, kb, logger);

  const bot = new FaqBot({
    kb,
    handoff,
    supervisorQueue: handoffSettings.supervisorQueue,
    conversationState: new ConversationState(new KnexStorage(db, () => clock.now())),
    settings: {
      supportedLocales: config.SUPPORTED_LOCALES,
      defaultLocale: config.DEFAULT_LOCALE,
      missLimit: config.HANDOFF_MISS_LIMIT,
      maxMessageChars: config.MAX_MESSAGE_CHARS,
      handoffMode: config.HANDOFF_MODE,
      timeZone: handoffSettings.queues[handoffSettings.defaultQueue]?.timezone ?? 'UTC',
      sensitiveTags: config.HANDOFF_SENSITIVE_TAGS,
    },
    logger,
    metrics,
  });
  const onTurnError = async (context: TurnContext, error: Error): Promise<void> => {
    logger.error({ err: error, conversationId: context.activity.conversation?.id }, 'turn failed');
    const locale = context.activity.locale?.slice(0, 2) ?? config.DEFAULT_LOCALE;
    await context.sendActivity(textMessage(locale, t(locale, 'error')));
  };
  adapter.onTurnError = onTurnError;

  registerMessagesRoute(server, {
    adapter,
    run: async (context) => {
      const endTurn = metrics.turnSeconds.startTimer({ phase: 'turn' });
      try {
        await bot.run(context);
      } finally {
        endTurn();
      }
    },
    claims: new ActivityClaims(db, () => clock.now()),
    logger,
  });

  const auth = new TokenAuth(db);
  const closing = new AbortController();
  registerHandoffRoutes(server, {
    agents,
    auth,
    events,
    suggestions: kbSuggestions(kb),
    closing: closing.signal,
  });
  registerKnowledgeRoutes(server, { kb, auth, logger, locales: config.SUPPORTED_LOCALES });
  registerAnalyticsRoutes(server, {
    analytics,
    auth,
    logger,
    unanswered: topUnanswered(kb),
  });
  const webDirectory = resolvedWebDir();
  registerWebPage(server, webDirectory, consolePage);
  registerWebPage(server, webDirectory, editorPage);
  registerWebPage(server, webDirectory, dashboardPage);
  directLineRef.current = registerDirectLine(server, {
    db,
    bot,
    logger,
    webDir: webDirectory,
    tokenTtlSeconds: config.DIRECTLINE_TOKEN_TTL_SECONDS,
    locales: config.SUPPORTED_LOCALES,
    secret: config.DIRECTLINE_SECRET,
    publicUrl: config.PUBLIC_URL,
    onTurnError,
    crossInstancePollMs: config.DATABASE_URL ? 1000 : undefined,
    now: () => clock.now(),
  });

  await listen(server, config.PORT);
  const address = server.address();
  const port = address.port;
  const url = `http://127.0.0.1:${port}`;

  // Background jobs in flight; close() waits for them before it destroys the database.
  const jobs = new Set<Promise<void>>();
  const runSafely = (what: string, job: () => Promise<unknown>): void => {
    const running = runLogged(logger, what, job).finally(() => jobs.delete(running));
    jobs.add(running);
  };
  const timers = [
    setInterval(() => runSafely('handoff worker', () => worker.tick()), 5000),
    setInterval(
      () =>
        runSafely('kb refresh', async () => {
          const report = await kb.refresh();
          if (report.applied !== 'none') logger.debug(report, 'kb: caught up with the store');
        }),
      5000,
    ),
  ];
  if (config.TRANSCRIPT_RETENTION_DAYS > 0) {
    const retention = new RetentionPolicy(db, config.TRANSCRIPT_RETENTION_DAYS, () => clock.now());
    const purge = () =>
      runSafely('retention', async () => {
        const report = await retention.purge();
        logger.info(report, 'retention: deleted expired customer data');
      });
    // First pass soon after start (not during it), then hourly.
    timers.push(setTimeout(purge, 10_000), setInterval(purge, 3_600_000));
  }
  for (const timer of timers) timer.unref();
  logger.info(
    { url, database: config.DATABASE_URL ? 'postgres' : config.SQLITE_FILE },
    'Askdesk is listening',
  );

  return {
    url,
    port,
    server,
    db,
    kb,
    handoff,
    agents,
    worker,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      // Long-lived streams first (consoles' SSE, Web Chats' WebSockets), then the server
      // (idle keep-alive connections at once, requests in flight get 2 s), then the jobs.
      closing.abort();
      await directLineRef.current?.close();
      await closeServer(server, 2000);
      await Promise.allSettled([...jobs]);
      await settled();
      stopKeepingAnswers();
      await events.close();
      await db.destroy();
    },
  };
}

/** Listens on `port`; a busy port or a refused address rejects with one readable line. */
function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? `port ${port} is already in use; stop the other process or set PORT to a free port`
          : err.code === 'EACCES'
            ? `port ${port} needs privileges this process lacks; set PORT above 1023`
            : `cannot listen on port ${port}: ${err.message}`;
      reject(new StartupError(why));
    };
    // restify re-emits its http server's errors on itself.
    server.once('error', failed);
    server.listen(port, '0.0.0.0', () => {
      server.off('error', failed);
      resolve();
    });
  });
}

/** A problem the operator fixes in the configuration or the environment; its message is one line. */
export class StartupError extends Error {}

async function runLogged(logger: Logger, what: string, job: () => Promise<unknown>): Promise<void> {
  try {
    await job();
  } catch (err) {
    logger.error({ err }, `${what} failed`);
  }
}

/** Canned responses for agents: the KB answers that best match the customer's last message. */
function kbSuggestions(kb: KnowledgeBase) {
  return {
    suggest: async (text: string, locale: string) =>
      (await kb.match(text, locale, 5)).candidates
        .filter((c) => !c.id.startsWith('__'))
        .map((c) => ({
          id: c.id,
          question: c.question,
          answer: c.answer,
          confidence: c.confidence,
        })),
  };
}

/** The dashboard's top unanswered questions: the editors' inbox groups, most frequent first. */
function topUnanswered(kb: KnowledgeBase): UnansweredQuestions {
  return {
    top: async (locale, limit) =>
      (await kb.unansweredGroups(locale))
        .sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt))
        .slice(0, limit)
        .map((g) => ({
          text: g.examples[0]?.text ?? '',
          locale: g.locale,
          count: g.count,
          lastAt: g.lastAt,
        })),
  };
}

/** `npm start`: run until SIGINT/SIGTERM, then close cleanly. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(`askdesk: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  const logger = createLogger(config.LOG_LEVEL);
  let app: RunningApp;
  try {
    app = await startAskdesk(config, { logger });
  } catch (err) {
    if (!(err instanceof StartupError)) throw err;
    console.error(`askdesk: ${err.message}`);
    process.exit(1);
  }
  const onSignal = signalHandler({
    close: () => app.close(),
    exit: (code) => process.exit(code),
    log: (line) => logger.info(line),
    deadlineMs: 10_000,
  });
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    // A model folder that cannot serve: one line naming the file and the fix.
    console.error(
      err instanceof EncoderFolderError ? `MATCH_SENTENCE_ENCODER: ${err.message}` : err,
    );
    process.exit(1);
  });
}
