import type {
  CustomerNotice,
  CustomerNotifier,
  NoticeTarget,
  Principal,
} from '../../handoff/types';
import { createHandoff, type HandoffModule } from '../../handoff/createHandoff';
import {
  resolveHandoffSettings,
  type HandoffSettingsInput,
} from '../../handoff/service/handoffSettings';
import { HandoffWorker } from '../../handoff/worker/handoffWorker';
import { InMemoryHandoffEvents } from '../../handoff/events/handoffEvents';
import { createTestDb, type Dialect, type TestDb } from '../helpers/testDb';
import type { OpenTicketInput } from '../../handoff/service/handoffService';

/** A clock that only moves when told to. */
export class FakeClock {
  private t: number;
  constructor(start = '2026-11-23T10:00:00.000Z') {
    this.t = Date.parse(start);
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000);
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}

/** Records every notice; `failing = true` makes notify reject (the customer's channel is down). */
export class RecordingNotifier implements CustomerNotifier {
  readonly sent: { target: NoticeTarget; notice: CustomerNotice }[] = [];
  failing = false;
  attempts = 0;
  /** Real milliseconds each notify takes (a slow channel). */
  delayMs = 0;
  async notify(target: NoticeTarget, notice: CustomerNotice): Promise<void> {
    this.attempts += 1;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failing) throw new Error('channel down');
    this.sent.push({ target, notice });
  }
  kinds(conversationId?: string): string[] {
    return this.sent
      .filter((s) => !conversationId || s.target.conversationId === conversationId)
      .map((s) => s.notice.kind);
  }
}

export interface Harness extends HandoffModule {
  testDb: TestDb;
  clock: FakeClock;
  notifier: RecordingNotifier;
  events: InMemoryHandoffEvents;
  worker: HandoffWorker;
  close(): Promise<void>;
}

export async function createHarness(
  dialect: Dialect,
  settings: HandoffSettingsInput = {},
  existing?: TestDb,
  redact?: (text: string) => string,
): Promise<Harness> {
  const testDb = existing ?? (await createTestDb(dialect));
  const clock = new FakeClock();
  const notifier = new RecordingNotifier();
  const events = new InMemoryHandoffEvents();
  const module = createHandoff({
    db: testDb.db,
    notifier,
    clock,
    events,
    settings: resolveHandoffSettings(settings),
    ...(redact ? { redact } : {}),
  });
  return {
    ...module,
    testDb,
    clock,
    notifier,
    events,
    worker: new HandoffWorker(module.context),
    close: async () => {
      await module.context.outbox.settled();
      await testDb.destroy();
    },
  };
}

export const alice: Principal = { id: 'u-alice', name: 'Alice', role: 'agent' };
export const bob: Principal = { id: 'u-bob', name: 'Bob', role: 'agent' };
export const carol: Principal = { id: 'u-carol', name: 'Carol', role: 'agent' };
export const sam: Principal = { id: 'u-sam', name: 'Sam', role: 'supervisor' };

export const openInput = (
  conversationId: string,
  extra: Partial<OpenTicketInput> = {},
): OpenTicketInput => ({
  conversationId,
  conversationRef: { conversation: { id: conversationId }, channelId: 'test' },
  reason: 'requested',
  locale: 'en',
  question: `help me (${conversationId})`,
  candidates: [{ id: 'reset-password', question: 'How do I reset my password?', confidence: 0.41 }],
  ...extra,
});

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
