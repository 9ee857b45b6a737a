/** One structured logger interface for the host: constant messages, identifiers in `meta`. */
import pino from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, meta?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** @default 'info' */
  level?: LogLevel;
  /** `json` writes pino's JSON lines; `pretty` writes one readable line per record. @default 'pretty' */
  format?: 'json' | 'pretty';
  /** Where lines go. @default process.stdout */
  stream?: NodeJS.WritableStream;
}

const levelNumbers: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/**
 * pino does the level filtering, serialisation of errors and JSON encoding; the pretty
 * mode only re-renders each JSON record as `time level message key=value`, so a person
 * running `aos start` reads lines, and a machine can ask for JSON.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const out = options.stream ?? process.stdout;
  const destination =
    options.format === 'json'
      ? out
      : {
          write(line: string): void {
            out.write(renderPretty(line));
          },
        };
  const root = pino(
    { level: options.level ?? 'info', base: undefined, timestamp: pino.stdTimeFunctions.isoTime },
    destination as pino.DestinationStream,
  );
  return wrap(root);
}

function wrap(p: pino.Logger): Logger {
  return {
    log(level, message, meta) {
      if (meta) p[level](meta, message);
      else p[level](message);
    },
    child(bindings) {
      return wrap(p.child(bindings));
    },
  };
}

function renderPretty(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, ...rest } = record;
  const levelName = typeof level === 'number' ? (levelNumbers[level] ?? String(level)) : String(level);
  const clock = typeof time === 'string' ? time.slice(11, 23) : '';
  const pairs = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${clock} ${levelName.padEnd(5)} ${String(msg ?? '')}${pairs ? ` ${pairs}` : ''}\n`;
}

/** A logger that drops everything; for unit tests that do not look at logs. */
export const silentLogger: Logger = {
  log() {},
  child() {
    return silentLogger;
  },
};
