import * as vscode from 'vscode';
import { readSetting } from '../config';
import { Disposable } from '../disposable';
import { isPlayerState } from '../shared/playerProtocol';
import { PlayerPanel, requestFor, titleFor, type PlayerDeps, type ShowOptions, type StreamPlan } from './playerPanel';
import * as path from 'path';
import { removeStaleStreamFolders, type PlayerStream } from './playerStream';
import { takeFromRecord, type Take } from './take';

/**
 * The window's one player, created by activate() and handed to the commands: shows takes in its panel, creating the
 * panel only when none is open (reveal-or-create), and brings it back after a reload through the serializer.
 */
export class Player extends Disposable {
  private panel: PlayerPanel | undefined;
  private lastStream: PlayerStream | undefined;
  private staleFoldersRemoved = false;
  private readonly playbackStarted: vscode.EventEmitter<Take>;
  /** Fires when the page starts playing a take (its audio plays: heard, not only asked for), in any panel. */
  readonly onDidStartPlayback: vscode.Event<Take>;

  constructor(private readonly deps: PlayerDeps) {
    super();
    this.register({ dispose: () => this.panel?.dispose() });
    this.playbackStarted = this.register(new vscode.EventEmitter<Take>());
    this.onDidStartPlayback = this.playbackStarted.event;
  }

  /** The open panel, if any (one the user closed is gone). */
  get current(): PlayerPanel | undefined {
    return this.panel?.isDisposed ? undefined : this.panel;
  }

  /** Shows a take in the player, creating the panel only when none exists. */
  show(take: Take, options: ShowOptions = {}): PlayerPanel {
    this.remember(take);
    const existing = this.current;
    if (existing) {
      existing.panel.reveal(existing.panel.visible ? existing.panel.viewColumn : vscode.ViewColumn.Beside, true);
      existing.setTake(take, options);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      PlayerPanel.viewType,
      titleFor(take),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [] },
    );
    return this.adopt(new PlayerPanel(this.deps, panel, take, requestFor(take, options)));
  }

  /**
   * After a generation: opens and plays the take when `aistudios.player.autoPlay` is on. A take the panel already
   * shows (its stream switched to it) goes on playing where it is.
   */
  showAfterGeneration(take: Take): PlayerPanel | undefined {
    this.remember(take);
    if (!readSetting('player.autoPlay')) return undefined;
    const existing = this.current;
    if (existing?.currentTake.id === take.id) return existing;
    // The writer closed the player while this script's parts played: don't open it again.
    const dismissed =
      this.lastStream?.dismissed && this.lastStream.take.sourceUri?.toString() === take.sourceUri?.toString();
    this.lastStream = undefined;
    if (dismissed) return undefined;
    return this.show(take, { autoPlay: true });
  }

  /**
   * When a generation starts and `aistudios.player.autoPlay` is on: plays its parts as they arrive, in the open panel
   * or a new one. Undefined when autoPlay is off.
   */
  startStream(plan: StreamPlan): PlayerStream | undefined {
    if (!readSetting('player.autoPlay')) return undefined;
    if (!this.staleFoldersRemoved) {
      this.staleFoldersRemoved = true;
      void removeStaleStreamFolders(path.dirname(plan.folder));
    }
    let target = this.current;
    if (target) {
      target.panel.reveal(target.panel.visible ? target.panel.viewColumn : vscode.ViewColumn.Beside, true);
    } else {
      const panel = vscode.window.createWebviewPanel(
        PlayerPanel.viewType,
        titleFor(plan.take),
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [] },
      );
      target = this.adopt(new PlayerPanel(this.deps, panel, plan.take, undefined));
    }
    this.lastStream = target.beginStream(plan);
    return this.lastStream;
  }

  /** Brings the panel back after a window reload, from the state the webview saved (untrusted: re-validated). */
  async revive(panel: vscode.WebviewPanel, state: unknown): Promise<PlayerPanel | undefined> {
    const { log, takes } = this.deps;
    if (!isPlayerState(state)) {
      log.warn('Player: the saved state is not valid; closing the restored panel.');
      panel.dispose();
      return undefined;
    }
    const revived = (await Promise.all(state.takes.map(takeFromRecord))).filter((t): t is Take => t !== undefined);
    // Oldest first, so the newest ends up first in the history.
    for (const take of [...revived].reverse()) this.remember(take);
    const current = revived.find((t) => t.id === state.currentTakeId) ?? revived[0];
    if (!current || this.current) {
      log.info(
        current
          ? 'Player: a player is already open; closing the restored one.'
          : 'Player: none of the restored takes exists any more.',
      );
      panel.dispose();
      return undefined;
    }
    log.info(`Player: restored with ${revived.length} of ${state.takes.length} takes.`);
    const take = takes.get(current.id) ?? current;
    return this.adopt(
      new PlayerPanel(this.deps, panel, take, { autoPlay: false, startMs: state.positionMs }, state.playbackRate),
    );
  }

  private remember(take: Take): void {
    if (!this.deps.takes.get(take.id)) this.deps.takes.add(take);
  }

  private adopt(panel: PlayerPanel): PlayerPanel {
    this.panel = panel;
    // The listener goes with the panel's own emitter when the panel closes.
    panel.onDidReceiveMessage((message) => {
      if (message.type === 'playbackStarted' && message.takeId === panel.currentTake.id)
        this.playbackStarted.fire(panel.currentTake);
    });
    return panel;
  }
}
