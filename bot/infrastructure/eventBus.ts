import type { Knex } from 'knex';
import { InMemoryHandoffEvents, type HandoffEvents, PgHandoffEvents } from '../../handoff';
import type { Logger } from './logger';

export type ClosableEvents = HandoffEvents & { close(): Promise<void> };

/**
 * The handoff event bus: in-process for SQLite (one instance), PostgreSQL LISTEN/NOTIFY when
 * several instances share a PostgreSQL database, so an agent console on instance A hears
 * about a ticket opened on instance B.
 */
export async function createEventBus(
  db: Knex,
  isPostgres: boolean,
  logger: Logger,
): Promise<ClosableEvents> {
  if (isPostgres) return PgHandoffEvents.start(db, logger);
  const bus = new InMemoryHandoffEvents();
  return Object.assign(bus, { close: () => Promise.resolve() });
}
