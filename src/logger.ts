import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

// Secrets travel in these members when a caller logs a request or an error object;
// pino removes them before the line is written, as a second line of defence: the
// code itself never logs a key, a token or an imported value.
const REDACTED_PATHS = [
  'authorization',
  'apiKey',
  'token',
  'secret',
  'password',
  '*.authorization',
  '*.apiKey',
  '*.token',
  '*.secret',
  'headers["x-api-key"]',
  'headers.authorization',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kaifang' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
