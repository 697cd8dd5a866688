import path from 'node:path';
import pino from 'pino';
import { createHttpEdge } from '../../../../bot/infrastructure/httpEdge';
import { ActivityHandler, MessageFactory } from 'botbuilder';
import {
  registerDirectLine,
  type DirectLineChannel,
} from '../../../../bot/adapters/directline/registerDirectLine';
import type { TurnRunner } from '../../../../bot/adapters/directline/directLineService';
import { createTestDb, type Dialect, type TestDb } from '../../../helpers/testDb';

/** Replies twice to every message, so tests can check order; greets whoever joins. */
export class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const text = context.activity.text ?? '';
      await context.sendActivity(MessageFactory.text(`echo: ${text}`));
      await context.sendActivity(
        MessageFactory.text(`second: ${text} (${context.activity.locale ?? '-'})`),
      );
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const joined = (context.activity.membersAdded ?? []).filter(
        (m) => m.id !== context.activity.recipient.id,
      );
      if (joined.length > 0)
        await context.sendActivity(`welcome (${context.activity.locale ?? '-'})`);
      await next();
    });
  }
}

export interface DirectLineTestServer {
  url: string;
  db: TestDb;
  channel: DirectLineChannel;
  /** Shifts the server's clock, e.g. past token expiry. */
  clock: { offsetMs: number };
  close(): Promise<void>;
}

/** A real restify server on port 0 with only the Direct Line endpoint and the given bot. */
export async function startDirectLineTestServer(
  bot: TurnRunner = new EchoBot(),
  options: { secret?: string; tokenTtlSeconds?: number; dialect?: Dialect } = {},
): Promise<DirectLineTestServer> {
  const db = await createTestDb(options.dialect ?? 'sqlite');
  const server = createHttpEdge({ logger: pino({ level: 'silent' }), maxBodyBytes: 1024 * 1024 });
  const clock = { offsetMs: 0 };
  const channel = registerDirectLine(server, {
    db: db.db,
    bot,
    logger: pino({ level: 'silent' }),
    webDir: path.resolve(__dirname, '../../../../dist/web'),
    tokenTtlSeconds: options.tokenTtlSeconds ?? 1800,
    locales: ['en', 'he', 'ro', 'hu'],
    secret: options.secret,
    now: () => new Date(Date.now() + clock.offsetMs),
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    channel,
    clock,
    close: async () => {
      await channel.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      await db.destroy();
    },
  };
}
