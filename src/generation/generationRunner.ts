import * as vscode from 'vscode';
import * as path from 'path';
import {
  generateAudio,
  type AudioGeneration,
  type GeneratedFile,
  chunkNarration,
  type Chunk,
  expandFileNameTemplate,
  formatVoiceParams,
  type LineIndex,
  type Narration,
  ChunkFailure,
  placeGeneration,
  pauseBeforeMs,
  chunksLanguageMismatch,
  type LanguageMismatch,
  type WritingSystem,
  type PlacedCaption,
} from '../core';
import { updateSettingWhereItApplies } from '../config';
import { chunkLabel } from '../player/chunkLabel';
import { newTakeId, type Take, type TakeChunk } from '../player/take';
import type { PlayerStream } from '../player/playerStream';
import type { CommandDeps } from '../commands/commandDeps';
import type { AiStudiosConfig } from '../config';
import { abortSignalFor } from '../cancellation';
import { isCancellation, reportError } from '../ui/errorPresenter';
import { requireClient } from '../ui/requireClient';
import type { ScriptText } from './scriptText';
import { workspaceFileSystem } from './workspaceFileSystem';
import { PREVIEW_SCHEME } from '../contributions';

/** How long a finished generation waits for its voice's name before it shows the id instead. */
const VOICE_NAME_WAIT_MS = 2000;

export { PREVIEW_SCHEME } from '../contributions';

export interface GenerationJob {
  document: vscode.TextDocument;
  script: ScriptText;
  /** A whole document may also be split into one file per section. */
  kind: 'selection' | 'document';
  /** Lines of the text as it was read: the writer may go on editing while the audio is made. */
  lines: LineIndex;
  /** The same job from the document's current text, for Retry. */
  rebuild(): GenerationJob | undefined;
  /** Send even text that is not in the voice's language (the writer said so). */
  ignoreLanguage?: boolean;
}

/** Where the files go; `overwrite` only when the user or the settings said so. */
interface Target {
  folder: vscode.Uri;
  baseName: string;
  overwrite: boolean;
  /** The exact file the save dialog agreed to replace, if any. */
  confirmedUri?: vscode.Uri;
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
    if (document.uri.scheme === PREVIEW_SCHEME) {
      void ui.showMessage(
        'info',
        vscode.l10n.t('This is the narration preview. Run the command on the script itself.'),
        {},
      );
      return undefined;
    }
    if (job.script.narration.blocks.length === 0) {
      void ui.showMessage(
        'info',
        job.kind === 'selection'
          ? vscode.l10n.t('There is nothing to speak in the selection.')
          : vscode.l10n.t('There is nothing to speak in {0}.', sourceName),
        {},
      );
      return undefined;
    }
    const lockKey = document.uri.toString();
    if (this.running.has(lockKey)) {
      void ui.showMessage(
        'info',
        vscode.l10n.t(
          'Audio for {0} is already being generated. Wait for it to finish, or cancel it first.',
          sourceName,
        ),
        {},
      );
      return undefined;
    }
    const config = this.deps.config(document.uri);
    const chunks = chunkNarration(job.script.narration, config.maxCharactersPerRequest, config.voice);
    // Text in another language than the voice's is refused by the voice (or spoken as nonsense): stop before paying.
    // Checked before the run takes its lock, so the message's buttons can start the next run at once.
    const mismatch = job.ignoreLanguage ? undefined : chunksLanguageMismatch(chunks);
    if (mismatch) {
      this.offerLanguage(job, mismatch, scriptLabel(job), config.voice.language);
      return undefined;
    }
    this.running.add(lockKey);
    try {
      return await this.runLocked(job, config, chunks);
    } catch (error) {
      reportError(this.deps, error, {
        context: vscode.l10n.t('No audio was made for {0}', sourceName),
        retry: () => this.retry(job),
      });
      return undefined;
    } finally {
      this.running.delete(lockKey);
    }
  }

  private retry(job: GenerationJob): Promise<vscode.Uri[] | undefined> | undefined {
    const again = job.rebuild();
    return again && this.run(again);
  }

  private async runLocked(
    job: GenerationJob,
    config: AiStudiosConfig,
    chunks: Chunk[],
  ): Promise<vscode.Uri[] | undefined> {
    const { document } = job;
    // Progress names the script: the file's name (its extension, its number) is known only once it is placed.
    const scriptName = scriptLabel(job);
    const api = await requireClient(this.deps);
    if (!api) return undefined;
    // The take names its voice ("Paige (M000045058)"): learn the name while the audio is made, if it is unknown.
    const naming = this.deps.voiceLabels.lookUp(config.voice.model);
    const target = await this.chooseTarget(job, config);
    if (!target) return undefined;

    const logger = this.deps.clients.logger;
    const started = Date.now();
    logger.info(
      `Generating ${target.baseName} from ${path.posix.basename(document.uri.path)}: ${chunks.length} part(s), ${job.script.narration.text.length} characters, ${formatVoiceParams(config.voice)}${describeReading(job.script.narration)}.`,
    );
    let placed: PlacedTake[];
    let fromCache = 0;
    // With autoPlay, the player starts on the first part and follows the others as they arrive.
    const stream = this.startStream(job, chunks, config, target);
    try {
      placed = await this.deps.ui.current.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('AI Studios: {0}', scriptName),
          cancellable: true,
        },
        async (progress, token) => {
          const abort = abortSignalFor(token);
          const { signal } = abort;
          // Cancel stops the playback at once, not when the requests have wound down.
          signal.addEventListener('abort', () => stream?.end('cancelled'), { once: true });
          let reported = 0;
          let generation: AudioGeneration | undefined;
          try {
            generation = await generateAudio(
              {
                chunks,
                host: api.baseUrl,
                sectionPauseMs: config.sectionPauseMs,
                perSection: config.perSection && job.kind === 'document',
                captions: config.captions,
                // The player shows what is said, captions setting or not.
                cues: true,
              },
              {
                client: api.client,
                cache: this.deps.audioCache(),
                concurrency: config.concurrency,
                writeCaptions: this.deps.writeCaptions,
                logger,
                signal,
                onPiece: (piece) => stream?.add(piece),
                onProgress: (p) => {
                  progress.report({
                    increment: ((p.done - reported) / Math.max(p.total, 1)) * 90,
                    message: p.fromCache
                      ? vscode.l10n.t('{0} of {1} parts ({2} reused)', p.done, p.total, p.fromCache)
                      : vscode.l10n.t('{0} of {1} parts', p.done, p.total),
                  });
                  reported = p.done;
                },
              },
            );
            fromCache = generation.pieces.filter((p) => p.fromCache).length;
            progress.report({ message: vscode.l10n.t('Saving…') });
            const cached = new Set(generation.pieces.filter((p) => p.fromCache).map((p) => p.chunk.index));
            return (await this.place(generation, target, signal)).map((p) => ({ ...p, fromCache: cached }));
          } finally {
            abort.dispose();
            await generation?.dispose();
          }
        },
      );
    } catch (error) {
      stream?.end(isCancellation(error) ? 'cancelled' : 'failed');
      if (error instanceof ChunkFailure) {
        reportError(this.deps, error.failure, {
          context: this.describeChunkFailure(error, chunks.length, scriptName, job.lines),
          retry: () => this.retry(job),
        });
        return undefined;
      }
      throw error;
    }
    const [main] = placed;
    this.reportCaptions(placed);
    await this.deps.durations
      .recordTake(chunks, main.file.rendered.timings, (index) => !main.fromCache.has(index))
      .catch((error: unknown) => logger.warn(`Could not remember the take's lengths: ${String(error)}`));
    logger.info(
      `${main.reused ? 'Up to date' : 'Saved'}: ${main.uri.toString(true)} (${placed.length} file(s), ${fromCache} of ${chunks.length} part(s) from cache) in ${Date.now() - started} ms.`,
    );
    await Promise.race([naming, new Promise((resolve) => setTimeout(resolve, VOICE_NAME_WAIT_MS))]);
    const take = this.takeFor(
      job,
      chunks,
      main.uri,
      main.file,
      this.deps.voiceLabels.describe(config.voice.model),
      config.voice.language,
    );
    this.deps.takes.add(take);
    // The player goes on where it is, in the placed file.
    await stream?.finish(take, main.file.rendered.timings);
    this.announce(take, main.reused, { parts: chunks.length, reused: fromCache });
    return placed.map((p) => p.uri);
  }

  /** Opens the player on the generation's parts (when autoPlay is on); a player that cannot is no reason to fail. */
  private startStream(
    job: GenerationJob,
    chunks: Chunk[],
    config: AiStudiosConfig,
    target: Target,
  ): PlayerStream | undefined {
    const { document, lines } = job;
    const logger = this.deps.clients.logger;
    const id = newTakeId();
    try {
      return this.deps.player.startStream({
        take: {
          id,
          audioUri: document.uri,
          sourceUri: document.isUntitled ? undefined : document.uri,
          model: this.deps.voiceLabels.describe(config.voice.model),
          language: config.voice.language,
          createdAt: Date.now(),
          chunks: [],
        },
        parts: chunks.map((chunk, i) => ({
          chunk: {
            label: chunkLabel(chunk.sectionTitle, chunk.text),
            sourceUri: document.uri.toString(),
            startLine: lines.lineAt(chunk.sourceStart),
            endLine: lines.lineAt(Math.max(chunk.sourceStart, chunk.sourceEnd - 1)),
            ...(chunk.speakers?.length ? { speaker: chunk.speakers.join(', ') } : {}),
          },
          // The silence the joined file will have before it (the page waits as long between the parts).
          pauseBeforeMs: pauseBeforeMs(chunk, i, config.sectionPauseMs),
        })),
        folder: path.join(this.deps.context.globalStorageUri.fsPath, 'player-stream', id),
        outputFolder: target.folder,
        autoPlay: true,
        logger,
      });
    } catch (error) {
      logger.warn(`The player could not open for the parts: ${String(error)}`);
      return undefined;
    }
  }

  /** Places every file, or none; an unchanged script keeps its files instead of adding copies (see placeGeneration). */
  private async place(
    generation: AudioGeneration,
    target: Target,
    signal: AbortSignal,
  ): Promise<Omit<PlacedTake, 'fromCache'>[]> {
    const placed = await placeGeneration(workspaceFileSystem, target.folder, generation, {
      mainBaseName: target.baseName,
      // Section files never replace anything unless the settings say so; the main file also when the user agreed to this exact file.
      ifExists: (index, fileName) =>
        target.overwrite ||
        (index === 0 && target.confirmedUri?.toString() === vscode.Uri.joinPath(target.folder, fileName).toString())
          ? 'overwrite'
          : 'number',
      createFolder: true,
      signal,
    });
    return placed.map((p, i) => ({
      uri: p.location,
      file: generation.files[i],
      reused: p.unchanged,
      captions: p.captions ?? [],
      captionFailure: p.captionFailure,
    }));
  }

  /** Says which caption files were left as they were (a different file had the name) or could not be written. */
  private reportCaptions(placed: readonly PlacedTake[]): void {
    const logger = this.deps.clients.logger;
    const kept = placed.flatMap((p) => p.captions.filter((c) => c.outcome === 'kept'));
    for (const p of placed) {
      for (const c of p.captions)
        if (c.outcome !== 'kept') logger.info(`Captions ${c.outcome}: ${c.location.toString(true)}`);
      if (p.captionFailure !== undefined) {
        logger.warn(`The captions of ${p.uri.toString(true)} could not be saved: ${String(p.captionFailure)}`);
        reportError(this.deps, p.captionFailure, {
          context: vscode.l10n.t('The captions of {0} were not saved', path.posix.basename(p.uri.path)),
        });
      }
    }
    if (kept.length === 0) return;
    const names = kept.map((c) => c.fileName).join(', ');
    logger.warn(`Captions left as they were (a different file has the name): ${names}`);
    void this.deps.ui.current.showMessage(
      'warning',
      kept.length === 1
        ? vscode.l10n.t(
            '{0} already exists and differs from the new captions; it was left as it is. Delete it (or set Output: If Exists to overwrite) to save new captions.',
            names,
          )
        : vscode.l10n.t(
            '{0} already exist and differ from the new captions; they were left as they are. Delete them (or set Output: If Exists to overwrite) to save new captions.',
            names,
          ),
      {},
    );
  }

  /**
   * Says that the text is not in the voice's language and nothing was sent; offers to change the language (when the
   * setting is what decides it), to pick another voice, or to send it anyway. Not awaited: the run ends meanwhile.
   */
  private offerLanguage(
    job: GenerationJob,
    mismatch: LanguageMismatch,
    scriptName: string,
    settingLanguage: string,
  ): void {
    const logger = this.deps.clients.logger;
    logger.warn(
      `Nothing sent for ${scriptName}: ${Math.round(mismatch.share * 100)}% of its letters are ${mismatch.writingSystem}, but the voice's language is ${mismatch.language}.`,
    );
    const useLanguage = vscode.l10n.t('Use Language “{0}”', mismatch.suggestedLanguage);
    const selectVoice = vscode.l10n.t('Select Voice');
    const sendAnyway = vscode.l10n.t('Send Anyway');
    // A speaker's own voice is set in the script, not by the setting: changing the setting would not help.
    const actions = mismatch.language === settingLanguage ? [useLanguage, selectVoice, sendAnyway] : [sendAnyway];
    const message = vscode.l10n.t(
      '{0} is mostly in {1}, but the voice speaks “{2}”. A voice speaks only its own language, so nothing was sent.',
      scriptName,
      writingSystemName(mismatch.writingSystem),
      mismatch.language,
    );
    void this.deps.ui.current.showMessage('warning', message, {}, ...actions).then(async (choice) => {
      try {
        if (choice === useLanguage) {
          await updateSettingWhereItApplies('language', mismatch.suggestedLanguage, job.document.uri);
          logger.info(`Language set to ${mismatch.suggestedLanguage} for ${scriptName}.`);
          await this.retry(job);
        } else if (choice === selectVoice) {
          if (await vscode.commands.executeCommand<boolean>('aistudios.selectVoice')) await this.retry(job);
        } else if (choice === sendAnyway) {
          const again = job.rebuild();
          if (again) await this.run({ ...again, ignoreLanguage: true });
        }
      } catch (error) {
        reportError(this.deps, error, { context: vscode.l10n.t('No audio was made for {0}', scriptName) });
      }
    });
  }

  /** Where the file goes and what happens if the name is taken; undefined when the user backed out. */
  private async chooseTarget(job: GenerationJob, config: AiStudiosConfig): Promise<Target | undefined> {
    const { document } = job;
    const ui = this.deps.ui.current;
    // Untitled documents, and files on a file system we cannot write to, need a place from the user.
    if (document.isUntitled || vscode.workspace.fs.isWritableFileSystem(document.uri.scheme) === false) {
      const folder =
        vscode.workspace.getWorkspaceFolder(document.uri)?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
      const suggested = document.isUntitled
        ? 'narration.mp3'
        : `${path.posix.basename(document.uri.path).replace(/\.[^.]+$/, '')}.mp3`;
      const picked = await ui.showSaveDialog({
        title: vscode.l10n.t('Save the audio as'),
        defaultUri: folder ? vscode.Uri.joinPath(folder, suggested) : undefined,
        filters: { [vscode.l10n.t('Audio')]: ['mp3', 'wav'] },
      });
      if (!picked) return undefined;
      const baseName = path.posix.basename(picked.path).replace(/\.(mp3|wav)$/i, '');
      return { folder: vscode.Uri.joinPath(picked, '..'), baseName, overwrite: false, confirmedUri: picked };
    }
    const sourceFolder = vscode.Uri.joinPath(document.uri, '..');
    const folder = config.outputFolder ? vscode.Uri.joinPath(sourceFolder, config.outputFolder) : sourceFolder;
    const baseName = expandFileNameTemplate(config.outputFileName, {
      name: path.posix.basename(document.uri.path).replace(/\.[^.]+$/, ''),
      lines: job.script.lines,
      model: config.voice.model,
      language: config.voice.language,
      date: new Date(),
    });
    if (config.ifExists === 'overwrite') return { folder, baseName, overwrite: true };
    if (config.ifExists === 'ask') {
      const existing = (
        await Promise.all(
          ['.mp3', '.wav'].map(async (ext) =>
            (await workspaceFileSystem.stat(vscode.Uri.joinPath(folder, baseName + ext))) ? baseName + ext : undefined,
          ),
        )
      ).find(Boolean);
      if (existing) {
        const overwrite = vscode.l10n.t('Overwrite');
        const keepBoth = vscode.l10n.t('Keep Both');
        const choice = await ui.showMessage(
          'warning',
          vscode.l10n.t('{0} already exists.', existing),
          {
            modal: true,
            detail: vscode.l10n.t('Overwrite it, or keep both and save the new audio under a numbered name?'),
          },
          overwrite,
          keepBoth,
        );
        if (choice === overwrite)
          return { folder, baseName, overwrite: false, confirmedUri: vscode.Uri.joinPath(folder, existing) };
        if (choice !== keepBoth) return undefined;
      }
    }
    return { folder, baseName, overwrite: false };
  }

  /** For a long script, names the part that failed, so the writer knows where to look. */
  private describeChunkFailure(error: ChunkFailure, total: number, scriptName: string, lines: LineIndex): string {
    if (total === 1) return vscode.l10n.t('No audio was made for {0}', scriptName);
    const startLine = lines.lineAt(error.chunk.sourceStart) + 1;
    const endLine = lines.lineAt(Math.max(error.chunk.sourceStart, error.chunk.sourceEnd - 1)) + 1;
    const section = error.chunk.sectionTitle ? vscode.l10n.t(' in “{0}”', error.chunk.sectionTitle) : '';
    return vscode.l10n.t(
      'No audio was made for {0}: part {1} of {2}{3} (lines {4}–{5}) failed; the parts already made are kept and will not be paid for again',
      scriptName,
      error.chunk.index + 1,
      total,
      section,
      startLine,
      endLine,
    );
  }

  private takeFor(
    job: GenerationJob,
    chunks: Chunk[],
    audioUri: vscode.Uri,
    file: GeneratedFile,
    model: string,
    language: string,
  ): Take {
    const { document, lines } = job;
    const takeChunks: TakeChunk[] = file.rendered.timings.map((timing) => {
      const chunk = chunks[timing.chunkIndex];
      const takeChunk: TakeChunk = {
        label: chunkLabel(chunk.sectionTitle, chunk.text),
        startMs: timing.startMs,
        durationMs: timing.durationMs,
        sourceUri: document.uri.toString(),
        startLine: lines.lineAt(chunk.sourceStart),
        endLine: lines.lineAt(Math.max(chunk.sourceStart, chunk.sourceEnd - 1)),
      };
      if (chunk.speakers?.length) takeChunk.speaker = chunk.speakers.join(', ');
      return takeChunk;
    });
    const captions = file.captions?.cues.map((cue) => ({
      startMs: cue.startMs,
      endMs: cue.endMs,
      text: cue.lines.join('\n'),
    }));
    return {
      ...(captions ? { captions } : {}),
      id: `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
      audioUri,
      sourceUri: document.isUntitled ? undefined : document.uri,
      model,
      language,
      createdAt: Date.now(),
      sizeBytes: file.rendered.bytes,
      durationMs: file.rendered.durationMs,
      chunks: takeChunks,
    };
  }

  /**
   * "Saved intro (2).mp3: 1 of 4 parts requested, 3 reused from earlier takes" with Play and Reveal, so the writer
   * knows what the edit cost; the player opens by itself when `player.autoPlay` is on.
   */
  private announce(take: Take, upToDate: boolean, counts: { parts: number; reused: number }): void {
    let playing = false;
    try {
      playing = this.deps.player.showAfterGeneration(take) !== undefined;
    } catch (error) {
      // The file is saved; a player that cannot open must not turn that into a failure.
      this.deps.clients.logger.warn(`The player could not open: ${String(error)}`);
    }
    // When it already plays, the button brings the player back rather than restarting it.
    const play = playing ? vscode.l10n.t('Show Player') : vscode.l10n.t('Play');
    const reveal = revealAction(take.audioUri);
    const message = outcomeMessage(path.posix.basename(take.audioUri.path), upToDate, counts);
    const actions = reveal ? [play, reveal.label] : [play];
    void this.deps.ui.current.showMessage('info', message, {}, ...actions).then((choice) => {
      if (choice === play) this.deps.player.show(take, { autoPlay: !playing });
      else if (reveal && choice === reveal.label) void vscode.commands.executeCommand(reveal.command, take.audioUri);
    });
  }
}

/**
 * How to show a saved file: in the Explorer view when it is in the workspace; else (the first-run sample lives in the
 * extension's storage) in the system's file manager, in VS Code's own words for it, which only a local window can.
 */
function revealAction(uri: vscode.Uri): { label: string; command: string } | undefined {
  if (vscode.workspace.getWorkspaceFolder(uri))
    return { label: vscode.l10n.t('Reveal in Explorer'), command: 'revealInExplorer' };
  if (vscode.env.remoteName !== undefined || uri.scheme !== 'file') return undefined;
  const label =
    process.platform === 'win32'
      ? vscode.l10n.t('Reveal in File Explorer')
      : process.platform === 'darwin'
        ? vscode.l10n.t('Reveal in Finder')
        : vscode.l10n.t('Open Containing Folder');
  return { label, command: 'revealFileInOS' };
}

/** A placed audio file, its generated file, and what became of its captions. */
interface PlacedTake {
  uri: vscode.Uri;
  file: GeneratedFile;
  reused: boolean;
  captions: PlacedCaption<vscode.Uri>[];
  captionFailure?: unknown;
  /** The chunks reused from the cache in this run. */
  fromCache: ReadonlySet<number>;
}

/** The script as progress and failures name it: "welcome.md", or "welcome.md, lines 3–4" for a selection. */
function scriptLabel(job: GenerationJob): string {
  const name = path.posix.basename(job.document.uri.path);
  const lines = job.script.lines;
  if (!lines) return name;
  return lines.start === lines.end
    ? vscode.l10n.t('{0}, line {1}', name, lines.start)
    : vscode.l10n.t('{0}, lines {1}–{2}', name, lines.start, lines.end);
}

/** A writing system as the message names it. */
function writingSystemName(system: WritingSystem): string {
  switch (system) {
    case 'Latin':
      return vscode.l10n.t('the Latin alphabet');
    case 'Hangul':
      return vscode.l10n.t('Korean (Hangul)');
    case 'Kana':
      return vscode.l10n.t('Japanese (kana and kanji)');
    case 'Han':
      return vscode.l10n.t('Chinese characters');
    case 'Cyrillic':
      return vscode.l10n.t('the Cyrillic alphabet');
    case 'Arabic':
      return vscode.l10n.t('Arabic script');
    case 'Hebrew':
      return vscode.l10n.t('Hebrew script');
    case 'Greek':
      return vscode.l10n.t('the Greek alphabet');
    case 'Thai':
      return vscode.l10n.t('Thai script');
    case 'Devanagari':
      return vscode.l10n.t('Devanagari script');
  }
}

/** What a generation made and what it cost: the parts requested (paid for) and those reused from earlier takes. */
function outcomeMessage(
  fileName: string,
  upToDate: boolean,
  { parts, reused }: { parts: number; reused: number },
): string {
  const requested = parts - reused;
  if (upToDate) {
    if (requested === 0)
      return vscode.l10n.t(
        '{0} is up to date: the script has not changed since it was made; nothing was requested.',
        fileName,
      );
    return vscode.l10n.t(
      '{0} already holds exactly this audio and was kept: {1} of {2} parts requested, {3} reused from earlier takes.',
      fileName,
      requested,
      parts,
      reused,
    );
  }
  if (requested === 0)
    return parts === 1
      ? vscode.l10n.t('Saved {0}: nothing requested, its one part reused from an earlier take.', fileName)
      : vscode.l10n.t('Saved {0}: nothing requested, all {1} parts reused from earlier takes.', fileName, parts);
  if (reused === 0)
    return parts === 1
      ? vscode.l10n.t('Saved {0}: 1 part requested.', fileName)
      : vscode.l10n.t('Saved {0}: {1} parts requested.', fileName, parts);
  return vscode.l10n.t(
    'Saved {0}: {1} of {2} parts requested, {3} reused from earlier takes.',
    fileName,
    requested,
    parts,
    reused,
  );
}

/** The script's reading for the log: the mode, and each speaker's voice (or the default). */
function describeReading(narration: Narration): string {
  const reading = narration.reading;
  if (!reading) return '';
  const speakers = reading.speakers.map((s) => `${s.name}=${s.voice?.model ?? 'default'}`);
  return `; reading: ${reading.mode} (${reading.why})${speakers.length ? `; speakers: ${speakers.join(', ')}` : ''}`;
}
