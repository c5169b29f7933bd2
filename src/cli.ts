import { randomUUID } from 'crypto';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import * as v8 from 'v8';
import { version as VERSION } from '../package.json';
import {
  AiStudiosClient,
  REGION_HOSTS,
  SETTING_DEFAULTS,
  SETTING_RANGES,
  AudioCache,
  AudioFormatError,
  chunkNarration,
  credentialsFromEnv,
  secretsOf,
  type Credentials,
  InputError,
  isAiStudiosError,
  createRedactingLogger,
  silentLogger,
  type Logger,
  markdownToNarration,
  plainTextToNarration,
  previewEntries,
  previewReading,
  pauseEntries,
  silentEntries,
  dryRunLines,
  isSpeakMode,
  SPEAK_MODES,
  parseVoiceAssignment,
  readLexicon,
  type ScriptDirectives,
  type SpeakMode,
  type VoiceChoice,
  assertWritableDirectory,
  nodeFileSystem,
  placeGeneration,
  resolveBaseUrl,
  type Region,
  generateAudio,
  isMarkdownFileName,
  cachedChunks,
  ChunkFailure,
  type VoiceParams,
  decodeScriptBytes,
  describeRetry,
  errorCodeOf,
  failureDetail,
  failureMessage,
  fileProblem,
  guessLegacyEncoding,
  chunksLanguageMismatch,
  type LanguageMismatch,
  type WritingSystem,
  CAPTIONS_SETTINGS,
  captionFormatsOf,
  makeCaptionFiles,
  type CaptionFormat,
  type CaptionsSetting,
} from './core';

const defaults = SETTING_DEFAULTS;
const ranges = SETTING_RANGES;
/**
 * The CLI's wait for an answer and for the next byte of a download: the client's own default (one minute), shorter
 * than the editor's `requestTimeoutSeconds`, since a stalled download is tried twice before the command gives up.
 */
const DEFAULT_TIMEOUT_SECONDS = 60;

/** "china (app.aistudios.cn, default)": a region with its host, and whether it is the default. */
function regionChoice(region: Region): string {
  return `${region} (${new URL(REGION_HOSTS[region]).host}${region === defaults.region ? ', default' : ''})`;
}

const USAGE = `Usage: aistudios-audio <input.md|input.txt|-> [options]

Turns a markdown script (or plain text) into speech with AI Studios and saves the audio next to it.

Options:
  --out PATH          where to save: a file whose extension matches the audio (AI Studios sends .mp3), or a
                      folder to save in (default: next to the input, named after it; standard input is saved
                      as narration.mp3 in the current folder)
  --model ID          voice model id (default ${defaults.model})
  --language CODE     language of the text, e.g. en, ko, ja, zh (default ${defaults.language}); text in
                      another writing system is refused before anything is sent
  --force-language    send the text even when its writing system does not match --language
  --region REGION     ${regionChoice('china')} or ${regionChoice('global')}
  --base-url URL      API address instead of the region's (https:, or http: on loopback)
  --max-chars N       longest text per request, ${ranges.maxCharactersPerRequest.minimum} to ${ranges.maxCharactersPerRequest.maximum} (default ${defaults.maxCharactersPerRequest})
  --concurrency N     requests at the same time (default ${defaults.concurrency})
  --overwrite         replace an existing output file (default: save as "name (2).mp3")
  --per-section       also save one file per section (name.01-welcome.mp3, ...)
  --captions FORMAT   also save captions beside the audio, named like it: srt, vtt, both or none
                      (default ${defaults['output.captions']}); each file's own for --per-section
  --section-pause MS  silence between sections in milliseconds (default ${defaults.sectionPauseMilliseconds})
  --timeout SECONDS   how long to wait for an answer, and for the next byte of a download (default ${DEFAULT_TIMEOUT_SECONDS});
                      a stalled download is tried once more, so it costs at most twice this
  --speak MODE        what of the script is spoken: ${SPEAK_MODES.join(', ')} (default: the front matter's speak:, else auto)
  --voice NAME=MODEL  speak NAME's lines in voice MODEL (NAME=MODEL:LANGUAGE for another language); repeatable,
                      wins over the front matter's voices:
  --lexicon FILE      a JSON object of pronunciations, {"SQL": "sequel"}; wins over the front matter's
  --no-cache          neither read nor write the audio cache
  --dry-run           make no request; print as JSON lines how the script is read, then each request, pause
                      and silent region in order
  --verbose           print the log (the key is redacted) to stderr
  -h, --help          show this help
  --version           show the version

Credentials come from the environment, never from flags:
  AISTUDIOS_API_KEY                       a token (valid 24 hours), or
  AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY  the extension-style pair; tokens are minted as needed

The input must be UTF-8 text (a byte order mark is fine): audio, images, archives, PDF or office files, and text in
another encoding are refused before any request, with the way to convert them.

Prints the path of every file saved (or kept: an unchanged script keeps its newest take) on standard output, and
what was requested and reused on standard error.

Exit codes: 0 success, 2 usage or bad input, 3 key missing or rejected, 4 other API error, 5 network or timeout, 130 interrupted.
`;

/** Said for a failure nobody foresaw (a bug): where the details are. */
const UNEXPECTED = 'Run again with --verbose for the details.';

/** Exit codes, as documented in the usage text and README. */
export const ExitCode = { ok: 0, usage: 2, auth: 3, api: 4, network: 5, interrupted: 130 } as const;

class UsageError extends Error {}

interface CliOptions {
  input: string;
  out?: string;
  voice: VoiceParams;
  region: Region;
  baseUrl?: string;
  maxChars: number;
  concurrency: number;
  overwrite: boolean;
  perSection: boolean;
  captions: CaptionFormat[];
  sectionPauseMs: number;
  cache: boolean;
  dryRun: boolean;
  verbose: boolean;
  timeoutMs: number;
  forceLanguage: boolean;
  /** --speak, --voice, --lexicon: the command line's say over the script's own front matter. */
  overrides: ScriptDirectives;
  lexicon?: string;
}

/** The options parseArgs knows, with the name of their value as the usage text shows it. */
const OPTIONS = {
  out: { type: 'string', value: 'PATH' },
  model: { type: 'string', value: 'ID' },
  language: { type: 'string', value: 'CODE' },
  region: { type: 'string', value: 'REGION' },
  'base-url': { type: 'string', value: 'URL' },
  'max-chars': { type: 'string', value: 'N' },
  concurrency: { type: 'string', value: 'N' },
  overwrite: { type: 'boolean' },
  'per-section': { type: 'boolean' },
  captions: { type: 'string', value: 'FORMAT' },
  'section-pause': { type: 'string', value: 'MS' },
  timeout: { type: 'string', value: 'SECONDS' },
  'no-cache': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  verbose: { type: 'boolean' },
  'force-language': { type: 'boolean' },
  speak: { type: 'string', value: 'MODE' },
  voice: { type: 'string', value: 'NAME=MODEL' },
  lexicon: { type: 'string', value: 'FILE' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** parseArgs' complaint in our words: which option, what is wrong with it, and the nearest real one for a typo. */
function usageErrorOf(error: unknown): UsageError {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'(-[^' <]*)/.exec(message ?? '')?.[1] ?? '';
  const name = option.replace(/^-+/, '');
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const near = nearestOption(name);
    return new UsageError(`Unknown option ${option}.${near ? ` Did you mean --${near}?` : ''}`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && name in OPTIONS) {
    const spec = OPTIONS[name as keyof typeof OPTIONS];
    return new UsageError(
      'value' in spec ? `${option} needs a value, as in ${option} ${spec.value}.` : `${option} takes no value.`,
    );
  }
  return new UsageError((message ?? String(error)).split('\n')[0]!);
}

/** The option a mistyped name most likely meant: one or two edits away, or the start of it. */
function nearestOption(typed: string): string | undefined {
  const distance = (a: string, b: string): number => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++)
        next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    return row[b.length]!;
  };
  const names = Object.keys(OPTIONS);
  const ranked = names
    .map((name) => ({ name, d: name.startsWith(typed) && typed.length >= 3 ? 0 : distance(typed, name) }))
    .sort((a, b) => a.d - b.d);
  return ranked[0] && ranked[0].d <= Math.min(2, Math.floor(typed.length / 3)) ? ranked[0].name : undefined;
}

function parseOptions(argv: string[]): CliOptions | 'help' | 'version' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        model: { type: 'string', default: defaults.model },
        language: { type: 'string', default: defaults.language },
        region: { type: 'string', default: defaults.region },
        'base-url': { type: 'string' },
        'max-chars': { type: 'string', default: String(defaults.maxCharactersPerRequest) },
        concurrency: { type: 'string', default: String(defaults.concurrency) },
        overwrite: { type: 'boolean', default: false },
        'per-section': { type: 'boolean', default: false },
        captions: { type: 'string', default: defaults['output.captions'] },
        'section-pause': { type: 'string', default: String(defaults.sectionPauseMilliseconds) },
        timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_SECONDS) },
        'no-cache': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        speak: { type: 'string' },
        voice: { type: 'string', multiple: true, default: [] },
        lexicon: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        'force-language': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw usageErrorOf(error);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (values.version) return 'version';
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'Name the script to speak (a file, or - for standard input).'
        : 'Give exactly one input file.',
    );
  if (values.region !== 'china' && values.region !== 'global')
    throw new UsageError(`--region must be china or global, not "${values.region}".`);
  const maxChars = wholeNumberIn(values['max-chars'], '--max-chars', ranges.maxCharactersPerRequest);
  const concurrency = wholeNumberIn(values.concurrency, '--concurrency', ranges.concurrency);
  if (!values.model.trim() || !values.language.trim()) throw new UsageError('--model and --language cannot be empty.');
  if (values.out !== undefined && !values.out.trim()) throw new UsageError('--out cannot be empty.');
  const captions = values.captions.trim().toLowerCase() as CaptionsSetting;
  if (!CAPTIONS_SETTINGS.includes(captions))
    throw new UsageError(`--captions must be ${CAPTIONS_SETTINGS.join(', ')}, not "${values.captions}".`);
  return {
    input: positionals[0],
    out: values.out,
    voice: { model: values.model.trim(), language: values.language.trim() },
    region: values.region,
    baseUrl: values['base-url'],
    maxChars,
    concurrency,
    overwrite: values.overwrite,
    perSection: values['per-section'],
    captions: captionFormatsOf(captions),
    sectionPauseMs: wholeNumberIn(values['section-pause'], '--section-pause', ranges.sectionPauseMilliseconds),
    cache: !values['no-cache'],
    dryRun: values['dry-run'],
    verbose: values.verbose,
    timeoutMs: seconds(values.timeout, '--timeout'),
    forceLanguage: values['force-language'],
    overrides: scriptOverrides(values.speak, values.voice),
    lexicon: values.lexicon,
  };
}

/**
 * --timeout: seconds above 0, at most the editor setting's maximum; returns milliseconds. Its minimum is not the
 * setting's: a test (or an impatient user) may ask for one second.
 */
function seconds(value: string, flag: string): number {
  const n = Number(value);
  const { maximum } = ranges.requestTimeoutSeconds;
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > maximum)
    throw new UsageError(`${flag} must be a number of seconds above 0 and at most ${maximum}, not "${value}".`);
  return Math.round(n * 1000);
}

/** `--speak` and the `--voice` flags, checked. */
function scriptOverrides(speak: string | undefined, voices: readonly string[]): ScriptDirectives {
  const overrides: ScriptDirectives = {};
  if (speak !== undefined) {
    const mode = speak.trim().toLowerCase();
    if (!isSpeakMode(mode)) throw new UsageError(`--speak must be one of ${SPEAK_MODES.join(', ')}, not "${speak}".`);
    overrides.speak = mode as SpeakMode;
  }
  const casting: Record<string, VoiceChoice> = {};
  for (const value of voices) {
    const assignment = parseVoiceAssignment(value);
    if (!assignment) throw new UsageError(`--voice takes NAME=MODEL (or NAME=MODEL:LANGUAGE), not "${value}".`);
    casting[assignment[0]] = assignment[1];
  }
  if (Object.keys(casting).length > 0) overrides.voices = casting;
  return overrides;
}

/** The pronunciations of a `--lexicon` file: a JSON object of words and what to say. */
async function readLexiconFile(file: string): Promise<ScriptDirectives['pronunciations']> {
  let data: unknown;
  try {
    data = JSON.parse(decodeScriptBytes(await fs.readFile(file), file));
  } catch (error) {
    if (isAiStudiosError(error)) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputError(`Cannot read the lexicon ${file}: ${reason}.`);
  }
  const { lexicon, problems } = readLexicon(data, `the lexicon ${file}`);
  if (problems.length > 0) throw new InputError(problems[0]);
  return lexicon;
}

/** One rule, one message: a whole number in the setting's range, whatever is wrong with the value. */
function wholeNumberIn(value: string, flag: string, range: { minimum: number; maximum: number }): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(n) || n < range.minimum || n > range.maximum)
    throw new UsageError(`${flag} must be a whole number from ${range.minimum} to ${range.maximum}, not "${value}".`);
  return n;
}

/**
 * The script as the writer sees it in an editor, its byte-order mark dropped; refused before any request when it is
 * not UTF-8 text (decodeScriptBytes).
 */
async function readInput(input: string): Promise<string> {
  if (input === '-') {
    const parts: Buffer[] = [];
    for await (const part of process.stdin) parts.push(part as Buffer);
    return decodeScriptBytes(Buffer.concat(parts), 'The standard input', { guessEncoding: guessLegacyEncoding });
  }
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(input);
  } catch (error) {
    const code = errorCodeOf(error);
    const problem = code === 'ENOENT' ? 'no such file' : (fileProblem(code) ?? 'it could not be read');
    const hint = code === 'EISDIR' ? '; name the markdown or text file of the script' : '';
    throw new InputError(`Cannot read ${input}: ${problem}${hint}.`, { cause: error });
  }
  return decodeScriptBytes(bytes, input, { guessEncoding: guessLegacyEncoding });
}

/** The user's cache folder, shared by every run of the CLI. */
function cacheDirectory(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'aistudios-audio', 'audio-cache');
}

/**
 * Streaming audio makes one buffer per read from the network (64 KiB); V8 frees such a buffer only when it collects
 * the young object holding it, and a young generation left to grow (V8 doubles it under steady allocation) lets tens
 * of MB of finished buffers wait for the next collection. A run of the CLI is one batch in its own process: keeping
 * the young generation at its first size makes those collections small and frequent, and peak memory flat whatever
 * the audio's size and number of pieces (measured by test/unit/memory.test.ts). The extension runs in VS Code's
 * process, whose heap is not ours to tune.
 */
function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

/** Runs the CLI; returns the exit code. Output and errors go to the given streams (tests pass their own). */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
  signal: AbortSignal,
): Promise<number> {
  let credentials: Credentials | undefined;
  let logger: Logger = silentLogger;
  // A private temporary folder, made only when needed: the pieces' home without a (usable) cache. Removed at the end.
  const scratch = path.join(os.tmpdir(), `aistudios-audio-${randomUUID()}`);
  keepYoungGenerationSmall();
  try {
    const options = parseOptions(argv);
    if (options === 'help') {
      io.stdout.write(USAGE);
      return ExitCode.ok;
    }
    if (options === 'version') {
      io.stdout.write(`aistudios-audio ${VERSION}\n`);
      return ExitCode.ok;
    }
    if (options.verbose) {
      const line = (level: string) => (m: string) => io.stderr.write(`[${level}] ${m}\n`);
      logger = createRedactingLogger(
        { trace: line('trace'), debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
        () => (credentials ? secretsOf(credentials) : []),
      );
    }
    const source = await readInput(options.input);
    if (options.lexicon !== undefined) options.overrides.pronunciations = await readLexiconFile(options.lexicon);
    const markdown = options.input === '-' || isMarkdownFileName(options.input);
    const narrationOptions = { language: options.voice.language, overrides: options.overrides };
    const narration = markdown
      ? markdownToNarration(source, narrationOptions)
      : plainTextToNarration(source, narrationOptions);
    const chunks = chunkNarration(narration, options.maxChars, options.voice);
    const baseUrl = resolveBaseUrl(options.region, options.baseUrl);
    // The pieces' temporary home when there is no cache, or when the cache folder proves unusable.
    const scratchCache = path.join(scratch, 'cache');
    const cache = new AudioCache(
      options.cache
        ? {
            directory: cacheDirectory(env),
            logger,
            ifUnusable: {
              fallbackDirectory: scratchCache,
              onUnusable: (problem) => {
                if (problem.code) logger.debug(`The audio cache check failed with ${problem.code}.`);
                io.stderr.write(
                  `aistudios-audio: warning: ${problem.message} Running without the cache this time (or set XDG_CACHE_HOME to another folder; --no-cache skips the cache without this warning).\n`,
                );
              },
            },
          }
        : { directory: scratchCache, logger },
    );
    const request = { chunks, host: baseUrl };

    if (options.dryRun) {
      const cached = options.cache ? await cachedChunks(request, cache) : undefined;
      const lines = dryRunLines(
        previewReading(narration, source),
        previewEntries(chunks, source, cached),
        silentEntries(narration.silences, source),
        pauseEntries(chunks, source),
      );
      for (const line of lines) io.stdout.write(line + '\n');
      return ExitCode.ok;
    }
    const scriptName = options.input === '-' ? 'standard input' : path.basename(options.input);
    if (chunks.length === 0) {
      // Said with the reading when it keeps only part of the script: the writer sees which part was looked for.
      const read = narration.reading;
      const reading =
        !read || read.mode === 'all'
          ? ''
          : read.setBy === 'auto'
            ? ` (${read.why})`
            : ` (speaking ${read.mode}, ${read.why})`;
      throw new InputError(
        `There is nothing to speak in ${options.input === '-' ? 'the input' : options.input}${reading}.`,
      );
    }
    const mismatch = options.forceLanguage ? undefined : chunksLanguageMismatch(chunks);
    if (mismatch) throw new InputError(describeMismatch(scriptName, mismatch));

    const target = await outputTarget(options);
    await assertWritableDirectory(target.directory);
    try {
      credentials = credentialsFromEnv(env);
    } catch (error) {
      // An empty or half-set key is a missing key, with the reason.
      io.stderr.write(`aistudios-audio: ${(error as Error).message}\n`);
      return ExitCode.auth;
    }
    if (!credentials) {
      io.stderr.write(
        'aistudios-audio: No AI Studios key is set: export AISTUDIOS_API_KEY, or AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY.\n',
      );
      return ExitCode.auth;
    }
    const client = new AiStudiosClient({
      baseUrl,
      credentials,
      logger,
      timeoutMs: options.timeoutMs,
      // Said without --verbose: a wait the user did not expect must not be silent.
      onRetry: (notice) => io.stderr.write(`aistudios-audio: ${describeRetry(notice)}\n`),
    });
    {
      const generation = await generateAudio(
        {
          ...request,
          sectionPauseMs: options.sectionPauseMs,
          perSection: options.perSection,
          captions: options.captions,
        },
        {
          client,
          cache,
          concurrency: options.concurrency,
          writeCaptions: makeCaptionFiles,
          logger,
          signal,
          onProgress: ({ done, total, fromCache }) =>
            logger.info(`${scriptName}: ${done} of ${total} parts done (${fromCache} reused).`),
        },
      );
      try {
        const placed = await placeGeneration(nodeFileSystem, target.directory, generation, {
          mainBaseName: target.baseName,
          ifExists: () => (options.overwrite ? 'overwrite' : 'number'),
          signal,
        });
        for (const { location, unchanged, captions, captionFailure } of placed) {
          if (unchanged) logger.info(`${location} is up to date.`);
          io.stdout.write(`${location}\n`);
          for (const caption of captions ?? []) {
            if (caption.outcome === 'kept')
              io.stderr.write(
                `aistudios-audio: ${caption.fileName} already exists and differs from the captions of ${path.basename(location)}; it was left as it is (delete it, or use --overwrite, to write new captions).\n`,
              );
            else io.stdout.write(`${caption.location}\n`);
          }
          if (captionFailure !== undefined)
            io.stderr.write(
              `aistudios-audio: The captions of ${path.basename(location)} could not be saved: ${failureMessage(captionFailure, UNEXPECTED)}\n`,
            );
        }
        const extension = generation.files[0]!.rendered.extension;
        if (target.askedExtension && target.askedExtension.toLowerCase() !== extension.toLowerCase())
          io.stderr.write(
            `aistudios-audio: ${path.basename(placed[0]!.location)} is ${formatName(extension)}, as AI Studios sent it; it was not converted to ${formatName(target.askedExtension)}.\n`,
          );
        io.stderr.write(
          outcomeLine(
            placed.map((p) => ({ name: path.basename(p.location), unchanged: p.unchanged })),
            generation.pieces.length,
            generation.pieces.filter((p) => p.fromCache).length,
          ) + '\n',
        );
      } finally {
        await generation.dispose();
      }
    }
    return ExitCode.ok;
  } catch (error) {
    const failure = error instanceof ChunkFailure ? error.failure : error;
    const where =
      error instanceof ChunkFailure
        ? ` (part ${error.chunk.index + 1}${error.chunk.sectionTitle ? `, “${error.chunk.sectionTitle}”` : ''})`
        : '';
    if (signal.aborted || (isAiStudiosError(failure) && failure.kind === 'cancelled')) {
      io.stderr.write('aistudios-audio: Interrupted; nothing was saved.\n');
      return ExitCode.interrupted;
    }
    logger.debug(`Failure: ${failureDetail(failure)}`);
    const message = failure instanceof UsageError ? failure.message : failureMessage(failure, UNEXPECTED);
    io.stderr.write(`aistudios-audio: ${message}${where}\n`);
    if (failure instanceof UsageError) {
      io.stderr.write('Run aistudios-audio --help for usage.\n');
      return ExitCode.usage;
    }
    if (failure instanceof AudioFormatError) return ExitCode.api;
    if (!isAiStudiosError(failure)) return ExitCode.api;
    switch (failure.kind) {
      case 'input':
        return ExitCode.usage;
      case 'auth':
        return ExitCode.auth;
      case 'network':
      case 'timeout':
        return ExitCode.network;
      default:
        return ExitCode.api;
    }
  } finally {
    await fs.rm(scratch, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  }
}

/** Where the audio goes: `--out` as a folder (it exists, or ends with a separator) or a file name, else beside the input. */
async function outputTarget(
  options: CliOptions,
): Promise<{ directory: string; baseName: string; askedExtension?: string }> {
  const defaultBaseName =
    options.input === '-' ? 'narration' : path.basename(path.resolve(options.input)).replace(/\.[^.]+$/, '');
  if (options.out) {
    const resolved = path.resolve(options.out);
    const isFolder = /[\\/]$/.test(options.out) || (await nodeFileSystem.stat(resolved))?.isDirectory === true;
    if (isFolder) return { directory: resolved, baseName: defaultBaseName };
    const name = path.basename(resolved);
    const audioExtension = /\.(mp3|wav|ogg|m4a|flac)$/i.exec(name)?.[0];
    return {
      directory: path.dirname(resolved),
      baseName: audioExtension ? name.slice(0, -audioExtension.length) : name,
      askedExtension: audioExtension,
    };
  }
  if (options.input === '-') return { directory: process.cwd(), baseName: defaultBaseName };
  return { directory: path.dirname(path.resolve(options.input)), baseName: defaultBaseName };
}

/** "MP3" for ".mp3". */
function formatName(extension: string): string {
  return extension.replace(/^\./, '').toUpperCase();
}

const WRITING_SYSTEM_NAMES: Record<WritingSystem, string> = {
  Latin: 'the Latin alphabet',
  Hangul: 'Korean (Hangul)',
  Kana: 'Japanese (kana and kanji)',
  Han: 'Chinese characters',
  Cyrillic: 'the Cyrillic alphabet',
  Arabic: 'Arabic script',
  Hebrew: 'Hebrew script',
  Greek: 'the Greek alphabet',
  Thai: 'Thai script',
  Devanagari: 'Devanagari script',
};

/** Why nothing was sent, and the two ways on. */
function describeMismatch(scriptName: string, mismatch: LanguageMismatch): string {
  return (
    `${scriptName} is mostly in ${WRITING_SYSTEM_NAMES[mismatch.writingSystem]}, but the voice speaks "${mismatch.language}". ` +
    `A voice speaks only its own language, so nothing was sent: use --language ${mismatch.suggestedLanguage} with a --model ` +
    'that speaks it, or --force-language to send the text as it is.'
  );
}

/**
 * The last line: what was saved (or kept) and what it cost, as "Saved intro (2).mp3: 1 of 4 parts requested, 3
 * reused from earlier takes."
 */
function outcomeLine(files: { name: string; unchanged: boolean }[], parts: number, reused: number): string {
  const [main, ...sections] = files;
  const requested = parts - reused;
  const sectionNote = sections.length
    ? ` and ${sections.length} section file${sections.length === 1 ? '' : 's'}${sections.every((s) => s.unchanged) ? ' (up to date)' : ''}`
    : '';
  const cost =
    requested === 0
      ? `nothing requested, ${parts === 1 ? 'its one part' : `all ${parts} parts`} reused from earlier takes`
      : reused === 0
        ? `${requested} part${requested === 1 ? '' : 's'} requested`
        : `${requested} of ${parts} parts requested, ${reused} reused from earlier takes`;
  return main!.unchanged
    ? `Kept ${main!.name}${sectionNote}, already up to date: ${cost}.`
    : `Saved ${main!.name}${sectionNote}: ${cost}.`;
}

if (require.main === module) {
  const controller = new AbortController();
  // Ctrl-C cancels the request or download; the run then removes its temporary files and exits 130.
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  main(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr }, controller.signal).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`aistudios-audio: ${(error as Error)?.message ?? error}\n`);
      process.exit(ExitCode.api);
    },
  );
}
