import type { Knex } from 'knex';
import * as createKbTables from './20261123000100_create_kb_tables';
import * as createKbUnanswered from './20261123002000_create_kb_unanswered';
import * as createKbGolden from './20261123003000_create_kb_golden';
import * as createKbSynonymVersions from './20261123004000_create_kb_synonym_versions';

/** This module's migrations, oldest first. Add each new migration file here. */
export const knowledgeMigrations: ReadonlyArray<Knex.Migration & { name: string }> = [
  { name: '20261123000100_create_kb_tables', up: createKbTables.up, down: createKbTables.down },
  {
    name: '20261123002000_create_kb_unanswered',
    up: createKbUnanswered.up,
    down: createKbUnanswered.down,
  },
  { name: '20261123003000_create_kb_golden', up: createKbGolden.up, down: createKbGolden.down },
  {
    name: '20261123004000_create_kb_synonym_versions',
    up: createKbSynonymVersions.up,
    down: createKbSynonymVersions.down,
  },
];
