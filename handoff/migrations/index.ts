import type { Knex } from 'knex';

/** This module's migrations, oldest first. Add each new migration file here. */
export const handoffMigrations: ReadonlyArray<Knex.Migration & { name: string }> = [];
