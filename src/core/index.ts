// The one entry to the core: the extension's shell and the command-line tool import from here only (lint-enforced),
// so the core's inner layout can change without touching them. Nothing here imports `vscode`.

// Shared pieces: typed errors, cancellation, bounded concurrency, the logger seam.
export * from './errors';
export * from './abort';
export * from './concurrency';
export * from './logger';
export * from './failureMessage';
export * from './systemErrors';

// The settings' defaults and ranges, shared by the extension and the CLI.
export * from './settingsDefaults';

// api/: the voice of a request, the speech service the pipeline needs, and the AI Studios client that provides it,
// with its hosts, credentials, retries and downloads.
export * from './api/voiceParams';
export * from './api/speechService';
export * from './api/client';
export * from './api/credentials';
export * from './api/host';

// audio/: formats and joining.
export * from './audio/format';

// cache/: paid audio kept by content.
export * from './cache/audioCache';

// input/: is the input a text script at all (UTF-8, not audio, not a PDF…)?
export * from './input/scriptBytes';
export * from './input/encodingGuess';

// narration/: script → narration → chunks, and the preview of what will be sent.
export * from './narration/narration';
export * from './narration/chunker';
export * from './narration/preview';
export * from './narration/sourceLines';
export * from './narration/scriptKind';
export * from './narration/scriptSource';
export * from './narration/speakMode';
export * from './narration/casting';
export * from './narration/pronunciations';
export * from './narration/pauseCues';
export * from './narration/productionLabels';
export type { ScriptDirectives } from './narration/frontMatter';

// language/: whether the text is in the voice's language, by its writing system.
export * from './language/writingSystem';

// files/: output names, and placement beside the script on any file system (Node's here; the shell brings VS Code's).
export * from './files/naming';
export * from './files/outputName';
export * from './files/fileSystem';
export * from './files/placement';
export * from './files/nodeFileSystem';

// pipeline/: chunks → audio → joined files.
export * from './pipeline/synthesis';
export * from './pipeline/generation';
export * from './pipeline/render';

// captions/: SRT and WebVTT from the text that was sent and the joined audio's real part times.
export * from './captions/captionLines';
export * from './captions/captionTiming';
export * from './captions/captionSettings';
export * from './captions/captionFiles';
// The writer (with the MP3 decoder and the caption library): the CLI calls it, the extension loads it when needed.
export * from './captions/captionWriter';
export * from './captions/captionFormats';
export * from './audio/loudness';

// timing/: how long a script runs before it is paid for (rates learned from takes), and the lengths it must fit.
export * from './timing/speechRate';
export * from './timing/durationEstimate';
export * from './timing/durationTargets';
export * from './timing/scriptView';
