// Run by the bench in a child process: loads a built activation bundle (extension.js) in plain Node with a stand-in
// for `vscode`, calls activate(), and lists every file of the build that was loaded by the time activate() returned.
//   node activationProbe.js <build folder>
// Prints one JSON line: {"files": [{"path", "bytes"}], "commands": n}.
import { statSync } from 'fs';
import Module from 'module';
import * as path from 'path';
import { createVscodeStub } from '../support/vscodeStub';

const folder = path.resolve(process.argv[2] ?? 'dist');
const { stub, registrations } = createVscodeStub();
const loaded = new Set<string>();
const moduleApi = Module as unknown as {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
  _resolveFilename(request: string, parent: unknown): string;
};
const originalLoad = moduleApi._load;
moduleApi._load = function (request, parent, isMain) {
  if (request === 'vscode') return stub;
  const resolved = moduleApi._resolveFilename(request, parent);
  if (path.isAbsolute(resolved)) loaded.add(resolved);
  return originalLoad.call(this, request, parent, isMain);
};
const load = Module.createRequire(path.join(folder, 'probe.js'));
const extension = load(path.join(folder, 'extension.js')) as { activate(context: unknown): unknown };
extension.activate({
  subscriptions: [],
  extensionMode: 1,
  globalState: { get: (_key: string, fallback?: unknown) => fallback, update: async () => undefined },
  logUri: { fsPath: path.join(folder, 'logs') },
});
const files = [...loaded].map((file) => ({ path: path.relative(folder, file), bytes: statSync(file).size }));
process.stdout.write(
  `${JSON.stringify({ files, commands: registrations.filter((r) => r.kind === 'command').length })}\n`,
);
