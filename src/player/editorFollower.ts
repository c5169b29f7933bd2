import * as vscode from 'vscode';
import type { Take } from './take';
import { readSetting } from '../config';
import { Disposable } from '../disposable';

/** Where the playing chunk came from in its script. */
interface FollowedLines {
  uri: string;
  startLine: number;
  endLine: number;
}

/** The source lines of a take's chunk, if the chunk knows them. */
export function linesOfChunk(take: Take, chunkIndex: number): FollowedLines | undefined {
  const chunk = take.chunks[chunkIndex];
  const uri = chunk?.sourceUri ?? take.sourceUri?.toString();
  if (!chunk || uri === undefined || chunk.startLine === undefined) return undefined;
  return { uri, startLine: chunk.startLine, endLine: chunk.endLine ?? chunk.startLine };
}

/**
 * Highlights the source lines of the playing chunk in the editors showing its script, and scrolls them
 * into view. It never opens an editor by itself: following must not steal the user's layout.
 */
export class EditorFollower extends Disposable {
  private readonly decoration = this.register(
    vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
      borderColor: new vscode.ThemeColor('editor.rangeHighlightBorder'),
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.rangeHighlightForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Full,
    }),
  );
  private followed: FollowedLines | undefined;

  constructor() {
    super();
    // An editor opened on the script later picks the highlight up.
    this.register(vscode.window.onDidChangeVisibleTextEditors(() => this.apply(false)));
  }

  /** Follows a take's chunk (-1 or a chunk without lines clears the highlight). */
  follow(take: Take, chunkIndex: number, reveal: boolean): void {
    // Read each time, so a change of the setting applies at once.
    if (!readSetting('player.followInEditor')) {
      this.clear();
      return;
    }
    this.followed = linesOfChunk(take, chunkIndex);
    this.apply(reveal);
  }

  clear(): void {
    this.followed = undefined;
    this.apply(false);
  }

  /** The highlighted lines, for tests. */
  get current(): Readonly<FollowedLines> | undefined {
    return this.followed;
  }

  private apply(reveal: boolean): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const followed = this.followed;
      if (!followed || editor.document.uri.toString() !== followed.uri) {
        editor.setDecorations(this.decoration, []);
        continue;
      }
      const last = editor.document.lineCount - 1;
      const start = Math.min(Math.max(followed.startLine, 0), last);
      const end = Math.min(Math.max(followed.endLine, start), last);
      const range = new vscode.Range(start, 0, end, editor.document.lineAt(end).text.length);
      editor.setDecorations(this.decoration, [range]);
      if (reveal) editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  }

  override dispose(): void {
    // Take the highlight off the editors while its decoration type still exists.
    if (!this.isDisposed) this.clear();
    super.dispose();
  }
}
