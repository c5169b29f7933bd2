import * as vscode from 'vscode';
import { FileExistsError, partFileName } from '../core';
import { workspaceFileSystem } from '../generation/workspaceFileSystem';
import type { CommandDeps } from './commandDeps';
import {
  bundledSamplePath,
  SAMPLE_FILE_NAME,
  sampleFolderName,
  sampleLanguage,
  type SampleLanguage,
} from '../sampleScript';
import { reportError } from '../ui/errorPresenter';
import { isVoiceChosen } from '../walkthroughContext';

/** Folder names tried for one copy before giving up (more than one only when copies are made in the same second). */
const MAX_ATTEMPTS = 100;

/** What the walkthrough's "Generate the Sample" link passes to aistudios.openSample. */
export interface OpenSampleOptions {
  /** Once the sample is open, generate its audio (Generate Audio from Markdown Script, with its progress and errors). */
  generate?: boolean;
}

/** aistudios.openSample: the walkthrough's sample script, opened (and, asked so, generated). */
export function registerSampleCommand(deps: CommandDeps): vscode.Disposable {
  // One copy at a time: VS Code's rename checks for an existing file before it moves, so two copies made at once
  // could both find the same name free.
  let copying: Promise<unknown> = Promise.resolve();
  const copyInTurn = (language: SampleLanguage): Promise<vscode.Uri> => {
    const copy = copying.then(() => copySample(deps.context, language));
    copying = copy.catch(() => undefined);
    return copy;
  };
  return vscode.commands.registerCommand('aistudios.openSample', (options?: unknown) =>
    openSample(deps, copyInTurn, options),
  );
}

/**
 * Copies the sample in the voice's language into a fresh folder of the extension's storage and opens it there: never
 * in the writer's workspace, never over an earlier copy. A file rather than an untitled editor, so that its audio is
 * saved beside it without a save dialog. Resolves with the copy once it is open, and once its generation ended when
 * asked to generate; undefined when it could not be made.
 */
async function openSample(
  deps: CommandDeps,
  copy: (language: SampleLanguage) => Promise<vscode.Uri>,
  options: unknown,
): Promise<vscode.Uri | undefined> {
  let sample: vscode.Uri;
  try {
    const language = sampleLanguage(
      { chosen: isVoiceChosen(deps.context.globalState), language: deps.config().voice.language },
      vscode.env.language,
    );
    sample = await copy(language);
    await vscode.window.showTextDocument(sample, { preview: false });
  } catch (error) {
    reportError(deps, error, { context: vscode.l10n.t('The sample script could not be opened') });
    return undefined;
  }
  deps.log.info(`Opened a copy of the sample script: ${sample.toString(true)}`);
  if (isGenerateRequest(options)) await vscode.commands.executeCommand('aistudios.generateFromDocument', sample);
  return sample;
}

function isGenerateRequest(options: unknown): boolean {
  return typeof options === 'object' && options !== null && (options as OpenSampleOptions).generate === true;
}

/** The bundled sample, copied to `<global storage>/sample/<time>/first-take.md`; returns the copy. */
async function copySample(context: vscode.ExtensionContext, language: SampleLanguage): Promise<vscode.Uri> {
  const text = await vscode.workspace.fs.readFile(
    vscode.Uri.joinPath(context.extensionUri, ...bundledSamplePath(language)),
  );
  const root = vscode.Uri.joinPath(context.globalStorageUri, 'sample');
  const now = new Date();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const folder = vscode.Uri.joinPath(root, sampleFolderName(now, attempt));
    if ((await workspaceFileSystem.stat(folder)) !== undefined) continue;
    await vscode.workspace.fs.createDirectory(folder);
    // Written under a name of its own, then renamed without replacing: a copy made at the same moment by another
    // window keeps its file.
    const part = vscode.Uri.joinPath(folder, partFileName(SAMPLE_FILE_NAME));
    const target = vscode.Uri.joinPath(folder, SAMPLE_FILE_NAME);
    await vscode.workspace.fs.writeFile(part, text);
    try {
      await workspaceFileSystem.rename(part, target, { replace: false });
      return target;
    } catch (error) {
      await vscode.workspace.fs.delete(part).then(undefined, () => undefined);
      if (!(error instanceof FileExistsError)) throw error;
    }
  }
  throw new Error(vscode.l10n.t('Every folder name for the sample in {0} is taken.', root.toString(true)));
}
