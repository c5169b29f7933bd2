// The narration seen in the script itself: for each visible markdown or plain-text editor, the core's script view
// (one parse, one chunking), rebuilt a moment after the writer stops typing, shown as decorations, CodeLens, a status
// bar estimate and duration warnings in the Problems panel. It never changes the document's text. The setting
// `aistudios.editor.showNarration` turns all of it off.
import * as vscode from 'vscode';
import { onDidChangeSettings, readSetting, type AiStudiosConfig } from '../config';
import { Disposable } from '../disposable';
import { buildScriptView, cacheKey, type AudioCache, type ScriptView } from '../core';
import { isMarkdown } from '../generation/scriptText';
import { PREVIEW_SCHEME } from '../contributions';
import type { DurationMemory } from '../timing/durationMemory';
import { NarrationDecorations } from './narrationDecorations';
import { PartCodeLens } from './partCodeLens';
import { NarrationInlayHints, type VoiceNames } from './narrationInlayHints';
import { DurationStatus } from './durationStatus';
import { DurationDiagnostics } from './durationDiagnostics';

/** Documents that are reports, not scripts: the narration preview and output channels. */
const NOT_SCRIPTS = new Set([PREVIEW_SCHEME, 'output']);

/** Wait this long after the last edit before rebuilding (ms): typing never waits for the view. */
export const REBUILD_DELAY_MS = 250;

/** What the view needs from the extension. */
export interface NarrationViewDeps {
  config(scope?: vscode.Uri): AiStudiosConfig;
  durations: DurationMemory;
  audioCache(): AudioCache;
  /** The API's base URL when a key is set (parts are cached per host), else undefined. */
  host(): Promise<string | undefined>;
  log: vscode.LogOutputChannel;
  /** A voice's name for display ("Paige"), and with its id ("Paige (M000045058)"); the id when unknown. */
  voiceLabels?: VoiceNames;
}

/** A document's view, for the version of its text it was built from; `cached` says which parts are in the cache. */
export interface DocumentView {
  uri: vscode.Uri;
  version: number;
  view: ScriptView;
  cached?: boolean[];
}

/** Owns the view of every visible script; tests read `viewOf` and wait on `onDidUpdate`. */
export class NarrationView extends Disposable {
  private readonly views = new Map<string, DocumentView>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Whether a part's audio is in the cache, by cache key: looked up once, forgotten when a take is made. */
  private readonly cachedKeys = new Map<string, boolean>();
  private readonly updated = this.register(new vscode.EventEmitter<DocumentView>());
  /** Fires after a document's view was rebuilt and shown. */
  readonly onDidUpdate: vscode.Event<DocumentView> = this.updated.event;
  private readonly decorations: NarrationDecorations;
  private readonly lenses: PartCodeLens;
  private readonly hints: NarrationInlayHints;
  private readonly status: DurationStatus;
  private readonly diagnostics = this.register(new DurationDiagnostics());
  private enabled: boolean;

  constructor(private readonly deps: NarrationViewDeps) {
    super();
    this.enabled = readSetting('editor.showNarration');
    this.decorations = this.register(new NarrationDecorations());
    this.lenses = this.register(new PartCodeLens((uri) => this.current(uri)));
    this.hints = this.register(new NarrationInlayHints((uri) => this.current(uri), deps.voiceLabels));
    this.status = this.register(new DurationStatus((uri) => this.current(uri), deps));
    this.register(
      vscode.languages.registerCodeLensProvider([{ language: 'markdown' }, { language: 'plaintext' }], this.lenses),
    );
    this.register(
      vscode.languages.registerInlayHintsProvider([{ language: 'markdown' }, { language: 'plaintext' }], this.hints),
    );
    this.register(vscode.window.onDidChangeVisibleTextEditors(() => this.refreshVisible()));
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.isShown(e.document)) this.schedule(e.document);
      }),
    );
    this.register(
      vscode.workspace.onDidCloseTextDocument((document) => {
        const key = document.uri.toString();
        clearTimeout(this.timers.get(key));
        this.timers.delete(key);
        this.views.delete(key);
        this.diagnostics.clear(document.uri);
      }),
    );
    this.register(
      onDidChangeSettings((e) => {
        if (e.affects('editor.showNarration')) {
          this.enabled = readSetting('editor.showNarration');
          if (!this.enabled) this.clearAll();
        }
        this.refreshVisible(true);
      }),
    );
    // A take taught a rate or a real length: every estimate shown may change.
    this.register(
      deps.durations.onDidChange(() => {
        this.cachedKeys.clear();
        this.refreshVisible(true);
      }),
    );
    this.register({ dispose: () => this.timers.forEach((timer) => clearTimeout(timer)) });
    this.refreshVisible();
  }

  /** The view shown for a document, if it is up to date with its text. */
  viewOf(uri: vscode.Uri): DocumentView | undefined {
    return this.views.get(uri.toString());
  }

  /** What the status bar item says now, and the silent ranges a document's editors dim (for tests). */
  get statusText(): string {
    return this.status.text;
  }

  decorationsShown(uri: vscode.Uri): { silent: number } | undefined {
    return this.enabled ? this.decorations.shownIn(uri) : undefined;
  }

  private current(uri: vscode.Uri): DocumentView | undefined {
    return this.enabled ? this.views.get(uri.toString()) : undefined;
  }

  private isShown(document: vscode.TextDocument): boolean {
    return (
      this.enabled &&
      !NOT_SCRIPTS.has(document.uri.scheme) &&
      (document.languageId === 'markdown' || document.languageId === 'plaintext') &&
      vscode.window.visibleTextEditors.some((editor) => editor.document === document)
    );
  }

  /** Builds what is missing or stale for the visible scripts (all of them when `force`), and shows it. */
  private refreshVisible(force = false): void {
    if (!this.enabled || this.isDisposed) return;
    const seen = new Set<string>();
    for (const editor of vscode.window.visibleTextEditors) {
      const document = editor.document;
      const key = document.uri.toString();
      if (seen.has(key) || !this.isShown(document)) continue;
      seen.add(key);
      const existing = this.views.get(key);
      if (!force && existing?.version === document.version) this.show(existing);
      else this.schedule(document, force ? 0 : REBUILD_DELAY_MS);
    }
    this.status.update();
  }

  private schedule(document: vscode.TextDocument, delayMs = REBUILD_DELAY_MS): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.rebuild(document);
      }, delayMs),
    );
  }

  private async rebuild(document: vscode.TextDocument): Promise<void> {
    if (this.isDisposed || !this.isShown(document) || document.isClosed) return;
    const config = this.deps.config(document.uri);
    let view: ScriptView;
    try {
      view = buildScriptView(document.getText(), {
        markdown: isMarkdown(document),
        narration: config.narration,
        voice: config.voice,
        maxCharactersPerRequest: config.maxCharactersPerRequest,
        sectionPauseMs: config.sectionPauseMs,
        rates: this.deps.durations.speechRates,
        realMs: (chunk) => this.deps.durations.realMs(chunk),
      });
    } catch (error) {
      this.deps.log.warn(`Narration view of ${document.uri.toString(true)}: ${String(error)}`);
      return;
    }
    const shown: DocumentView = { uri: document.uri, version: document.version, view };
    this.views.set(document.uri.toString(), shown);
    this.show(shown);
    // Whether each part is cached needs the host and a look at the cache: shown as soon as it is known.
    const cached = await this.cachedParts(view).catch(() => undefined);
    if (cached && this.views.get(document.uri.toString()) === shown && !this.isDisposed) {
      shown.cached = cached;
      this.lenses.refresh();
    }
    if (!this.isDisposed) this.updated.fire(shown);
  }

  private async cachedParts(view: ScriptView): Promise<boolean[] | undefined> {
    const host = await this.deps.host();
    if (host === undefined) return undefined;
    const cache = this.deps.audioCache();
    return Promise.all(
      view.parts.map(async ({ chunk }) => {
        const key = cacheKey({ text: chunk.text, voice: chunk.voice, host });
        let cached = this.cachedKeys.get(key);
        if (cached === undefined) this.cachedKeys.set(key, (cached = await cache.has(key)));
        return cached;
      }),
    );
  }

  private show(shown: DocumentView): void {
    if (!this.enabled) return;
    for (const editor of vscode.window.visibleTextEditors)
      if (editor.document.uri.toString() === shown.uri.toString()) this.decorations.apply(editor, shown.view);
    this.lenses.refresh();
    this.hints.refresh();
    this.diagnostics.show(shown.uri, shown.view, this.documentFor(shown.uri));
    this.status.update();
  }

  private documentFor(uri: vscode.Uri): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  }

  private clearAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.views.clear();
    for (const editor of vscode.window.visibleTextEditors) this.decorations.clear(editor);
    this.diagnostics.clearAll();
    this.lenses.refresh();
    this.hints.refresh();
    this.status.update();
  }
}
