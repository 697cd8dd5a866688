import type { Knex } from 'knex';
import * as createHandoffTables from './20261123000300_create_handoff_tables';
import * as tagTranscriptLines from './20261202100000_tag_transcript_lines';
import * as addAgentLastSeen from './20261202120000_add_agent_last_seen';
import * as agentMessageKeys from './20261202150000_agent_message_keys';

/** This module's migrations, oldest first. Add each new migration file here. */
export const handoffMigrations: ReadonlyArray<Knex.Migration & { name: string }> = [
  { name: '20261123000300_create_handoff_tables', ...createHandoffTables },
  { name: '20261202100000_tag_transcript_lines', ...tagTranscriptLines },
  { name: '20261202120000_add_agent_last_seen', ...addAgentLastSeen },
  { name: '20261202150000_agent_message_keys', ...agentMessageKeys },
];
