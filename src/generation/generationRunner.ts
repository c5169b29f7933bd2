import * as vscode from 'vscode';
import { promises as fs } from 'fs';
import * as path from 'path';
import { chunkNarration, type Chunk } from '../core/chunker';
import { expandFileNameTemplate } from '../core/outputName';
import { groupBySection, renderPieces, type RenderedFile } from '../core/render';
import { sectionBaseName } from '../core/sectionNames';
import { ChunkFailure, synthesizeChunks } from '../core/synthesis';
import type { Take, TakeChunk } from '../player/take';
import { PlayerPanel } from '../player/playerPanel';
import type { CommandDeps } from '../commands/commandDeps';
import { abortSignalFor } from '../cancellation';
import { presentError, requireClient } from '../ui/errorPresenter';
import type { ScriptText } from './scriptText';
import { placeInWorkspace, uriExists } from './workspacePlacement';

export interface GenerationJob {
  document: vscode.TextDocument;
  script: ScriptText;
  /** A whole document may also be split into one file per section. */
  kind: 'selection' | 'document';
}

/** Runs generations: one per document at a time, with progress, cancel, cache, placement and the follow-up actions. */
export class GenerationRunner {
  private readonly running = new Set<string>();

  constructor(private readonly deps: CommandDeps) {}

  /** The audio files written (the joined file first), or undefined when nothing was made. */
  async run(job: GenerationJob): Promise<vscode.Uri[] | undefined> {
    const { document } = job;
    const sourceName = path.posix.basename(document.uri.path);
    const ui = this.deps.ui.current;
    if (job.script.narration.blocks.length === 0) {
      void ui.showMessage('info', job.kind === 'selection' ? vscode.l10n.t('There is nothing to speak in the selection.') : vscode.l10n.t('There is nothing to speak in {0}.', sourceName), {});
      return undefined;
    }
    const lockKey = document.uri.toString();
    if (this.running.has(lockKey)) {
      void ui.showMessage('info', vscode.l10n.t('Audio for {0} is already being generated. Wait for it to finish, or cancel it first.', sourceName), {});
      return undefined;
    }
    this.running.add(lockKey);
    try {
      return await this.runLocked(job, sourceName);
    } finally {
      this.running.delete(lockKey);
    }
  }

  private async runLocked(job: GenerationJob, sourceName: string): Promise<vscode.Uri[] | undefined> {
    const { document } = job;
    const config = this.deps.config(document.uri);
    const api = await requireClient(this.deps);
    if (!api) return undefined;
    const target = await this.chooseTarget(job, config);
    if (!target) return undefined;

    const chunks = chunkNarration(job.script.narration, config.maxCharactersPerRequest);
    const logger = this.deps.clients.logger;
    const displayName = `${target.baseName}.mp3`;
    const started = Date.now();
    logger.info(`Generating ${displayName} from ${sourceName}: ${chunks.length} part(s), ${job.script.narration.text.length} characters, model ${config.model}, language ${config.language}.`);
    const temps: string[] = [];
    try {
      const result = await this.deps.ui.current.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('AI Studios: {0}', displayName), cancellable: true },
        async (progress, token) => {
          const signal = abortSignalFor(token);
          const cache = this.deps.audioCache();
          const workDirectory = await fs.mkdtemp(path.join(await cache.stagingDirectory(), 'run-'));
          temps.push(workDirectory);
          let reported = 0;
          const pieces = await synthesizeChunks(
            { chunks, model: config.model, language: config.language, region: api.baseUrl },
            {
              client: api.client,
              cache,
              concurrency: config.concurrency,
              logger,
              workDirectory,
              signal,
              onProgress: ({ done, total, fromCache }) => {
                const increment = ((done - reported) / Math.max(total, 1)) * 90;
                reported = done;
                progress.report({
                  increment,
                  message: fromCache
                    ? vscode.l10n.t('{0} of {1} parts ({2} from cache)', done, total, fromCache)
                    : vscode.l10n.t('{0} of {1} parts', done, total),
                });
              },
            },
          );
          progress.report({ message: vscode.l10n.t('Saving…') });
          const joined = await renderPieces(pieces, { sectionPauseMs: config.sectionPauseMs, workDirectory, signal });
          const files: { uri: vscode.Uri; rendered: RenderedFile }[] = [];
          files.push({ uri: await placeInWorkspace(joined.tempPath, target.folder, target.baseName, joined.extension, target.overwrite), rendered: joined });
          const sections = groupBySection(pieces);
          if (config.perSection && job.kind === 'document' && sections.length > 1) {
            for (const [i, group] of sections.entries()) {
              if (signal.aborted) break;
              const rendered = await renderPieces(group, { sectionPauseMs: 0, workDirectory, signal });
              const name = sectionBaseName(target.baseName, i + 1, group[0].chunk.sectionTitle);
              files.push({ uri: await placeInWorkspace(rendered.tempPath, target.folder, name, rendered.extension, target.overwrite), rendered });
            }
          }
          return { files, fromCache: pieces.filter((p) => p.fromCache).length };
        },
      );
      const [main] = result.files;
      logger.info(`Saved ${main.uri.toString(true)} (${result.files.length} file(s), ${result.fromCache} of ${chunks.length} part(s) from cache) in ${Date.now() - started} ms.`);
      const take = this.takeFor(job, chunks, main.uri, main.rendered, config.model, config.language);
      this.deps.takes.add(take);
      this.announce(take);
      return result.files.map((f) => f.uri);
    } catch (error) {
      const context = error instanceof ChunkFailure ? this.describeChunkFailure(error, chunks.length, displayName, document) : vscode.l10n.t('{0} was not created', displayName);
      // Not awaited: the user may take their time, and a Retry must start after this run has released its lock.
      void presentError(this.deps, error instanceof ChunkFailure ? error.failure : error, { context, retry: () => this.run(job) });
      return undefined;
    } finally {
      await Promise.all(temps.map((t) => fs.rm(t, { recursive: true, force: true })));
    }
  }

  /** Where the file goes and what happens if the name is taken; undefined when the user backed out. */
  private async chooseTarget(job: GenerationJob, config: ReturnType<CommandDeps['config']>): Promise<{ folder: vscode.Uri; baseName: string; overwrite: boolean } | undefined> {
    const { document } = job;
    const ui = this.deps.ui.current;
    if (document.isUntitled) {
      const defaultFolder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const picked = await ui.showSaveDialog({
        title: vscode.l10n.t('Save the audio as'),
        defaultUri: defaultFolder ? vscode.Uri.joinPath(defaultFolder, 'narration.mp3') : undefined,
        filters: { [vscode.l10n.t('Audio')]: ['mp3', 'wav'] },
      });
      if (!picked) return undefined;
      const base = path.posix.basename(picked.path).replace(/\.(mp3|wav)$/i, '');
      // The save dialog already asked about replacing an existing file.
      return { folder: vscode.Uri.joinPath(picked, '..'), baseName: base, overwrite: true };
    }
    const sourceFolder = vscode.Uri.joinPath(document.uri, '..');
    const folder = config.outputFolder ? vscode.Uri.joinPath(sourceFolder, config.outputFolder) : sourceFolder;
    const baseName = expandFileNameTemplate(config.outputFileName, {
      name: path.posix.basename(document.uri.path).replace(/\.[^.]+$/, ''),
      lines: job.script.lines,
      model: config.model,
      language: config.language,
      date: new Date(),
    });
    if (config.ifExists === 'overwrite') return { folder, baseName, overwrite: true };
    if (config.ifExists === 'ask') {
      const existing = (await Promise.all(['.mp3', '.wav'].map(async (ext) => ((await uriExists(vscode.Uri.joinPath(folder, baseName + ext))) ? baseName + ext : undefined)))).find(Boolean);
      if (existing) {
        const overwrite = vscode.l10n.t('Overwrite');
        const keepBoth = vscode.l10n.t('Keep Both');
        const choice = await ui.showMessage('warning', vscode.l10n.t('{0} already exists.', existing), { modal: true, detail: vscode.l10n.t('Overwrite it, or keep both and save the new audio under a numbered name?') }, overwrite, keepBoth);
        if (choice === overwrite) return { folder, baseName, overwrite: true };
        if (choice !== keepBoth) return undefined;
      }
    }
    return { folder, baseName, overwrite: false };
  }

  /** For a long script, names the part that failed, so the writer knows where to look. */
  private describeChunkFailure(error: ChunkFailure, total: number, displayName: string, document: vscode.TextDocument): string {
    if (total === 1) return vscode.l10n.t('{0} was not created', displayName);
    const startLine = document.positionAt(error.chunk.sourceStart).line + 1;
    const endLine = document.positionAt(Math.max(error.chunk.sourceStart, error.chunk.sourceEnd - 1)).line + 1;
    const section = error.chunk.sectionTitle ? vscode.l10n.t(' in “{0}”', error.chunk.sectionTitle) : '';
    return vscode.l10n.t(
      '{0} was not created because part {1} of {2}{3} (lines {4}–{5}) failed; the parts already made are kept and will not be paid for again',
      displayName, error.chunk.index + 1, total, section, startLine, endLine,
    );
  }

  private takeFor(job: GenerationJob, chunks: Chunk[], audioUri: vscode.Uri, rendered: RenderedFile, model: string, language: string): Take {
    const { document } = job;
    const takeChunks: TakeChunk[] = rendered.timings.map((timing) => {
      const chunk = chunks[timing.chunkIndex];
      return {
        label: chunk.sectionTitle ? `${chunk.sectionTitle}: ${firstWords(chunk.text)}` : firstWords(chunk.text),
        startMs: timing.startMs,
        durationMs: timing.durationMs,
        sourceUri: document.uri.toString(),
        startLine: document.positionAt(chunk.sourceStart).line,
        endLine: document.positionAt(Math.max(chunk.sourceStart, chunk.sourceEnd - 1)).line,
      };
    });
    return {
      id: `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
      audioUri,
      sourceUri: document.isUntitled ? undefined : document.uri,
      model,
      language,
      createdAt: Date.now(),
      sizeBytes: rendered.bytes,
      durationMs: rendered.durationMs,
      chunks: takeChunks,
    };
  }

  /** "Saved intro.mp3" with Play and Reveal; the player opens by itself when `player.autoPlay` is on. */
  private announce(take: Take): void {
    const playerDeps = { log: this.deps.log, takes: this.deps.takes };
    PlayerPanel.showAfterGeneration(this.deps.context, take, playerDeps);
    const play = vscode.l10n.t('Play');
    const reveal = vscode.l10n.t('Reveal in Explorer');
    const name = path.posix.basename(take.audioUri.path);
    void this.deps.ui.current.showMessage('info', vscode.l10n.t('Saved {0}', name), {}, play, reveal).then((choice) => {
      if (choice === play) PlayerPanel.show(this.deps.context, take, playerDeps, { autoPlay: true });
      else if (choice === reveal) void vscode.commands.executeCommand('revealInExplorer', take.audioUri);
    });
  }
}

/** A short label for a chunk: its first words. */
function firstWords(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= 60 ? oneLine : `${oneLine.slice(0, 57).replace(/\s+\S*$/, '')}…`;
}
