// A minimal logging interface the shell backs with a LogOutputChannel and the CLI with stderr.
// Everything the core logs goes through a redacting wrapper, so a key can never reach a log line.

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export type LogLevel = keyof Logger;

const noop = (): void => undefined;

/** A logger that drops everything. */
export const silentLogger: Logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop };

const REDACTED = '[redacted]';
const MIN_SECRET_LENGTH = 4;

/** Replaces each non-empty secret (length >= 4) in text with '[redacted]', also in URL- and JSON-escaped form. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a secret that contains another is replaced whole.
  let result = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    if (form.length >= MIN_SECRET_LENGTH) result = result.split(form).join(REDACTED);
  }
  return result;
}

/** Wraps a logger so every line has the current secrets removed before it is written. */
export function createRedactingLogger(inner: Logger, secrets: () => readonly string[]): Logger {
  const wrap =
    (level: LogLevel) =>
    (message: string): void => {
      inner[level](redactSecrets(String(message), secrets()));
    };
  return { trace: wrap('trace'), debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}

/** A logger that keeps its lines in memory (tests, and the CLI's --verbose summary). */
export class MemoryLogger implements Logger {
  readonly lines: { level: LogLevel; message: string }[] = [];
  trace(message: string): void {
    this.lines.push({ level: 'trace', message });
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  /** All lines as text, one per line, prefixed with their level. */
  text(): string {
    return this.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
  }
}
