import * as vscode from 'vscode';
import * as path from 'path';
import {
  chunkNarration,
  formatPreview,
  pauseEntries,
  previewEntries,
  previewReading,
  cachedChunks,
  silentEntries,
} from '../core';
import { documentScript } from '../generation/scriptText';
import type { CommandDeps } from './commandDeps';
import { previewLabels } from './previewLabels';

import { PREVIEW_SCHEME as SCHEME } from '../generation/generationRunner';
import { PREVIEW_LANGUAGE } from '../contributions';

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
      // Its own language, so that the long lines of a part wrap (configurationDefaults in package.json).
      const document = await vscode.languages.setTextDocumentLanguage(
        await vscode.workspace.openTextDocument(previewUriFor(source)),
        PREVIEW_LANGUAGE,
      );
      await vscode.window.showTextDocument(document, {
        viewColumn: vscode.ViewColumn.Beside,
        preview: true,
        preserveFocus: true,
      });
      return document;
    }),
  ];
}

/** The preview of `source` (a preview URI carries its script in the query). */
export async function renderPreview(deps: CommandDeps, source: vscode.Uri): Promise<string> {
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
    { reading: previewReading(narration, text), pauses: pauseEntries(chunks, text) },
  );
}
