// Test runner loaded by the extension host (extensionTestsPath): runs every *.test.js compiled
// beside this file. It rejects when a test fails and when no test ran at all, so an empty or
// mis-built suite can never pass.
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha from 'mocha';
import * as vscode from 'vscode';

// In the web workbench (the offline host) the extension host's console reaches the runner mixed
// with the workbench's own log and with printf arguments unapplied. So each reporter line is
// formatted here and tagged; scripts/integration-host/hostLog.js forwards tagged lines to stdout.
// Desktop VS Code prints the extension host's console as is, so no tag there.
const REPORTER_TAG = '[mocha] ';

function routeReporterOutput(): void {
  const tag = vscode.env.uiKind === vscode.UIKind.Web ? REPORTER_TAG : '';
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(tag + util.format(...args));
}

/** Test files next to this runner, searched recursively, in a stable order. */
function findTestFiles(folder: string): string[] {
  return fs
    .readdirSync(folder, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.test.js'))
    .sort()
    .map((file) => path.join(folder, file));
}

/** Entry point called by VS Code's extension test runner. */
export function run(): Promise<void> {
  routeReporterOutput();
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    // The host forwards console lines as text; colour codes would only clutter the log.
    color: false,
    timeout: 30_000,
    forbidOnly: true,
    forbidPending: true,
  });
  for (const file of findTestFiles(__dirname)) mocha.addFile(file);

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const ran = runner.stats?.tests ?? 0;
        if (failures > 0) reject(new Error(`${failures} of ${ran} integration test(s) failed`));
        else if (ran === 0) reject(new Error(`no integration tests ran (looked for *.test.js under ${__dirname})`));
        else resolve();
      });
    } catch (error) {
      reject(error);
    }
  });
}
