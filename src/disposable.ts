// The lifecycle of the shell's objects: each registers what it creates (listeners, watchers, emitters, panels) and
// releases all of it at once, exactly once. After microsoft/vscode-hexeditor's src/dispose.ts. No `vscode` import:
// anything with a dispose() will do, so plain unit tests can check it.

/** Anything that can be released: VS Code's Disposable, an EventEmitter, a webview panel, a small object literal. */
export interface IDisposable {
  dispose(): unknown;
}

/** Base of every shell class that owns listeners, watchers or panels. */
export abstract class Disposable {
  private readonly owned: IDisposable[] = [];
  private disposed = false;

  /** Whether dispose() has run: work that ends late checks it before touching what was released. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Releases `value` together with this object (at once, when this object is already disposed); returns it. */
  protected register<T extends IDisposable>(value: T): T {
    if (this.disposed) value.dispose();
    else this.owned.push(value);
    return value;
  }

  /**
   * Releases everything registered, newest first, so what was built on top goes before what it was built on.
   * Calling it again does nothing. One that throws does not keep the others from being released; the first error is
   * thrown once all had their turn.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    let failure: { error: unknown } | undefined;
    for (const value of this.owned.splice(0).reverse()) {
      try {
        value.dispose();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}
