import type { Knex } from 'knex';
import * as createHandoffTables from './20261123000300_create_handoff_tables';

/** This module's migrations, oldest first. Add each new migration file here. */
export const handoffMigrations: ReadonlyArray<Knex.Migration & { name: string }> = [
  { name: '20261123000300_create_handoff_tables', ...createHandoffTables },
];
