import * as vscode from 'vscode';
import { type Credentials, REGION_HOSTS, type Region, isAiStudiosError } from '../core';
import type { CommandDeps } from './commandDeps';
import { abortSignalFor } from '../cancellation';
import { onDidChangeSettings, updateUserSettings } from '../config';
import { describeError } from '../ui/errorMessages';

interface RegionItem extends vscode.QuickPickItem {
  region: Region;
}
interface MethodItem extends vscode.QuickPickItem {
  method: 'appKey' | 'token';
}

/** aistudios.setApiKey and aistudios.clearApiKey. */
export function registerKeyCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('aistudios.setApiKey', () => setApiKey(deps)),
    vscode.commands.registerCommand('aistudios.clearApiKey', () => clearApiKey(deps)),
    // Keys belong to one site: changing the region by hand cannot move a key, so say what to do instead.
    onDidChangeSettings((e) => {
      if (e.affects('region')) void warnIfKeyRegionDiffers(deps);
    }),
  ];
}

/** After a change of `aistudios.region`: a stored key still belongs to its own site, so say how to switch. */
export async function warnIfKeyRegionDiffers(deps: CommandDeps): Promise<void> {
  const stored = await deps.store.get();
  const region = deps.config().region;
  if (!stored || stored.region === region) return;
  const setKey = vscode.l10n.t('Set API Key');
  const choice = await deps.ui.current.showMessage(
    'warning',
    vscode.l10n.t(
      'Your stored API key is for {0}; keys are separate per site, so requests still go there. Set a key for {1} to switch.',
      new URL(REGION_HOSTS[stored.region]).host,
      new URL(REGION_HOSTS[region]).host,
    ),
    {},
    setKey,
  );
  if (choice === setKey) await vscode.commands.executeCommand('aistudios.setApiKey');
}

/** Asks for region and credentials, verifies them with the server, and stores them only when they work. Resolves true when stored. */
export async function setApiKey(deps: CommandDeps, triedRegion?: Region): Promise<boolean> {
  const ui = deps.ui.current;
  const current = (await deps.store.get())?.region ?? deps.config().region;
  const regions: RegionItem[] = (['china', 'global'] as const).map((region) => ({
    region,
    label: region === 'china' ? vscode.l10n.t('China') : vscode.l10n.t('Global'),
    description: new URL(REGION_HOSTS[region]).host,
    detail: region === current ? vscode.l10n.t('Current region') : undefined,
  }));
  // Try Again starts from the region just tried: most often only the key was mistyped.
  if ((triedRegion ?? current) === 'global') regions.reverse();
  const regionItem = await ui.showQuickPick(regions, {
    title: vscode.l10n.t('Set AI Studios API Key (1/3): Region'),
    placeHolder: vscode.l10n.t('Which AI Studios site is your account on? Accounts and keys are separate per site.'),
    ignoreFocusOut: true,
  });
  if (!regionItem) return false;

  const methods: MethodItem[] = [
    {
      method: 'appKey',
      label: vscode.l10n.t('App ID and User Key'),
      description: vscode.l10n.t('Recommended'),
      detail: vscode.l10n.t(
        'From Profile → API Key on the AI Studios site. The extension renews its 24-hour tokens by itself.',
      ),
    },
    {
      method: 'token',
      label: vscode.l10n.t('API token'),
      detail: vscode.l10n.t('A token you minted yourself. It stops working after 24 hours.'),
    },
  ];
  const methodItem = await ui.showQuickPick(methods, {
    title: vscode.l10n.t('Set AI Studios API Key (2/3): Sign-in method'),
    ignoreFocusOut: true,
  });
  if (!methodItem) return false;

  const credentials = await askCredentials(deps, methodItem.method);
  if (!credentials) return false;

  try {
    const client = deps.clients.createFor(regionItem.region, credentials);
    await ui.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Checking the key with AI Studios…'),
        cancellable: true,
      },
      async (_progress, token) => {
        const abort = abortSignalFor(token);
        try {
          await client.verifyCredentials(abort.signal);
        } finally {
          abort.dispose();
        }
      },
    );
  } catch (error) {
    if (isAiStudiosError(error) && error.kind === 'cancelled') return false;
    let message = isAiStudiosError(error) ? describeError(error) : vscode.l10n.t('The key could not be checked.');
    if (isAiStudiosError(error) && error.kind === 'auth')
      message += ` ${whatToCheck(methodItem.method, new URL(REGION_HOSTS[regionItem.region]).host)}`;
    deps.clients.logger.warn(`Key check failed: ${isAiStudiosError(error) ? error.message : String(error)}`);
    const retry = vscode.l10n.t('Try Again');
    const showLog = vscode.l10n.t('Show Log');
    const choice = await ui.showMessage(
      'error',
      vscode.l10n.t('The key was not saved: {0}', message),
      {},
      retry,
      showLog,
    );
    if (choice === retry) return setApiKey(deps, regionItem.region);
    if (choice === showLog) void vscode.commands.executeCommand('aistudios.showLog');
    return false;
  }

  try {
    await deps.store.store({ region: regionItem.region, credentials });
    await updateUserSettings({ region: regionItem.region });
  } catch (error) {
    // E.g. no keyring on Linux: say so rather than pretend the key was kept.
    deps.clients.logger.error(`Storing the key failed: ${String(error)}`);
    const showLog = vscode.l10n.t('Show Log');
    const choice = await ui.showMessage(
      'error',
      vscode.l10n.t(
        'The key is valid but VS Code could not store it in its secret storage. Check that your system keyring is available, then try again.',
      ),
      {},
      showLog,
    );
    if (choice === showLog) deps.log.show(true);
    return false;
  }
  deps.clients.logger.info(`Credentials for the ${regionItem.region} region were verified and saved.`);
  void ui.showMessage('info', vscode.l10n.t('AI Studios API key saved.'), {});
  return true;
}

async function askCredentials(deps: CommandDeps, method: 'appKey' | 'token'): Promise<Credentials | undefined> {
  const ui = deps.ui.current;
  const ask = (title: string, prompt: string) =>
    ui.showInputBox({
      title,
      prompt,
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('This cannot be empty.')),
    });
  if (method === 'token') {
    const token = (
      await ask(
        vscode.l10n.t('Set AI Studios API Key (3/3): API token'),
        vscode.l10n.t('Paste your AI Studios API token.'),
      )
    )?.trim();
    return token ? { kind: 'token', token } : undefined;
  }
  const appId = (
    await ask(vscode.l10n.t('Set AI Studios API Key (3/3): App ID'), vscode.l10n.t('Paste your App ID.'))
  )?.trim();
  if (!appId) return undefined;
  const userKey = (
    await ask(vscode.l10n.t('Set AI Studios API Key (3/3): User Key'), vscode.l10n.t('Paste your User Key.'))
  )?.trim();
  return userKey ? { kind: 'appKey', appId, userKey } : undefined;
}

async function clearApiKey(deps: CommandDeps): Promise<boolean> {
  const stored = (await deps.store.get()) !== undefined;
  // In the demo (npm run demo, F5) the fake server's token stands in for a key until the user removes it.
  const demo = !stored && (await deps.clients.usesDemoToken());
  if (!stored && !demo) {
    void deps.ui.current.showMessage('info', vscode.l10n.t('No AI Studios API key is stored.'), {});
    return false;
  }
  const remove = vscode.l10n.t('Remove Key');
  const choice = await deps.ui.current.showMessage(
    'warning',
    vscode.l10n.t('Remove the stored AI Studios API key?'),
    {
      modal: true,
      detail: demo
        ? vscode.l10n.t(
            'This is the demo token of the fake server. Once removed, it is not used again: you will need to set a key to generate audio, as with a real account.',
          )
        : vscode.l10n.t('You will need to set it again to generate audio.'),
    },
    remove,
  );
  if (choice !== remove) return false;
  if (stored) await deps.store.clear();
  await deps.clients.giveUpDemoToken();
  deps.clients.logger.info(demo ? 'The demo token was removed.' : 'Stored credentials removed.');
  void deps.ui.current.showMessage('info', vscode.l10n.t('AI Studios API key removed.'), {});
  return true;
}

/** What to check when AI Studios refuses the key: the copy, the site it belongs to and, for a token, its age. */
function whatToCheck(method: MethodItem['method'], host: string): string {
  return method === 'token'
    ? vscode.l10n.t(
        'Check that the whole token was pasted and that it was made on {0} (accounts are separate per site); a token stops working after 24 hours.',
        host,
      )
    : vscode.l10n.t(
        'Copy the App ID and User Key again from Profile → API Key on {0}, and check the region: accounts are separate per site.',
        host,
      );
}
