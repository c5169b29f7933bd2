// The GET of an audio download: redirects followed by hand (each hop must be a safe address), over connections
// kept alive between downloads, with a watch on the request's socket so a body cut short can be told from a slow one.

import * as http from 'http';
import * as https from 'https';
import type { Socket } from 'net';
import type { Readable } from 'stream';
import type nodeFetch from 'node-fetch';
import type { AttemptScope } from '../abort';
import { DownloadError, ProtocolError } from '../errors';
import { isAllowedRemoteUrl } from './host';

export type FetchImpl = typeof nodeFetch;
type FetchResponse = Awaited<ReturnType<FetchImpl>>;

const MAX_REDIRECTS = 5;
/** How long a kept-alive download connection may stay idle in the pool (ms). */
const IDLE_SOCKET_MS = 5000;

/**
 * Download connections are kept alive and reused, as the API's are: a script's pieces come from one host, and each
 * new connection would cost a TCP (and TLS) handshake. Idle sockets do not keep the process alive.
 */
const keepAliveAgents = {
  // An idle socket is closed after 5 s, as by Node's own global agent: a server closes idle connections too, and a
  // request given one it is just closing fails (ECONNRESET) and spends a retry.
  http: new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  https: new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
};

/** The part of Node's Agent that hands a request its socket (not in the type definitions). */
type RequestQueue = { addRequest(request: http.ClientRequest, options: unknown): void };

/** Tells when the connection of one request closed, whether the shared agent opened it for this request or reused it. */
export class SocketWatcher {
  private closed = false;
  private listener?: () => void;
  private socket?: Socket;
  private readonly onSocketClose = (): void => {
    this.closed = true;
    this.listener?.();
  };
  readonly agent = (parsed: URL): http.Agent => {
    const shared = parsed.protocol === 'https:' ? keepAliveAgents.https : keepAliveAgents.http;
    // A view of the shared agent for this request alone: it sees which socket the request is given.
    const view = Object.create(shared) as http.Agent & RequestQueue;
    view.addRequest = (request, options) => {
      request.once('socket', (socket: Socket) => {
        this.socket = socket;
        socket.once('close', this.onSocketClose);
      });
      (shared as unknown as RequestQueue).addRequest(request, options);
    };
    return view;
  };
  /** Calls listener once the socket has closed (at once if it already has). */
  onClose(listener: () => void): void {
    this.listener = listener;
    if (this.closed) listener();
  }
  /** Stops watching: a kept-alive socket lives on and serves other requests. */
  dispose(): void {
    this.listener = undefined;
    this.socket?.removeListener('close', this.onSocketClose);
  }
}

/** One answered GET: its response, the watch on its socket, and what aborts it. */
export interface Fetched {
  response: FetchResponse;
  socket: SocketWatcher;
  /** Aborts this hop's request (and closes its connection); follows the attempt's signal too. */
  request: AbortController;
}

/** Ends a response we will not read: its body is destroyed and its request aborted, so nothing more is downloaded. */
export function discard(fetched: Fetched): void {
  const body = fetched.response.body as Readable | undefined;
  // node-fetch reports the abort as an 'error' on the body; nobody reads it any more.
  body?.on?.('error', () => undefined);
  body?.destroy?.();
  fetched.request.abort();
  fetched.socket.dispose();
}

/** GET with redirects followed by hand, so every hop must pass the same https/loopback rule. */
export async function fetchFollowingSafeRedirects(
  fetchImpl: FetchImpl,
  url: URL,
  scope: AttemptScope,
  allowLoopbackHttp: boolean,
): Promise<Fetched> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const socket = new SocketWatcher();
    const request = new AbortController();
    if (scope.signal.aborted) request.abort();
    else scope.signal.addEventListener('abort', () => request.abort(), { once: true });
    const response = await fetchImpl(current.href, {
      agent: socket.agent,
      method: 'GET',
      redirect: 'manual',
      compress: false,
      signal: request.signal,
      headers: { Accept: 'audio/*, */*;q=0.5' },
    });
    if (![301, 302, 303, 307, 308].includes(response.status)) return { response, socket, request };
    discard({ response, socket, request });
    const location = response.headers.get('location');
    if (!location || hop >= MAX_REDIRECTS)
      throw new DownloadError(
        `The audio download was redirected too often or without a target (HTTP ${response.status}).`,
      );
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new ProtocolError('The audio download was redirected to an invalid address.');
    }
    if (!isAllowedRemoteUrl(next, { allowLoopbackHttp }))
      throw new ProtocolError('The audio download was redirected to an address that is not safe https:.');
    current = next;
  }
}
