// The words for any failure the user can meet, in one place for the CLI and the extension: the core's own errors
// already speak (their message, plus what the retries cost); raw errors of the system or of Node's HTTP client are
// said as a sentence about the user's situation. The technical detail (codes, system calls, raw messages) is for the
// log only: failureDetail.

import { formatDuration } from './abort';
import { retryHistoryOf } from './api/retry';
import { AudioCacheError, isAiStudiosError } from './errors';
import { connectionProblem, errorCodeOf, fileErrorSentence, fileProblem } from './systemErrors';

/**
 * One or two sentences for the user about any failure: a core error's own message (followed, when it came after
 * retries, by how many tries it took and how long in all), or a raw system or network error put into words.
 * `unexpected` is said for anything else (a bug): pass where the details are, e.g. "Run again with --verbose.".
 */
export function failureMessage(error: unknown, unexpected = 'The log has the details.'): string {
  // A cache write failure keeps the system's raw message in its own; say it in words.
  if (error instanceof AudioCacheError) {
    const problem = fileProblem(errorCodeOf(error.cause));
    return problem ? `The audio cache could not be written: ${problem}.` : error.message;
  }
  if (isAiStudiosError(error)) return withRetries(error.message, error);
  const fileSentence = fileErrorSentence(error);
  if (fileSentence) return fileSentence;
  const network = connectionProblem(errorCodeOf(error));
  if (network) return `The network connection failed: ${network}.`;
  return `Something unexpected went wrong. ${unexpected}`;
}

/**
 * The technical side of a failure, for the log (never for a message): its name, code, system call and raw message,
 * and the same for its cause. Contains paths and server text: pass it through a redacting logger.
 */
export function failureDetail(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 3; depth++) {
    if (typeof current !== 'object') {
      parts.push(String(current));
      break;
    }
    const e = current as { name?: unknown; code?: unknown; syscall?: unknown; message?: unknown; cause?: unknown };
    const facts = [
      typeof e.name === 'string' ? e.name : undefined,
      typeof e.code === 'string' ? `code ${e.code}` : undefined,
      typeof e.syscall === 'string' ? `syscall ${e.syscall}` : undefined,
    ].filter(Boolean);
    const message = typeof e.message === 'string' && e.message !== '' ? `: ${e.message}` : '';
    parts.push(`${facts.join(', ')}${message}`);
    current = e.cause;
  }
  return parts.join(' ← caused by ');
}

/** "… Gave up after 2 tries in 2 min." when the failure came after retries. */
function withRetries(message: string, error: object): string {
  const history = retryHistoryOf(error);
  if (!history || history.attempts < 2) return message;
  const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
  return `${sentence} Gave up after ${history.attempts} tries in ${formatDuration(history.elapsedMs)}.`;
}
