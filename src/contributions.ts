// What package.json contributes and activate() registers: the command ids, the player's view type and the preview's
// URI scheme. A leaf module (no imports), so the activation bundle can name them without loading anything else.

/** Every command in `contributes.commands`; activate() registers each one (a unit test holds them together). */
export const COMMAND_IDS = [
  'aistudios.showLog',
  'aistudios.setApiKey',
  'aistudios.clearApiKey',
  'aistudios.generateFromSelection',
  'aistudios.generateFromDocument',
  'aistudios.selectVoice',
  'aistudios.previewNarration',
  'aistudios.openPlayer',
  'aistudios.playFromCursor',
  'aistudios.openSample',
] as const;

/** The player webview's view type (`onWebviewPanel:` activation, the serializer). */
export const PLAYER_VIEW_TYPE = 'aistudios.player';

/** The scheme of the narration preview: its text is a report, not a script. */
export const PREVIEW_SCHEME = 'aistudios-narration';

/** The narration preview's language id, contributed in package.json, where its long lines wrap by default. */
export const PREVIEW_LANGUAGE = 'aistudios-narration';
