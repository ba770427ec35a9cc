import { pino, type Logger } from 'pino';

/**
 * JSON lines on stdout. Secrets never reach a log line: nothing logs them, and as a second line of
 * defence these paths are censored wherever they appear.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          'secret',
          '*.secret',
          'accessKeySecret',
          '*.accessKeySecret',
          'authorization',
          '*.authorization',
          'pin',
          '*.pin',
        ],
        censor: '[REDACTED]',
      },
    },
    destination as never,
  );
}
