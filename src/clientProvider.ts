import * as vscode from 'vscode';
import {
  AiStudiosClient,
  createRedactingLogger,
  redactSecrets,
  type Logger,
  secretsOf,
  type Credentials,
  resolveBaseUrl,
  type Region,
} from './core';
import { readConfig } from './config';
import type { CredentialStore, StoredCredentials } from './credentialStore';
import { Disposable } from './disposable';

/**
 * Hands out one API client per (credentials, host), so a token minted from App ID + User Key is reused
 * across commands until it ages out. Any change of secrets or settings drops the cached client.
 */
export class ClientProvider extends Disposable {
  private cached: { signature: string; client: AiStudiosClient } | undefined;
  /** Every secret we know of, for redaction in all log lines (also those not written by a client). */
  private knownSecrets: string[] = [];
  private readonly keyChanged = this.register(new vscode.EventEmitter<void>());
  /** The key changed: stored, removed (here or in another window), or the demo token given up. */
  readonly onDidChangeKey = this.keyChanged.event;

  constructor(
    private readonly store: CredentialStore,
    private readonly log: vscode.LogOutputChannel,
    /** Only a development or test host (npm run demo, F5) may use the demo token. */
    private readonly allowDemoToken: boolean,
    /** Remembers that the user removed the key, after which the demo token is not used (global state). */
    private readonly state: vscode.Memento,
  ) {
    super();
    // Settings need no listener: get() compares the host and timeout it would use with the cached client's.
    this.register(
      store.onDidChange(() => {
        this.cached = undefined;
        this.keyChanged.fire();
      }),
    );
  }

  /** A logger that writes to the output channel with every known secret redacted. */
  readonly logger: Logger = createRedactingLogger(
    {
      trace: (m) => this.log.trace(m),
      debug: (m) => this.log.debug(m),
      info: (m) => this.log.info(m),
      warn: (m) => this.log.warn(m),
      error: (m) => this.log.error(m),
    },
    () => this.knownSecrets,
  );

  /** Builds a client for credentials that are not stored yet (used to verify them before storing). */
  createFor(region: Region, credentials: Credentials, config = readConfig()): AiStudiosClient {
    this.remember(credentials);
    return new AiStudiosClient({
      baseUrl: resolveBaseUrl(region, config.apiBaseUrl),
      credentials,
      logger: this.logger,
      timeoutMs: config.requestTimeoutMs,
    });
  }

  /** The client for the stored credentials, or undefined when no key is set. */
  async get(): Promise<{ client: AiStudiosClient; region: Region; baseUrl: string } | undefined> {
    const config = readConfig();
    const stored = (await this.store.get()) ?? this.demoCredentials(config);
    if (!stored) return undefined;
    const baseUrl = resolveBaseUrl(stored.region, config.apiBaseUrl);
    const signature = JSON.stringify([baseUrl, stored.credentials, config.requestTimeoutMs]);
    if (this.cached?.signature !== signature) {
      this.cached = { signature, client: this.createFor(stored.region, stored.credentials, config) };
    }
    return { client: this.cached.client, region: stored.region, baseUrl };
  }

  /** Whether requests would go out with the demo token (no key stored, a demo host, and not given up). */
  async usesDemoToken(): Promise<boolean> {
    return !(await this.store.get()) && this.demoCredentials(readConfig()) !== undefined;
  }

  /**
   * The user removed the key: from now on this profile asks for one like in production, even where the demo token
   * would work. The demo token is only a default for a first run.
   */
  async giveUpDemoToken(): Promise<void> {
    if (!this.allowDemoToken || this.state.get<boolean>(DEMO_TOKEN_REMOVED_KEY)) return;
    await this.state.update(DEMO_TOKEN_REMOVED_KEY, true);
    this.cached = undefined;
    this.keyChanged.fire();
  }

  private demoCredentials(config: ReturnType<typeof readConfig>): StoredCredentials | undefined {
    if (!this.allowDemoToken || this.state.get<boolean>(DEMO_TOKEN_REMOVED_KEY)) return undefined;
    return demoCredentials(config.region, config.apiBaseUrl);
  }

  /** Removes every secret this window has seen from a text meant for the user. */
  redact(text: string): string {
    return redactSecrets(text, this.knownSecrets);
  }

  private remember(credentials: Credentials): void {
    for (const secret of secretsOf(credentials))
      if (!this.knownSecrets.includes(secret)) this.knownSecrets.push(secret);
  }
}

const DEMO_TOKEN_REMOVED_KEY = 'aistudios.demoTokenRemoved';

/**
 * `npm run demo` and F5 set AISTUDIOS_DEMO_TOKEN for the fake server. It is honoured only while no key is stored
 * and the API address is on this machine, so it can never send a real request anywhere; it is kept in memory only.
 */
function demoCredentials(region: Region, apiBaseUrl: string): StoredCredentials | undefined {
  const token = process.env.AISTUDIOS_DEMO_TOKEN?.trim();
  if (!token || !apiBaseUrl) return undefined;
  let url: URL;
  try {
    url = new URL(apiBaseUrl);
  } catch {
    return undefined;
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return url.protocol === 'http:' && loopback ? { region, credentials: { kind: 'token', token } } : undefined;
}
