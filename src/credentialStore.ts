import * as vscode from 'vscode';
import { parseCredentials, serializeCredentials, type Credentials, type Region } from './core';
import { Disposable } from './disposable';

const SECRET_KEY = 'aistudios.credentials';

/** Credentials as stored: bound to the region they were verified against, since keys are not shared between hosts. */
export interface StoredCredentials {
  region: Region;
  credentials: Credentials;
}

/** The only place the key lives: VS Code's SecretStorage, shared by every window. */
export class CredentialStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    super();
    // Another window may set or clear the key: listen so this one sees it at once.
    this.register(
      secrets.onDidChange((e) => {
        if (e.key === SECRET_KEY) this.changed.fire();
      }),
    );
  }

  async get(): Promise<StoredCredentials | undefined> {
    const raw = await this.secrets.get(SECRET_KEY);
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as { region?: unknown; credentials?: unknown };
      const credentials = parseCredentials(JSON.stringify(parsed.credentials));
      const region: Region = parsed.region === 'global' ? 'global' : 'china';
      return credentials ? { region, credentials } : undefined;
    } catch {
      return undefined;
    }
  }

  async store(value: StoredCredentials): Promise<void> {
    const credentials = JSON.parse(serializeCredentials(value.credentials)) as unknown;
    await this.secrets.store(SECRET_KEY, JSON.stringify({ region: value.region, credentials }));
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }
}
