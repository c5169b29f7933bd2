// Writing to time and to picture in a real extension host, against the fake server: the narration seen in the script
// (decorations and a CodeLens per part), a duration warning in the Problems panel when a section's target is too short,
// captions written beside the audio, and real lengths replacing the estimates after a generation.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { NarrationView } from '../../src/editorView/narrationView';
import type { UserInterfaceHolder } from '../../src/ui/userInterface';
import { DEMO_TOKEN, startFakeServer, type FakeServer } from '../fixtures/fakeServer';
import { eventually } from '../support/eventually';
import { ScriptedUi } from './scriptedUi';
import { settings, workspaceFile, testSeams } from './workspace';

interface Testing {
  ui: UserInterfaceHolder;
  /** Started by the activation bundle once a script is visible (the engine loads then). */
  narrationView: () => NarrationView | undefined;
}

const SCRIPT = [
  '---',
  'title: Timed',
  'duration:',
  '  total: 5:00',
  '  Intro: 1s',
  '---',
  '',
  '# Intro',
  '',
  'Welcome to the studio. This opening says more than one second can hold.',
  '',
  '```bash',
  'npm run never-spoken',
  '```',
  '',
  '# Next',
  '',
  'The second section is short.',
  '',
].join('\n');

/** The inlay hints of the whole document, as "line:character label". */
async function inlayHints(uri: vscode.Uri, document: vscode.TextDocument): Promise<string[]> {
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const hints =
    (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', uri, whole)) ?? [];
  return hints.map((hint) => {
    const label = typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('');
    return `${hint.position.line}:${hint.position.character} ${label}`;
  });
}

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.map((lens) => lens.command?.title ?? '').filter((title) => title.length > 0);
}

describe('writing to time and to picture', function () {
  this.timeout(120_000);
  let server: FakeServer;
  let testing: Testing;
  let ui: ScriptedUi;

  before(async () => {
    server = await startFakeServer();
    testing = await testSeams<Testing>();
    await settings().update('apiBaseUrl', server.url, vscode.ConfigurationTarget.Global);
    await settings().update('player.autoPlay', false, vscode.ConfigurationTarget.Global);
    ui = new ScriptedUi();
    testing.ui.current = ui;
    await ui.setKey(DEMO_TOKEN);
  });

  beforeEach(() => {
    ui = new ScriptedUi();
    testing.ui.current = ui;
    server.reset();
  });

  after(async () => {
    ui.answerMessage(/Remove the stored/, 'Remove Key');
    await vscode.commands.executeCommand('aistudios.clearApiKey');
    for (const key of ['apiBaseUrl', 'player.autoPlay', 'output.captions', 'editor.showNarration'])
      await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.close();
  });

  it('shows the narration in the script, warns when a section runs over its target, and writes captions', async () => {
    const uri = workspaceFile('timed.md');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(SCRIPT));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // The view starts on first need, once the script is visible.
    const view = await eventually(() => {
      const started = testing.narrationView();
      assert.ok(started, 'the narration view started');
      return started;
    });

    // The code fence is dimmed, and each part has its CodeLens with an estimate.
    await eventually(() => assert.deepStrictEqual(view.decorationsShown(uri), { silent: 2 }));
    const shown = view.viewOf(uri);
    assert.deepStrictEqual(
      shown?.view.silent.map((s) => s.reason),
      ['front matter', 'code block'],
    );
    const before = await eventually(async () => {
      const titles = await lensTitles(uri);
      assert.ok(
        titles.length >= 2 && titles.every((t) => /^Part \d · \d+ chars · ≈ 0:\d\d/.test(t)),
        titles.join(' | '),
      );
      return titles;
    });
    assert.ok(
      before.every((t) => !t.endsWith('cached')),
      'nothing is cached before the first take',
    );
    assert.match(view.statusText, /^\$\(watch\) ≈ 0:\d\d/);

    // "Intro: 1s" is too short: a warning on the heading, with the estimate.
    const warning = await eventually(() => {
      const found = vscode.languages.getDiagnostics(uri).find((d) => d.source === 'AI Studios');
      assert.ok(found, 'a duration warning');
      return found;
    });
    assert.strictEqual(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warning.message, /^The section “Intro” runs ≈ 0:0\d, 0:0\d over its target of 0:01\.$/);
    assert.strictEqual(editor.document.lineAt(warning.range.start.line).text, '# Intro');

    // A longer target clears it, as the writer types (the view never touches the text itself).
    const line = SCRIPT.split('\n').indexOf('  Intro: 1s');
    await editor.edit((edit) => edit.replace(new vscode.Range(line, 0, line, 11), '  Intro: 45s'));
    await eventually(() =>
      assert.deepStrictEqual(
        vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'AI Studios'),
        [],
      ),
    );
    await editor.document.save();

    // A generation with captions on writes both beside the audio, and real lengths replace the estimates.
    await settings().update('output.captions', 'both', vscode.ConfigurationTarget.Global);
    const written = await vscode.commands.executeCommand<vscode.Uri[]>('aistudios.generateFromDocument', uri);
    assert.ok(written?.length, ui.describe());
    assert.strictEqual(written[0].path.split('/').pop(), 'timed.mp3');
    const srt = Buffer.from(await vscode.workspace.fs.readFile(workspaceFile('timed.srt'))).toString('utf8');
    const vtt = Buffer.from(await vscode.workspace.fs.readFile(workspaceFile('timed.vtt'))).toString('utf8');
    assert.match(srt, /^1\n00:00:00,000 --> 00:00:0\d,\d{3}\nIntro\.\n/);
    assert.match(srt, /\nWelcome to the studio\.\n/);
    assert.ok(!srt.includes('never-spoken'), 'captions hold only what was spoken');
    assert.match(vtt, /^WEBVTT\n\n1\n00:00:00\.000 --> /);
    await eventually(async () => {
      const titles = await lensTitles(uri);
      assert.ok(
        titles.length >= 2 && titles.every((t) => /^Part \d · \d+ chars · 0:\d\d · cached$/.test(t)),
        titles.join(' | '),
      );
    });
    await eventually(() => assert.match(view.statusText, /^\$\(watch\) 0:\d\d/));

    // Turned off, it all goes away.
    await settings().update('editor.showNarration', false, vscode.ConfigurationTarget.Global);
    await eventually(async () => assert.deepStrictEqual(await lensTitles(uri), []));
    assert.strictEqual(view.decorationsShown(uri), undefined);
    await settings().update('editor.showNarration', undefined, vscode.ConfigurationTarget.Global);
  });

  it("shows each pause's length and each cast speaker's voice as inlay hints after the mark, which wrapping makes room for", async () => {
    const uri = workspaceFile('hinted.md');
    const lines = [
      '---',
      'voices:',
      '  ALEX: M000004017',
      '---',
      '',
      '**ALEX:** Welcome back. [beat] Let us begin.',
      '',
    ];
    await vscode.workspace.fs.writeFile(uri, Buffer.from(lines.join('\n')));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const line = lines[5];
    await eventually(async () => {
      const hints = await inlayHints(uri, document);
      assert.strictEqual(hints.length, 2, hints.join(' | '));
      // In the order of the line: the speaker's voice (by its name when the account's list is known, else by its
      // id) after the label, then the pause's length after its mark.
      assert.match(hints[0], new RegExp(`^5:${'**ALEX:**'.length} → \\S.* · en$`));
      assert.strictEqual(hints[1], `5:${line.indexOf('[beat]') + '[beat]'.length} 0.5 s`);
    });
    // Turned off, the hints go with the rest of the view.
    await settings().update('editor.showNarration', false, vscode.ConfigurationTarget.Global);
    await eventually(async () => assert.deepStrictEqual(await inlayHints(uri, document), []));
    await settings().update('editor.showNarration', undefined, vscode.ConfigurationTarget.Global);
  });
});
