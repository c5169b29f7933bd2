import * as vscode from 'vscode';
import * as path from 'path';
import {
  chunkNarration,
  formatPreview,
  previewEntries,
  cachedChunks,
  silentEntries,
  type PreviewLabels,
  type SilenceReason,
} from '../core';
import { documentScript } from '../generation/scriptText';
import type { CommandDeps } from './commandDeps';

import { PREVIEW_SCHEME as SCHEME } from '../generation/generationRunner';

/** aistudios.previewNarration: a read-only side document with exactly the text that would be sent, chunk by chunk. */
export function registerPreviewCommand(deps: CommandDeps): vscode.Disposable[] {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const pending = new Map<string, NodeJS.Timeout>();
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    provideTextDocumentContent: (uri) => renderPreview(deps, vscode.Uri.parse(uri.query)),
  };
  const previewUriFor = (source: vscode.Uri) =>
    vscode.Uri.from({
      scheme: SCHEME,
      path: `/${path.posix.basename(source.path)} (narration)`,
      query: source.toString(),
    });
  return [
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    // Keep an open preview in step with the script as the writer edits it; debounced, since a long script takes a moment to narrate.
    vscode.workspace.onDidChangeTextDocument((e) => {
      const preview = previewUriFor(e.document.uri);
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === preview.toString())) return;
      clearTimeout(pending.get(preview.toString()));
      pending.set(
        preview.toString(),
        setTimeout(() => changed.fire(preview), 400),
      );
    }),
    { dispose: () => pending.forEach((timer) => clearTimeout(timer)) },
    vscode.commands.registerCommand('aistudios.previewNarration', async (uri?: vscode.Uri) => {
      const source = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!source || source.scheme === SCHEME) {
        void deps.ui.current.showMessage('info', vscode.l10n.t('Open a markdown script first.'), {});
        return undefined;
      }
      const document = await vscode.workspace.openTextDocument(previewUriFor(source));
      await vscode.window.showTextDocument(document, {
        viewColumn: vscode.ViewColumn.Beside,
        preview: true,
        preserveFocus: true,
      });
      return document;
    }),
  ];
}

async function renderPreview(deps: CommandDeps, source: vscode.Uri): Promise<string> {
  const document = await vscode.workspace.openTextDocument(source);
  const config = deps.config(source);
  const { narration } = documentScript(document, config.narration);
  const chunks = chunkNarration(narration, config.maxCharactersPerRequest, config.voice);
  let cached: boolean[] | undefined;
  const api = await deps.clients.get().catch(() => undefined);
  if (api) {
    try {
      cached = await cachedChunks({ chunks, host: api.baseUrl }, deps.audioCache());
    } catch {
      cached = undefined; // the preview is still useful without cache status
    }
  }
  const text = document.getText();
  return formatPreview(
    path.posix.basename(source.path),
    previewEntries(chunks, text, cached),
    config.maxCharactersPerRequest,
    config.voice,
    silentEntries(narration.silences, text),
    previewLabels(),
  );
}

/** The preview's words in the display language. */
function previewLabels(): PreviewLabels {
  const count = (n: number) => n.toLocaleString(vscode.env.language);
  const characters = (n: number) =>
    n === 1 ? vscode.l10n.t('1 character') : vscode.l10n.t('{0} characters', count(n));
  const reasons: Record<SilenceReason, string> = {
    'front matter': vscode.l10n.t('front matter'),
    'code block': vscode.l10n.t('code block'),
    'indented code': vscode.l10n.t('indented code'),
    math: vscode.l10n.t('math'),
    table: vscode.l10n.t('table'),
    comment: vscode.l10n.t('comment'),
    'note line': vscode.l10n.t('note line'),
    footnote: vscode.l10n.t('footnote'),
    'link definition': vscode.l10n.t('link definition'),
    image: vscode.l10n.t('image'),
    embed: vscode.l10n.t('embed'),
    'HTML markup': vscode.l10n.t('HTML markup'),
  };
  return {
    header: (sourceName, requests, total, limit) =>
      vscode.l10n.t(
        'Narration of {0}: {1}, {2} (at most {3} per request).',
        sourceName,
        requests === 1 ? vscode.l10n.t('1 request') : vscode.l10n.t('{0} requests', count(requests)),
        characters(total),
        count(limit),
      ),
    voice: (model, language) => vscode.l10n.t('Voice {0}, language {1}.', model, language),
    cachedCount: (cached, total) =>
      vscode.l10n.t('{0} of {1} already cached: they cost nothing to regenerate.', cached, total),
    part: (number, total, flags) => vscode.l10n.t('Part {0} of {1} · {2}', number, total, flags),
    silent: (where, reason) => vscode.l10n.t('Silent · {0} · {1}', where, reasons[reason] ?? reason),
    characters,
    line: (line) => vscode.l10n.t('line {0}', line),
    lines: (start, end) => vscode.l10n.t('lines {0}–{1}', start, end),
    cached: vscode.l10n.t('cached'),
    new: vscode.l10n.t('new'),
  };
}
