import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stderr (one object per line, ISO timestamps), so that CLI output on
 * stdout stays clean. Authorization headers and tokens are redacted wherever they appear.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: 'askdesk' },
      // "time":"2026-12-02T14:41:36.123Z" rather than epoch milliseconds.
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['req.headers.authorization', '*.token', 'token', '*.authorization'],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}
