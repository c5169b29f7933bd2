// Streams a generated audio file to disk safely: into a hidden temp file beside the target, checked
// against Content-Length, then moved into place without ever replacing an existing file unless asked.

import { createHash } from 'crypto';
import { createWriteStream, promises as fsp } from 'fs';
import type { Readable } from 'stream';
import { Transform } from 'stream';
import { pipeline } from 'stream/promises';
import * as path from 'path';
import nodeFetch from 'node-fetch';
import { discard, fetchFollowingSafeRedirects, type Fetched, type FetchImpl } from './downloadFetch';
import { createAttemptScope, formatDuration, throwIfCancelled, type AttemptScope } from '../abort';
import {
  type AiStudiosError,
  CancelledError,
  DownloadError,
  InputError,
  isAiStudiosError,
  NetworkError,
  ProtocolError,
  TimeoutError,
} from '../errors';
import { extensionFromMagicBytes, numberedName, sanitizeBaseName, sanitizeExtension } from '../files/naming';
import { alreadyExists, claimName, type IfExists } from '../files/placement';
import { discardTempFile, nodeFileSystem, openTempFile, pathExists, type TempFile } from '../files/nodeFileSystem';
import { silentLogger, type Logger } from '../logger';
import { isAllowedRemoteUrl } from './host';
import { MpegStreamWalk, type PlainMpegStream } from '../audio/mpegStream';
import { connectionProblem, errorCodeOf, fileProblem, isHttpParserCode } from '../systemErrors';

export type { IfExists } from '../files/placement';
export type { FetchImpl } from './downloadFetch';

export interface DownloadTarget {
  directory: string;
  baseName: string;
  /** default 'number' */
  ifExists?: IfExists;
  /**
   * A part file the caller already made in `directory` (openTempFile), for the download to write instead of making
   * one: it may then be made while the request for the audio is on its way. The download owns it from the call on:
   * it becomes the file, or is closed and removed (a retry makes its own).
   */
  part?: TempFile;
}

export interface DownloadedFile {
  path: string;
  bytes: number;
  /** sha256 (hex) of the bytes written, computed as they arrived (the cache takes it instead of reading them again). */
  sha256?: string;
  /** e.g. '.mp3' */
  extension: string;
  contentType?: string;
  /**
   * When the bytes are MPEG audio frames of one stream from the first byte to the last: those frames, walked as they
   * arrived (a join then need not read the file to plan it). Absent for anything else (tags, WAV…).
   */
  mpeg?: PlainMpegStream;
}

export interface DownloadOptions {
  serverFileName?: string;
  signal?: AbortSignal;
  /** Idle timeout: the download fails when no data arrives for this long. Default 60 s. */
  timeoutMs?: number;
  logger?: Logger;
  fetchImpl?: FetchImpl;
  /** Refuse bodies larger than this (default DEFAULT_MAX_DOWNLOAD_BYTES). */
  maxBytes?: number;
  /** Accept http: links to loopback (only when the API itself is on loopback, i.e. the fake server). Default false. */
  allowLoopbackHttp?: boolean;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** One piece is at most minutes of speech: a few MB. Anything near this cap (100 MB, in MiB) is not our audio. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024;
const SNIFF_BYTES = 16;
/** After the connection closed, a body that makes no progress for this long was cut short. */
const CLOSED_SOCKET_GRACE_MS = 250;

/** DownloadErrors that another GET may well cure (5xx, 408, 429, a body cut short or interrupted). */
const transientFailures = new WeakSet<AiStudiosError>();
function transient<E extends AiStudiosError>(error: E): E {
  transientFailures.add(error);
  return error;
}

/** True for download failures worth another GET: network errors, timeouts, 5xx and cut-short bodies; not an expired link. */
export function isRetriableDownloadFailure(error: AiStudiosError): boolean {
  return error instanceof NetworkError || error instanceof TimeoutError || transientFailures.has(error);
}

/**
 * Streams url into target.directory as '<baseName><ext>' (see DownloadTarget.ifExists); removes its temp file on any
 * failure. Throws InputError (before any request) for an unusable folder or a taken name with 'fail', ProtocolError
 * for an unsafe link, and the DownloadErrors, NetworkError, TimeoutError or CancelledError of the GET.
 */
export async function downloadToFile(
  url: URL,
  target: DownloadTarget,
  options: DownloadOptions = {},
): Promise<DownloadedFile> {
  const logger = options.logger ?? silentLogger;
  const fetchImpl = options.fetchImpl ?? nodeFetch;
  const ifExists: IfExists = target.ifExists ?? 'number';
  const allowLoopbackHttp = options.allowLoopbackHttp === true;
  const directory = path.resolve(target.directory);
  const baseName = sanitizeBaseName(target.baseName);
  let temp: TempFile;
  try {
    throwIfCancelled(options.signal);
    if (!isAllowedRemoteUrl(url, { allowLoopbackHttp }))
      throw new ProtocolError('AI Studios sent a download link that is not a safe https: address.');
    if (!['number', 'overwrite', 'fail'].includes(ifExists))
      throw new InputError(`Unknown ifExists choice "${String(ifExists)}".`);
    if (target.part && path.dirname(path.resolve(target.part.path)) !== directory)
      throw new RangeError('The part file of a download must be in its target folder.');
    if (ifExists === 'fail') {
      // Best guess before spending a request; the final link below re-checks atomically.
      const guess = numberedName(baseName, sanitizeExtension(options.serverFileName, undefined), 1);
      if (await pathExists(path.join(directory, guess))) throw alreadyExists(guess);
    }
    // Checks the folder too (InputError before any request): a missing or read-only one cannot take the file.
    temp = target.part ?? (await openTempFile(directory, baseName));
  } catch (error) {
    if (target.part) await discardTempFile(target.part);
    throw error;
  }
  const { path: tempPath, handle } = temp;
  let handleTaken = false;

  const scope = createAttemptScope(options.signal, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const started = Date.now();
  const logPath = `${url.origin}${url.pathname}`;
  let fetched: Fetched | undefined;
  let closedCheck: NodeJS.Timeout | undefined;
  try {
    fetched = await fetchFollowingSafeRedirects(fetchImpl, url, scope, allowLoopbackHttp);
    const response = fetched.response;
    const status = response.status;
    if (status !== 200) {
      logger.info(`GET ${logPath} → ${status} in ${Date.now() - started} ms`);
      throw statusError(status);
    }
    const contentType = response.headers.get('content-type') ?? undefined;
    const encoding = response.headers.get('content-encoding');
    if (encoding && encoding.toLowerCase() !== 'identity') {
      throw new DownloadError(`The audio download came with an unexpected encoding (${sanitizeHeader(encoding)}).`);
    }
    const expectedBytes = parseContentLength(response.headers.get('content-length'));
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
    if (expectedBytes !== undefined && expectedBytes > maxBytes) {
      throw new DownloadError(tooLargeMessage(maxBytes));
    }

    // The idle timeout guards the network only: once every announced byte is in, a slow disk must not time out.
    const counter = new ByteCounter(maxBytes, (total) =>
      expectedBytes !== undefined && total >= expectedBytes ? scope.stopTimer() : scope.touch(),
    );
    const body = response.body as Readable & { writableLength?: number };
    // node-fetch never ends nor fails a body whose connection closed before Content-Length was reached;
    // without this watch it would hang until the idle timeout. Once the socket is closed, no byte can
    // arrive that is not already buffered: cut short = short of the length, nothing buffered, no progress.
    let bodyDone = false;
    if (expectedBytes !== undefined) {
      fetched.socket.onClose(() => {
        let bytesAtCheck = -1;
        const check = (): void => {
          if (bodyDone || counter.bytes >= expectedBytes) return;
          const buffered =
            body.readableLength + (body.writableLength ?? 0) + counter.readableLength + counter.writableLength;
          if (counter.bytes === bytesAtCheck && buffered === 0) {
            counter.destroy(transient(new DownloadError(cutShortMessage(counter.bytes, expectedBytes))));
            return;
          }
          bytesAtCheck = counter.bytes;
          closedCheck = setTimeout(check, CLOSED_SOCKET_GRACE_MS);
        };
        closedCheck = setTimeout(check, CLOSED_SOCKET_GRACE_MS);
      });
    }
    handleTaken = true; // the stream closes it
    await pipeline(body, counter, createWriteStream(tempPath, { fd: handle }), { signal: scope.signal });
    bodyDone = true;
    if (closedCheck) clearTimeout(closedCheck);
    const bytes = counter.bytes;
    if (expectedBytes !== undefined && bytes !== expectedBytes) {
      throw transient(new DownloadError(cutShortMessage(bytes, expectedBytes)));
    }
    if (bytes === 0) throw new DownloadError('The audio download was empty.');
    // An error page or anything else served with 200 must not be saved (and cached) as audio.
    const extension = extensionFromMagicBytes(counter.head);
    if (extension === undefined) throw new DownloadError(notAudioMessage(contentType));
    const finalPath = await claimName(nodeFileSystem, tempPath, directory, baseName, extension, ifExists);
    logger.info(
      `GET ${logPath} → ${status} in ${Date.now() - started} ms, ${bytes} bytes → ${path.basename(finalPath)}`,
    );
    const mpeg = extension === '.mp3' ? counter.mpeg.finish() : undefined;
    return {
      path: finalPath,
      bytes,
      sha256: counter.digest(),
      extension,
      ...(contentType !== undefined ? { contentType } : {}),
      ...(mpeg ? { mpeg } : {}),
    };
  } catch (error) {
    // Stop the transfer itself: draining an error body or an oversize one could go on without end.
    if (fetched) discard(fetched);
    if (!handleTaken) await handle.close().catch(() => undefined);
    await fsp.rm(tempPath, { force: true }).catch(() => undefined);
    const mapped = mapDownloadFailure(error, scope, fetched !== undefined, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    if (!(mapped instanceof CancelledError)) {
      const code = errorCodeOf(error);
      logger.warn(`GET ${logPath} failed: ${mapped.message}${code ? ` [${code}]` : ''}`);
    }
    throw mapped;
  } finally {
    if (closedCheck) clearTimeout(closedCheck);
    fetched?.socket.dispose();
    scope.dispose();
  }
}

/** "… larger than 100 MB …": the cap in MB (of 1,048,576 bytes), as the README states it. */
function tooLargeMessage(maxBytes: number): string {
  const mb = maxBytes / (1024 * 1024);
  const shown = mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${maxBytes} bytes`;
  return `The audio file is larger than ${shown}, the most one piece of speech may be, so it was not downloaded.`;
}

function cutShortMessage(bytes: number, expectedBytes: number | undefined): string {
  return expectedBytes !== undefined
    ? `The audio download was cut short (${bytes} of ${expectedBytes} bytes).`
    : `The audio download was cut short after ${bytes} bytes.`;
}

/**
 * Counts and hashes bytes, keeps the first few for sniffing, walks MPEG frames, enforces the size cap and feeds the
 * idle timer.
 */
class ByteCounter extends Transform {
  bytes = 0;
  head = new Uint8Array(0);
  /** Hashed and walked while the bytes arrive, when the network leaves the process idle anyway. */
  private readonly hash = createHash('sha256');
  readonly mpeg = new MpegStreamWalk();
  constructor(
    private readonly maxBytes: number,
    private readonly onData: (total: number) => void,
  ) {
    super();
  }
  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null, data?: Buffer) => void,
  ): void {
    this.bytes += chunk.length;
    this.onData(this.bytes);
    if (this.head.length < SNIFF_BYTES)
      this.head = Buffer.concat([this.head, chunk.subarray(0, SNIFF_BYTES - this.head.length)]);
    if (this.bytes > this.maxBytes) {
      callback(new DownloadError(tooLargeMessage(this.maxBytes)));
      return;
    }
    this.hash.update(chunk);
    this.mpeg.push(chunk);
    callback(null, chunk);
  }

  /** The sha256 of every byte that went through (call once, when the body is done). */
  digest(): string {
    return this.hash.digest('hex');
  }
}

function statusError(status: number): DownloadError {
  if (status === 404 || status === 410 || status === 403) {
    return new DownloadError(
      `The generated audio is no longer available on the server (HTTP ${status}); generate it again.`,
      { status },
    );
  }
  const error = new DownloadError(`The audio download failed (HTTP ${status}).`, { status });
  return status >= 500 || status === 408 || status === 429 ? transient(error) : error;
}

function notAudioMessage(contentType: string | undefined): string {
  const type = (contentType ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9.+/-]/g, '')
    .slice(0, 60);
  return type !== ''
    ? `AI Studios sent something that is not audio (${type}).`
    : 'AI Studios sent something that is not audio.';
}

function parseContentLength(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

function sanitizeHeader(value: string): string {
  return value.replace(/[^\w.,;= -]/g, '').slice(0, 40);
}

function mapDownloadFailure(error: unknown, scope: AttemptScope, gotResponse: boolean, timeoutMs: number): Error {
  if (scope.cancelled()) return new CancelledError();
  if (scope.timedOut())
    return new TimeoutError(`The audio download stalled for more than ${formatDuration(timeoutMs)}.`);
  if (isAiStudiosError(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // Only the code as cause: node-fetch's messages carry the signed download URL.
  const cause = typeof code === 'string' ? { cause: { code } } : {};
  if (!gotResponse) {
    const problem = connectionProblem(code);
    return new NetworkError(
      `Could not reach the audio download server${problem ? `: ${problem}` : ''}${code ? ` (${code})` : ''}.`,
      cause,
    );
  }
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new DownloadError('There is no space left to save the audio file.', cause);
  const saving = fileProblem(code);
  if (saving !== undefined) return new DownloadError(`The audio file could not be saved: ${saving}.`, cause);
  // Parser codes (HPE_*) and connection codes are said in words; the code itself is only in the log (cause).
  const problem = connectionProblem(code) ?? 'the connection broke';
  const what = isHttpParserCode(code) ? 'failed' : 'was interrupted';
  return transient(new DownloadError(`The audio download ${what}: ${problem}.`, cause));
}
