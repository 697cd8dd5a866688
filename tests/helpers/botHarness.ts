import { ConversationState, TestAdapter } from 'botbuilder';
import pino from 'pino';
import { FaqBot, type FaqBotSettings } from '../../bot/conversation/faqBot';
import { KnexStorage } from '../../bot/infrastructure/knexStorage';
import { redactPersonalData } from '../../bot/conversation/personalData';
import { systemIntentEntries } from '../../bot/conversation/systemIntents';
import { AgentService } from '../../handoff/service/agentService';
import { HandoffContext } from '../../handoff/service/handoffContext';
import { HandoffService } from '../../handoff/service/handoffService';
import {
  resolveHandoffSettings,
  type HandoffSettingsInput,
} from '../../handoff/service/handoffSettings';
import type { Clock, CustomerNotice, CustomerNotifier, NoticeTarget } from '../../handoff/types';
import { KnowledgeBase } from '../../knowledge/service/knowledgeBase';
import { loadSampleKb } from '../../knowledge/sampleKb';
import { createTestDb, type Dialect, type TestDb } from './testDb';

/** Test double at our own port: remembers every notice instead of messaging a channel. */
export class RecordingNotifier implements CustomerNotifier {
  readonly notices: { target: NoticeTarget; notice: CustomerNotice }[] = [];
  notify(target: NoticeTarget, notice: CustomerNotice): Promise<void> {
    this.notices.push({ target, notice });
    return Promise.resolve();
  }
}

export class ManualClock implements Clock {
  constructor(private current = new Date('2026-11-23T10:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface BotHarness {
  testDb: TestDb;
  kb: KnowledgeBase;
  handoff: HandoffService;
  agents: AgentService;
  notifier: RecordingNotifier;
  clock: ManualClock;
  bot: FaqBot;
  /** A fresh TestAdapter conversation (its own conversation id). */
  conversation(locale?: string): TestAdapter;
  close(): Promise<void>;
}

/** The real bot on a real migrated database with the sample KB; only clock and notifier are doubles. */
export async function createBotHarness(
  options: {
    dialect?: Dialect;
    settings?: Partial<FaqBotSettings>;
    handoff?: HandoffSettingsInput;
  } = {},
): Promise<BotHarness> {
  const testDb = await createTestDb(options.dialect ?? 'sqlite');
  const clock = new ManualClock();
  const notifier = new RecordingNotifier();
  const kb = await KnowledgeBase.open(testDb.db, { now: () => clock.now() });
  await kb.seedIfEmpty(loadSampleKb());
  kb.registerSystemEntries(systemIntentEntries(['en', 'he', 'ro', 'hu']));
  const context = new HandoffContext({
    db: testDb.db,
    notifier,
    clock,
    settings: resolveHandoffSettings(options.handoff ?? {}),
    redact: redactPersonalData,
  });
  const handoff = new HandoffService(context);
  const agents = new AgentService(context);
  const bot = new FaqBot({
    kb,
    handoff,
    supervisorQueue: 'supervisor',
    conversationState: new ConversationState(new KnexStorage(testDb.db)),
    settings: {
      supportedLocales: ['en', 'he', 'ro', 'hu'],
      defaultLocale: 'en',
      missLimit: 2,
      maxMessageChars: 4000,
      handoffMode: 'internal',
      timeZone: 'UTC',
      sensitiveTags: ['sensitive'],
      ...options.settings,
    },
    logger: pino({ level: 'silent' }),
  });
  let conversations = 0;
  return {
    testDb,
    kb,
    handoff,
    agents,
    notifier,
    clock,
    bot,
    conversation: (locale = 'en') => {
      conversations += 1;
      const adapter = new TestAdapter(
        async (turn) => {
          await bot.run(turn);
        },
        { locale },
      );
      // TestAdapter names every conversation "Convo1"; each test needs its own.
      adapter.conversation.conversation = {
        ...adapter.conversation.conversation,
        id: `conv-${conversations}`,
      };
      return adapter;
    },
    close: () => testDb.destroy(),
  };
}
