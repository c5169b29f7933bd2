import * as vscode from 'vscode';
import type { TakeCaption, TakeChunk, TakeRecord } from '../shared/playerProtocol';
import { Disposable } from '../disposable';

export type { TakeCaption, TakeChunk } from '../shared/playerProtocol';

/** One generated (or opened) audio file, with what it was made from. */
export interface Take {
  id: string;
  audioUri: vscode.Uri;
  sourceUri?: vscode.Uri;
  model?: string;
  language?: string;
  createdAt: number;
  sizeBytes?: number;
  durationMs?: number;
  /** Sorted by startMs. A take made from a whole file has one chunk covering it. */
  chunks: TakeChunk[];
  /** What is said when, sorted by startMs; absent for a file not generated here. */
  captions?: TakeCaption[];
}

/** How many takes a window remembers; older ones drop off the list. */
const historyLimit = 50;

/** The takes generated (or opened) in this window, newest first, one per audio file. */
export class TakeHistory extends Disposable {
  private readonly takes: Take[] = [];
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange: vscode.Event<void> = this.changed.event;

  /**
   * Adds a take at the front; a take with the same id is replaced where it is. A file holds one audio, so an older
   * take of the same file (regenerated in place, or kept as up to date) leaves the list: one row per file.
   */
  add(take: Take): void {
    const file = take.audioUri.toString();
    const existing = this.takes.findIndex((t) => t.id === take.id);
    if (existing >= 0) this.takes[existing] = take;
    else this.takes.unshift(take);
    for (let i = this.takes.length - 1; i >= 0; i--)
      if (this.takes[i]!.id !== take.id && this.takes[i]!.audioUri.toString() === file) this.takes.splice(i, 1);
    this.takes.splice(historyLimit);
    this.changed.fire();
  }

  list(): readonly Take[] {
    return [...this.takes];
  }

  get(id: string): Take | undefined {
    return this.takes.find((t) => t.id === id);
  }

  /** The newest take made from this script. */
  latestFor(sourceUri: vscode.Uri): Take | undefined {
    const key = sourceUri.toString();
    return this.takes.find((t) => t.sourceUri?.toString() === key || t.chunks.some((c) => c.sourceUri === key));
  }

  /** The newest take of this script with a chunk whose source lines hold `line` (0-based). */
  latestCovering(sourceUri: vscode.Uri, line: number): Take | undefined {
    const key = sourceUri.toString();
    return this.takes.find((t) =>
      t.chunks.some(
        (c) =>
          (c.sourceUri ?? t.sourceUri?.toString()) === key &&
          c.startLine !== undefined &&
          c.startLine <= line &&
          line <= (c.endLine ?? c.startLine),
      ),
    );
  }

  /** The newest take whose audio is this file. */
  latestWithAudio(audioUri: vscode.Uri): Take | undefined {
    const key = audioUri.toString();
    return this.takes.find((t) => t.audioUri.toString() === key);
  }
}

export function newTakeId(): string {
  return globalThis.crypto.randomUUID();
}

/** A take for an audio file opened directly (not generated here): no model, no chunks. */
export function takeForFile(audioUri: vscode.Uri, stat?: vscode.FileStat): Take {
  return { id: newTakeId(), audioUri, createdAt: stat?.mtime ?? Date.now(), sizeBytes: stat?.size, chunks: [] };
}

export function fileNameOf(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

const mimeTypes: Record<string, string> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg; codecs=opus',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
  mp4: 'audio/mp4',
  aac: 'audio/aac',
  webm: 'audio/webm',
};

/** The MIME type the webview asks `canPlayType` about, from the file's extension. */
export function audioMimeType(uri: vscode.Uri): string {
  const name = fileNameOf(uri);
  const dot = name.lastIndexOf('.');
  return (dot >= 0 && mimeTypes[name.slice(dot + 1).toLowerCase()]) || 'application/octet-stream';
}

export const audioExtensions: readonly string[] = Object.keys(mimeTypes);

/** The plain-JSON form sent to the webview and kept in its state. */
export function toTakeRecord(take: Take): TakeRecord {
  return {
    id: take.id,
    audioUri: take.audioUri.toString(),
    fileName: fileNameOf(take.audioUri),
    sourceUri: take.sourceUri?.toString(),
    sourceName: take.sourceUri ? fileNameOf(take.sourceUri) : undefined,
    model: take.model,
    language: take.language,
    createdAt: take.createdAt,
    sizeBytes: take.sizeBytes,
    durationMs: take.durationMs,
    chunks: take.chunks,
    ...(take.captions ? { captions: take.captions } : {}),
  };
}

/** Schemes a restored take may point at: local and remote files, and the file systems of the open workspace. */
function trustedSchemes(): Set<string> {
  return new Set(['file', 'vscode-remote', ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.scheme)]);
}

/**
 * Parses a URI from untrusted state. Only file systems the user works in are accepted: never http(s),
 * data or anything else a restored state could use to make the player fetch from elsewhere.
 */
function parseFileUri(value: string | undefined): vscode.Uri | undefined {
  if (value === undefined) return undefined;
  try {
    const uri = vscode.Uri.parse(value, true);
    return trustedSchemes().has(uri.scheme) ? uri : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns a record from the webview's saved state back into a take, re-validating it: the audio must be
 * an audio file on a known file system that still exists; a bad source link is dropped.
 */
export async function takeFromRecord(record: TakeRecord): Promise<Take | undefined> {
  const audioUri = parseFileUri(record.audioUri);
  if (!audioUri || !audioExtensions.includes(fileNameOf(audioUri).split('.').pop()?.toLowerCase() ?? ''))
    return undefined;
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(audioUri);
  } catch {
    return undefined;
  }
  if (stat.type & vscode.FileType.Directory) return undefined;
  const chunks = record.chunks
    .map((c) => ({ ...c, sourceUri: parseFileUri(c.sourceUri)?.toString() }))
    .sort((a, b) => a.startMs - b.startMs);
  return {
    id: record.id,
    audioUri,
    sourceUri: parseFileUri(record.sourceUri),
    model: record.model,
    language: record.language,
    createdAt: record.createdAt,
    sizeBytes: stat.size,
    durationMs: record.durationMs,
    chunks,
    ...(record.captions ? { captions: [...record.captions].sort((a, b) => a.startMs - b.startMs) } : {}),
  };
}
