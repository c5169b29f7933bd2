import * as vscode from 'vscode';
import { ComeBackLaterError, failureMessage, isAiStudiosError, type AiStudiosError } from '../core';

/**
 * The sentence that says what went wrong, in the display language. The core's messages are English (the CLI
 * shows them as they are): under an English display they are shown as they are, being the most precise;
 * under any other language the error's kind (with its HTTP status, wait time and the server's own words)
 * is said in that language, and the core's English sentence goes to the log.
 */
export function describeError(error: unknown, language = vscode.env.language): string {
  if (!(error instanceof Error)) return String(error);
  // failureMessage: the core's sentence (with what its retries cost), or a raw system error put into words.
  if (!isAiStudiosError(error) || isEnglish(language)) return failureMessage(error);
  const said = error.serverMessage ? ` ${vscode.l10n.t('AI Studios says: “{0}”', error.serverMessage)}` : '';
  return localizedKind(error) + said;
}

function isEnglish(language: string): boolean {
  return language === '' || language.toLowerCase().startsWith('en');
}

function localizedKind(error: AiStudiosError): string {
  const status = error.status;
  switch (error.kind) {
    case 'auth':
      return status === undefined
        ? vscode.l10n.t('AI Studios did not accept the API key.')
        : vscode.l10n.t('AI Studios did not accept the API key (HTTP {0}).', status);
    case 'badRequest':
      return status === undefined
        ? vscode.l10n.t('AI Studios refused the request.')
        : vscode.l10n.t('AI Studios refused the request (HTTP {0}).', status);
    case 'quota':
      return vscode.l10n.t('Your AI Studios account has no credits left.');
    case 'rateLimit': {
      const seconds =
        error instanceof ComeBackLaterError && error.retryAfterMs !== undefined
          ? Math.ceil(error.retryAfterMs / 1000)
          : undefined;
      return seconds === undefined
        ? vscode.l10n.t('AI Studios is receiving too many requests.')
        : vscode.l10n.t('AI Studios is receiving too many requests; it asks to wait {0} s.', seconds);
    }
    case 'server':
      return status === undefined
        ? vscode.l10n.t('AI Studios had a server error.')
        : vscode.l10n.t('AI Studios had a server error (HTTP {0}).', status);
    case 'network':
      return vscode.l10n.t('AI Studios could not be reached. Check the internet connection and the proxy settings.');
    case 'timeout':
      return vscode.l10n.t('AI Studios did not answer in time.');
    case 'protocol':
      return vscode.l10n.t('AI Studios sent an answer the extension cannot use.');
    case 'download':
      return vscode.l10n.t('The audio could not be downloaded from AI Studios.');
    case 'cancelled':
      return vscode.l10n.t('The operation was cancelled.');
    case 'audioFormat':
      return vscode.l10n.t('The audio is in a form the extension cannot read or join.');
    case 'cache':
      return vscode.l10n.t('The audio cache could not be used.');
    case 'input':
      return vscode.l10n.t('A setting, the key or the text cannot be used as it is. The log says which.');
    default:
      return vscode.l10n.t('Something went wrong. The log has the details.');
  }
}
