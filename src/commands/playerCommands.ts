import * as vscode from 'vscode';
import { PlayerPanel } from '../player/playerPanel';
import { audioExtensions, fileNameOf, takeForFile, type Take } from '../player/take';
import type { CommandDeps } from './commandDeps';

/** Registers the player's commands and the serializer that restores the panel after a reload. */
export function registerPlayerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('aistudios.openPlayer', (uri?: unknown) => openPlayer(deps, uri)),
    vscode.commands.registerCommand('aistudios.playFromCursor', () => playFromCursor(deps)),
    vscode.window.registerWebviewPanelSerializer(PlayerPanel.viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        await deps.player.revive(panel, state);
      },
    }),
  ];
}

/** What the walkthrough's "Play It" link passes to aistudios.openPlayer. */
export interface OpenPlayerOptions {
  /** Play the newest take of this window (without one, the dialog asks for a file as from the palette). */
  latest?: boolean;
}

/**
 * Opens an audio file in the player: the explorer passes its URI, the walkthrough `{ latest: true }`, the palette asks
 * with a dialog.
 */
async function openPlayer(deps: CommandDeps, arg: unknown): Promise<PlayerPanel | undefined> {
  const ui = deps.ui.current;
  const latest = isLatestRequest(arg) ? deps.takes.list()[0] : undefined;
  if (latest) {
    deps.log.info(`Player: opening the latest take, ${fileNameOf(latest.audioUri)}.`);
    return deps.player.show(latest, { autoPlay: true });
  }
  const uri = arg instanceof vscode.Uri ? arg : await pickAudioFile(deps);
  if (!uri) return undefined;
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    void ui.showMessage('error', vscode.l10n.t('The audio file {0} does not exist.', fileNameOf(uri)), {});
    return undefined;
  }
  if (stat.type & vscode.FileType.Directory) {
    void ui.showMessage('error', vscode.l10n.t('{0} is a folder, not an audio file.', fileNameOf(uri)), {});
    return undefined;
  }
  // A file generated in this window keeps its model, script and sections.
  const take: Take = deps.takes.latestWithAudio(uri) ?? takeForFile(uri, stat);
  deps.log.info(`Player: opening ${fileNameOf(uri)}.`);
  return deps.player.show(take, { autoPlay: true });
}

function isLatestRequest(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && (arg as OpenPlayerOptions).latest === true;
}

async function pickAudioFile(deps: CommandDeps): Promise<vscode.Uri | undefined> {
  const picked = await deps.ui.current.showOpenDialog({
    canSelectMany: false,
    canSelectFiles: true,
    canSelectFolders: false,
    openLabel: vscode.l10n.t('Open in Player'),
    title: vscode.l10n.t('Open an Audio File'),
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { [vscode.l10n.t('Audio')]: [...audioExtensions] },
  });
  return picked?.[0];
}

/** The chunk whose source lines hold `line`, else the last one starting before it, else the first. */
export function chunkIndexForLine(take: Take, documentUri: vscode.Uri, line: number): number {
  const key = documentUri.toString();
  const candidates = take.chunks.flatMap((chunk, index) =>
    chunk.startLine !== undefined && (chunk.sourceUri ?? take.sourceUri?.toString()) === key
      ? [{ index, start: chunk.startLine, end: chunk.endLine ?? chunk.startLine }]
      : [],
  );
  const containing = candidates.find(({ start, end }) => start <= line && line <= end);
  if (containing) return containing.index;
  const before = candidates.filter(({ start }) => start <= line).pop();
  return before?.index ?? 0;
}

/** Plays the active script's last take from the chunk under the cursor. */
async function playFromCursor(deps: CommandDeps): Promise<PlayerPanel | undefined> {
  const ui = deps.ui.current;
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void ui.showMessage('info', vscode.l10n.t('Open a narration script to play it from the cursor.'), {});
    return undefined;
  }
  const line = editor.selection.active.line;
  // The newest take that covers the cursor's line (a selection's take may not), else the newest of the script.
  const take = deps.takes.latestCovering(editor.document.uri, line) ?? deps.takes.latestFor(editor.document.uri);
  if (!take) {
    void ui.showMessage(
      'info',
      vscode.l10n.t('There is no take for {0} yet. Generate audio from it first.', fileNameOf(editor.document.uri)),
      {},
    );
    return undefined;
  }
  const startChunk = chunkIndexForLine(take, editor.document.uri, line);
  return deps.player.show(take, { autoPlay: true, startChunk });
}
