// Playing a take while it is generated: each part goes to the player as soon as it is there (from the cache or the
// download), in script order; the joined file takes over at the same place once it is placed; a cancel or a failure
// stops it. The parts are hard-linked into a folder of the stream's own, so the run may remove its folder whenever it
// likes, and the player's folder goes once the page no longer plays them.
import * as vscode from 'vscode';
import { promises as fs } from 'fs';
import * as path from 'path';
import { probeAudio, type Logger } from '../core';
import type { ExtensionToWebviewMessage, PartTiming, StreamProgressMessage, TakeChunk } from '../shared/playerProtocol';
import { audioMimeType, type Take } from './take';

/** A part read at most this big to learn its duration (bytes); a larger one's duration comes from the page. */
const MAX_PROBED_BYTES = 16 * 1024 * 1024;
/** A stream folder left by a window that ended without removing it is removed by a later stream after this long. */
const STALE_FOLDER_MS = 24 * 60 * 60 * 1000;

/** One part of the generation as the player lists it, before its audio exists. */
export interface StreamPartPlan {
  /** Its row: label and source lines (startMs and durationMs are filled in when the part arrives). */
  chunk: Omit<TakeChunk, 'startMs' | 'durationMs'>;
  /** Silence before it in the joined file (a new section). */
  pauseBeforeMs: number;
}

/** What a stream needs from the panel that plays it. */
export interface StreamHost {
  post(message: ExtensionToWebviewMessage): void;
  asWebviewUri(file: vscode.Uri): string;
  /** Shows `take` continuing the stream at the same place (the joined file). */
  continueWith(take: Take, continueStream: { streamId: string; parts: PartTiming[] }): void;
  /** The stream was cancelled or failed: show what was there before, or close. */
  abandon(stream: PlayerStream): void;
}

/** A piece of the generation, as synthesis reports it. */
export interface ArrivedPiece {
  chunk: { index: number };
  path: string;
  extension: string;
}

/** One generation played as it arrives. Created by the panel (beginStream); fed by the generation runner. */
export class PlayerStream {
  private readonly arrived = new Map<number, ArrivedPiece>();
  private nextToSend = 0;
  private nextStartMs = 0;
  private sending: Promise<void> = Promise.resolve();
  private state: 'streaming' | 'finished' | 'ended' | 'released' = 'streaming';
  /** The writer closed the player while it streamed: the finished take should not open it again. */
  dismissed = false;
  /** What the page reported, in order (the log and tests read it). */
  readonly progress: StreamProgressMessage[] = [];

  constructor(
    readonly id: string,
    /** The provisional take the panel shows meanwhile; its chunks fill in as parts arrive. */
    readonly take: Take,
    private readonly parts: readonly StreamPartPlan[],
    /** This stream's own folder (created here, removed on release). */
    readonly folder: string,
    private readonly host: StreamHost,
    private readonly logger: Logger,
  ) {}

  get partCount(): number {
    return this.parts.length;
  }

  /** Whether the stream still plays (not finished, ended or released). */
  get isStreaming(): boolean {
    return this.state === 'streaming';
  }

  /** A piece is there; parts go to the page in script order, each as soon as those before it went. */
  add(piece: ArrivedPiece): void {
    if (this.state !== 'streaming') return;
    this.arrived.set(piece.chunk.index, piece);
    this.sending = this.sending.then(() => this.sendReady()).catch((error: unknown) => this.failed(error));
  }

  /**
   * The joined file is placed: the page switches to it where it is. `timings` come from the join (chunkIndex → start
   * and duration in the file). False when the stream was ended or its panel closed meanwhile.
   */
  async finish(
    take: Take,
    timings: readonly { chunkIndex: number; startMs: number; durationMs: number }[],
  ): Promise<boolean> {
    await this.sending;
    if (this.state !== 'streaming') return false;
    this.state = 'finished';
    const parts: PartTiming[] = this.parts.map(() => ({ startMs: 0, durationMs: 0 }));
    for (const t of timings)
      if (parts[t.chunkIndex]) parts[t.chunkIndex] = { startMs: t.startMs, durationMs: t.durationMs };
    this.host.continueWith(take, { streamId: this.id, parts });
    return true;
  }

  /** The generation was cancelled or failed: the page stops at once, and the parts go. */
  end(reason: 'cancelled' | 'failed'): void {
    if (this.state !== 'streaming') return;
    this.state = 'ended';
    this.host.post({ type: 'streamEnd', streamId: this.id, reason });
    this.host.abandon(this);
    void this.release();
  }

  /** What the page reports: once it plays the joined file, the parts are no longer needed. */
  onProgress(message: StreamProgressMessage): void {
    if (message.streamId !== this.id) return;
    this.progress.push(message);
    if (message.state === 'switched') void this.release();
  }

  /** Removes the stream's folder (the page no longer reads it, or the panel is gone). Safe to call more than once. */
  async release(): Promise<void> {
    if (this.state === 'released') return;
    if (this.state === 'streaming') this.state = 'ended';
    this.state = 'released';
    await this.sending.catch(() => undefined);
    await fs.rm(this.folder, { recursive: true, force: true, maxRetries: 3 }).catch((error: unknown) => {
      this.logger.warn(`Player: could not remove the stream folder ${this.folder}: ${String(error)}`);
    });
  }

  private async sendReady(): Promise<void> {
    while (this.state === 'streaming' && this.arrived.has(this.nextToSend)) {
      const index = this.nextToSend;
      const piece = this.arrived.get(index)!;
      this.arrived.delete(index);
      this.nextToSend++;
      await this.send(index, piece);
    }
  }

  private async send(index: number, piece: ArrivedPiece): Promise<void> {
    if (index === 0) await fs.mkdir(this.folder, { recursive: true });
    const file = path.join(this.folder, `part-${String(index + 1).padStart(5, '0')}${piece.extension}`);
    try {
      await fs.link(piece.path, file);
    } catch {
      await fs.copyFile(piece.path, file); // another file system (a cache elsewhere)
    }
    const durationMs = await durationOf(file);
    if (this.state !== 'streaming') return;
    const plan = this.parts[index];
    const pauseBeforeMs = index > 0 ? (plan?.pauseBeforeMs ?? 0) : 0;
    const chunk: TakeChunk = {
      ...plan?.chunk,
      label: plan?.chunk.label ?? '',
      startMs: this.nextStartMs + pauseBeforeMs,
      durationMs,
    };
    this.nextStartMs = chunk.startMs + durationMs;
    this.take.chunks.push(chunk);
    this.take.durationMs = this.nextStartMs;
    const uri = vscode.Uri.file(file);
    this.host.post({
      type: 'streamPart',
      streamId: this.id,
      index,
      src: this.host.asWebviewUri(uri),
      mimeType: audioMimeType(uri),
      chunk,
      pauseBeforeMs,
    });
  }

  private failed(error: unknown): void {
    // The run goes on and its file will be placed; only the early playback is lost, so say so in the log.
    this.logger.warn(`Player: could not play the parts as they arrive: ${String(error)}`);
    if (this.state === 'streaming') this.end('failed');
  }
}

/** The audio's duration when it can be read cheaply (a small enough MP3 or WAV); 0 = unknown, the page measures it. */
async function durationOf(file: string): Promise<number> {
  try {
    const { size } = await fs.stat(file);
    if (size > MAX_PROBED_BYTES) return 0;
    return Math.round(probeAudio(await fs.readFile(file)).durationMs);
  } catch {
    return 0;
  }
}

/** Removes stream folders a window left behind (it ended without its cleanup); best effort, never waited for. */
export async function removeStaleStreamFolders(root: string, now = Date.now()): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(root);
  } catch {
    return;
  }
  await Promise.all(
    names.map(async (name) => {
      const folder = path.join(root, name);
      try {
        if (now - (await fs.stat(folder)).mtimeMs > STALE_FOLDER_MS)
          await fs.rm(folder, { recursive: true, force: true });
      } catch {
        // another window may be removing it too
      }
    }),
  );
}
