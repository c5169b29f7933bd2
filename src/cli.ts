import { randomUUID } from 'crypto';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import * as v8 from 'v8';
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
  --out FILE          where to save (default: next to the input, named after it)
  --model ID          voice model id (default ${defaults.model})
  --language CODE     language of the text, e.g. en, ko, ja, zh (default ${defaults.language})
  --region REGION     ${regionChoice('china')} or ${regionChoice('global')}
  --base-url URL      API address instead of the region's (https:, or http: on loopback)
  --max-chars N       longest text per request, ${ranges.maxCharactersPerRequest.minimum} to ${ranges.maxCharactersPerRequest.maximum} (default ${defaults.maxCharactersPerRequest})
  --concurrency N     requests at the same time (default ${defaults.concurrency})
  --overwrite         replace an existing output file (default: save as "name (2).mp3")
  --per-section       also save one file per section (name.01-welcome.mp3, ...)
  --section-pause MS  silence between sections in milliseconds (default ${defaults.sectionPauseMilliseconds})
  --timeout SECONDS   how long to wait for an answer, and for the next byte of a download (default ${DEFAULT_TIMEOUT_SECONDS});
                      a stalled download is tried once more, so it costs at most twice this
  --no-cache          neither read nor write the audio cache
  --dry-run           make no request; print each piece of text that would be sent, as JSON lines
  --verbose           print the log (the key is redacted) to stderr
  -h, --help          show this help

Credentials come from the environment, never from flags:
  AISTUDIOS_API_KEY                       a token (valid 24 hours), or
  AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY  the extension-style pair; tokens are minted as needed

The input must be UTF-8 text (a byte order mark is fine): audio, images, archives, PDF or office files, and text in
another encoding are refused before any request, with the way to convert them.

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
  sectionPauseMs: number;
  cache: boolean;
  dryRun: boolean;
  verbose: boolean;
  timeoutMs: number;
}

function parseOptions(argv: string[]): CliOptions | 'help' {
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
        'section-pause': { type: 'string', default: String(defaults.sectionPauseMilliseconds) },
        timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_SECONDS) },
        'no-cache': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'Name the script to speak (a file, or - for standard input).'
        : 'Give exactly one input file.',
    );
  if (values.region !== 'china' && values.region !== 'global')
    throw new UsageError(`--region must be china or global, not "${values.region}".`);
  const maxChars = positiveInteger(values['max-chars'], '--max-chars');
  const { minimum, maximum } = ranges.maxCharactersPerRequest;
  if (maxChars < minimum || maxChars > maximum)
    throw new UsageError(`--max-chars must be between ${minimum} and ${maximum}.`);
  const concurrency = positiveInteger(values.concurrency, '--concurrency');
  if (!values.model.trim() || !values.language.trim()) throw new UsageError('--model and --language cannot be empty.');
  return {
    input: positionals[0],
    out: values.out,
    voice: { model: values.model.trim(), language: values.language.trim() },
    region: values.region,
    baseUrl: values['base-url'],
    maxChars,
    concurrency: Math.min(concurrency, ranges.concurrency.maximum),
    overwrite: values.overwrite,
    perSection: values['per-section'],
    sectionPauseMs: pauseMilliseconds(values['section-pause'], '--section-pause'),
    cache: !values['no-cache'],
    dryRun: values['dry-run'],
    verbose: values.verbose,
    timeoutMs: seconds(values.timeout, '--timeout'),
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

function pauseMilliseconds(value: string, flag: string): number {
  const n = Number(value);
  const { minimum, maximum } = ranges.sectionPauseMilliseconds;
  if (!Number.isInteger(n) || n < minimum || n > maximum)
    throw new UsageError(
      `${flag} must be a whole number of milliseconds from ${minimum} to ${maximum}, not "${value}".`,
    );
  return n;
}

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive whole number, not "${value}".`);
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
    if (options.verbose) {
      const line = (level: string) => (m: string) => io.stderr.write(`[${level}] ${m}\n`);
      logger = createRedactingLogger(
        { trace: line('trace'), debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
        () => (credentials ? secretsOf(credentials) : []),
      );
    }
    const source = await readInput(options.input);
    const markdown = options.input === '-' || isMarkdownFileName(options.input);
    const narration = markdown
      ? markdownToNarration(source, { language: options.voice.language })
      : plainTextToNarration(source, options.voice.language);
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
      for (const entry of previewEntries(chunks, source, cached)) io.stdout.write(JSON.stringify(entry) + '\n');
      return ExitCode.ok;
    }
    if (chunks.length === 0)
      throw new InputError(`There is nothing to speak in ${options.input === '-' ? 'the input' : options.input}.`);

    const target = outputTarget(options);
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
        { ...request, sectionPauseMs: options.sectionPauseMs, perSection: options.perSection },
        {
          client,
          cache,
          concurrency: options.concurrency,
          logger,
          signal,
          onProgress: ({ done, total, fromCache }) =>
            logger.info(`${done} of ${total} parts done (${fromCache} from cache).`),
        },
      );
      try {
        const placed = await placeGeneration(nodeFileSystem, target.directory, generation, {
          mainBaseName: target.baseName,
          ifExists: () => (options.overwrite ? 'overwrite' : 'number'),
          signal,
        });
        for (const { location, unchanged } of placed) {
          if (unchanged) logger.info(`${location} is up to date.`);
          io.stdout.write(`${location}\n`);
        }
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

function outputTarget(options: CliOptions): { directory: string; baseName: string } {
  if (options.out) {
    const resolved = path.resolve(options.out);
    return {
      directory: path.dirname(resolved),
      baseName: path.basename(resolved).replace(/\.(mp3|wav|ogg|m4a|flac)$/i, ''),
    };
  }
  if (options.input === '-') return { directory: process.cwd(), baseName: 'narration' };
  const resolved = path.resolve(options.input);
  return { directory: path.dirname(resolved), baseName: path.basename(resolved).replace(/\.[^.]+$/, '') };
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
