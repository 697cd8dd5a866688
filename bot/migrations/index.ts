import type { Knex } from 'knex';
import * as users from './20261123000000_users';
import * as botState from './20261123000001_bot_state';
import * as directLine from './20261123001000_create_directline';
import * as activityClaims from './20261202000000_activity_claims';

/** This module's migrations, oldest first. Add each new migration file here. */
export const botMigrations: ReadonlyArray<Knex.Migration & { name: string }> = [
  { name: '20261123000000_users', ...users },
  { name: '20261123000001_bot_state', ...botState },
  { name: '20261123001000_create_directline', ...directLine },
  { name: '20261202000000_activity_claims', ...activityClaims },
];
