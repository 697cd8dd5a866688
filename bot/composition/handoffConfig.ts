import fs from 'node:fs';
import {
  resolveHandoffSettings,
  type HandoffSettings,
  type HandoffSettingsInput,
} from '../../handoff';
import type { Config } from './config';

/**
 * Handoff settings: the JSON file named by HANDOFF_SETTINGS_FILE (queues, business hours,
 * holidays, SLAs…), then the single-value env vars on top. Errors name the file and the path.
 */
export function handoffSettingsFrom(config: Config): HandoffSettings {
  let fromFile: HandoffSettingsInput = {};
  if (config.HANDOFF_SETTINGS_FILE) {
    try {
      fromFile = JSON.parse(
        fs.readFileSync(config.HANDOFF_SETTINGS_FILE, 'utf8'),
      ) as HandoffSettingsInput;
    } catch (err) {
      throw new Error(
        `HANDOFF_SETTINGS_FILE ${config.HANDOFF_SETTINGS_FILE}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  try {
    return resolveHandoffSettings({
      ...fromFile,
      missLimit: config.HANDOFF_MISS_LIMIT,
      ...(config.HANDOFF_AUTO_ASSIGN !== undefined && { autoAssign: config.HANDOFF_AUTO_ASSIGN }),
      ...(config.HANDOFF_AGENT_REPLY_TIMEOUT_MINUTES !== undefined && {
        agentReplyTimeoutMinutes: config.HANDOFF_AGENT_REPLY_TIMEOUT_MINUTES,
      }),
      ...(config.HANDOFF_PROMISED_RESPONSE_HOURS !== undefined && {
        promisedResponseHours: config.HANDOFF_PROMISED_RESPONSE_HOURS,
      }),
    });
  } catch (err) {
    const where = config.HANDOFF_SETTINGS_FILE ?? 'handoff settings';
    throw new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
