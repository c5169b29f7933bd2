// Loads the extension's second bundle (dist/engine.js) on first use, once. Until then, activate() has registered
// stand-ins (commands, the serializer, the preview's content provider) through standIn(); they are released just
// before the engine registers the real ones, so each id is registered once at any moment.
import type * as vscode from 'vscode';
import type { Engine, EngineShared } from './engine';

/** The engine bundle's module: its one export. */
export interface EngineModule {
  startEngine(context: vscode.ExtensionContext, shared: EngineShared): Engine;
}

export class EngineLoader {
  private engine: Engine | undefined;
  private readonly standIns: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly shared: EngineShared,
    /** Requires the engine's module (a real require of dist/engine.js; a fake in tests). */
    private readonly requireEngine: () => EngineModule,
  ) {}

  /** Whether the engine has been loaded. */
  get isLoaded(): boolean {
    return this.engine !== undefined;
  }

  /** Keeps a stand-in, released when the engine loads. */
  standIn<T extends vscode.Disposable>(disposable: T): T {
    if (this.engine) disposable.dispose();
    else this.standIns.push(disposable);
    return disposable;
  }

  /** The engine, loaded now if it is not yet. A module that cannot be loaded leaves the stand-ins in place. */
  get(): Engine {
    if (!this.engine) {
      const module = this.requireEngine();
      for (const standIn of this.standIns.splice(0)) standIn.dispose();
      this.engine = module.startEngine(this.context, this.shared);
    }
    return this.engine;
  }

  /** Releases the stand-ins still registered (the engine's own registrations go with the context's subscriptions). */
  dispose(): void {
    for (const standIn of this.standIns.splice(0)) standIn.dispose();
  }
}
