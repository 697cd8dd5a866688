import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stderr, so that CLI output on stdout stays clean. Authorization
 * headers and tokens are redacted wherever they appear.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: 'askdesk' },
      redact: {
        paths: ['req.headers.authorization', '*.token', 'token', '*.authorization'],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}
