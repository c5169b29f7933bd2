// A stand-in for the `vscode` module, enough for activate(): it records what is registered (and refuses a second
// registration of an id that is still registered, as VS Code does), runs commands, and keeps context keys. Used by the
// activation test and the bench's activation probe, which load the built activation bundle in plain Node.

export interface Registration {
  kind: 'command' | 'serializer' | 'contentProvider' | 'statusBarItem' | 'listener';
  id: string;
  disposed: boolean;
}

/** A stand-in for the `vscode` module: records what is registered, refuses a second registration of a live id. */
export function createVscodeStub() {
  const registrations: Registration[] = [];
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const contextKeys = new Map<string, unknown>();
  const visibleEditorListeners = new Set<() => void>();
  /** `aistudios.*` settings by their name under the section; unset ones are undefined, as VS Code's defaults are not known here. */
  const settings = new Map<string, unknown>();
  const register = (kind: Registration['kind'], id: string, onDispose: () => void = () => undefined) => {
    if (kind !== 'listener' && registrations.some((r) => r.kind === kind && r.id === id && !r.disposed))
      throw new Error(`${kind} ${id} is already registered`);
    const registration: Registration = { kind, id, disposed: false };
    registrations.push(registration);
    return {
      dispose: () => {
        registration.disposed = true;
        onDispose();
      },
    };
  };
  const stub = {
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    Disposable: {
      from: (...items: { dispose(): unknown }[]) => ({ dispose: () => items.forEach((i) => i.dispose()) }),
    },
    l10n: { t: (message: string) => message },
    EventEmitter: class {
      private readonly listeners = new Set<(value: unknown) => void>();
      event = (listener: (value: unknown) => void) => {
        this.listeners.add(listener);
        return { dispose: () => this.listeners.delete(listener) };
      };
      fire(value: unknown) {
        for (const listener of [...this.listeners]) listener(value);
      }
      dispose() {
        this.listeners.clear();
      }
    },
    commands: {
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        const disposable = register('command', id, () => {
          if (handlers.get(id) === handler) handlers.delete(id);
        });
        handlers.set(id, handler);
        return disposable;
      },
      executeCommand: async (id: string, ...args: unknown[]) => {
        if (id === 'setContext') return void contextKeys.set(args[0] as string, args[1]);
        const handler = handlers.get(id);
        if (!handler) throw new Error(`command '${id}' not found`);
        return handler(...args);
      },
    },
    window: {
      activeTextEditor: undefined,
      visibleTextEditors: [] as { document: { languageId: string; uri: { scheme: string } } }[],
      onDidChangeVisibleTextEditors: (listener: () => void) => {
        visibleEditorListeners.add(listener);
        const registration = register('listener', 'visibleTextEditors');
        return {
          dispose: () => {
            visibleEditorListeners.delete(listener);
            registration.dispose();
          },
        };
      },
      onDidChangeActiveTextEditor: () => register('listener', 'activeTextEditor'),
      registerWebviewPanelSerializer: (viewType: string) => register('serializer', viewType),
      createStatusBarItem: (id: string) => ({
        ...register('statusBarItem', id),
        show: () => undefined,
        hide: () => undefined,
      }),
    },
    workspace: {
      getConfiguration: () => ({ get: (key: string) => settings.get(key), inspect: () => undefined }),
      onDidChangeConfiguration: () => register('listener', 'configuration'),
      registerTextDocumentContentProvider: (scheme: string) => register('contentProvider', scheme),
    },
  };
  /** Shows these editors, as VS Code does when the writer opens a file, and tells the listeners. */
  const showEditors = (...editors: { languageId: string; scheme?: string }[]) => {
    stub.window.visibleTextEditors = editors.map((e) => ({
      document: { languageId: e.languageId, uri: { scheme: e.scheme ?? 'file' } },
    }));
    for (const listener of [...visibleEditorListeners]) listener();
  };
  return { stub, registrations, handlers, contextKeys, showEditors, settings };
}
