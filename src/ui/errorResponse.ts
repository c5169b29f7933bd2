// What a failure notification says and offers, decided without VS Code so a plain unit test can check it.
import { isAiStudiosError } from '../core';

/** A button an error notification may carry. */
export type ErrorAction = 'setApiKey' | 'selectVoice' | 'openSettings' | 'retry' | 'showLog';

/** The sentence of advice that follows the error's own message. */
export type ErrorAdvice = 'setValidKey' | 'checkLanguage' | 'addCredits' | 'mayPass' | 'seeLog' | 'none';

export interface ErrorResponse {
  advice: ErrorAdvice;
  /** In the order the buttons appear; Show Log always comes last. */
  actions: ErrorAction[];
}

/**
 * The advice and buttons for a failure. Retry is offered only for an error the core marks `retryable`, and only when
 * the caller can run the operation again (`canRetry`): a button that cannot help is worse than none.
 */
export function errorResponse(error: unknown, canRetry: boolean): ErrorResponse {
  const retryable = isAiStudiosError(error) && error.retryable;
  const { advice, action } = adviceFor(error, retryable);
  return {
    advice,
    actions: [...(action ? [action] : []), ...(retryable && canRetry ? ['retry' as const] : []), 'showLog'],
  };
}

/** What the user can do about this kind of failure themselves. */
function adviceFor(error: unknown, retryable: boolean): { advice: ErrorAdvice; action?: ErrorAction } {
  if (!isAiStudiosError(error)) return { advice: 'seeLog' };
  switch (error.kind) {
    case 'auth':
      return { advice: 'setValidKey', action: 'setApiKey' };
    case 'badRequest':
      return { advice: 'checkLanguage', action: 'selectVoice' };
    case 'quota':
      return { advice: 'addCredits' };
    case 'input':
      return { advice: 'none', action: 'openSettings' };
    default:
      return { advice: retryable ? 'mayPass' : 'seeLog' };
  }
}
