// `npm run bench`: the figures of issue 16, each measured in this run against its goal (a ratio to a baseline
// measured in the same run where there is one), printed as one JSON line per figure and then as a table; then each of
// our steps timed against a raw baseline doing the same input, as a ratio; then the bundle sizes.
// `npm run bench -- --record` also appends the figures, with the date and the machine, to bench/results.md.
// Exits non-zero when a measurement throws; a missed goal is reported, not an error.
import { readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectRoot, TempFolders } from './benchPaths';
import { activationLoad, buildDist, buildProduction, bundleSizes, type BundleSize } from './bundleSizes';
import { cacheBench } from './cacheBench';
import { FIGURES, figureRows, jsonLine, meets, recordResults, type Figure } from './figures';
import { runInExtensionHost } from './hostFigures';
import { joinBench } from './joinBench';
import { quantile, type ComparisonResult } from './measure';
import { downloadMemoryFigure, joinMemoryFigure } from './memoryFigures';
import { cacheRequestFigures, concurrencyFigure, overheadFigure } from './pipelineFigures';
import { eLearningScript } from './syntheticScripts';
import { chunkingBench, narrationBench } from './textBenches';
import { editorViewBench } from './editorViewBench';

const root = projectRoot();
const record = process.argv.includes('--record');
const transcript = readFileSync(path.join(root, 'test/fixtures/scripts/20-podcast-transcript-multispeaker.md'), 'utf8');
const eLearning = eLearningScript(20_000);
const audio = (name: string): string => path.join(root, 'test/fixtures/audio', name);

function formatNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(0)} ns`;
}

function formatRatio(r: number): string {
  return r >= 100 ? r.toFixed(0) : r.toPrecision(3);
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  '),
    )
    .join('\n');
}

function printResults(results: ComparisonResult[]): void {
  const rows = [['benchmark', 'baseline', 'ours', 'ratio', 'IQR', 'n']];
  for (const r of results) {
    rows.push([
      r.name,
      formatNs(r.baselineMedianNs),
      formatNs(r.subjectMedianNs),
      `${formatRatio(r.ratio)}×`,
      `${formatRatio(r.ratioP25)}–${formatRatio(r.ratioP75)}`,
      String(r.runs),
    ]);
  }
  console.log(table(rows));
  console.log('');
  for (const r of results) {
    console.log(`- ${r.name}: ${r.subjectLabel} ÷ ${r.baselineLabel}${r.note ? `; ${r.note}` : ''}`);
  }
}

function printSizes(sizes: BundleSize[]): void {
  const rows = [['bundle', 'in dist/', 'gzip', 'dist/ build', 'production', 'production gzip']];
  const optional = (bytes: number | undefined): string => (bytes === undefined ? 'n/a' : kib(bytes));
  for (const s of sizes) {
    rows.push([
      s.file,
      kib(s.bytes),
      kib(s.gzipBytes),
      s.production ? 'production' : 'development',
      optional(s.productionBytes),
      optional(s.productionGzipBytes),
    ]);
  }
  console.log(table(rows));
  console.log(
    '(dist/ as `npm run build` makes it, built at the start of the bench; "production" = what `npm run package` makes, built now into a folder of its own)',
  );
}

function ms(values: readonly number[]): string {
  return values.map((v) => v.toFixed(v < 10 ? 2 : 0)).join(', ');
}

async function main(): Promise<number> {
  const started = Date.now();
  console.log(
    'AI Studios Audio benchmarks: the figures of issue 16 against their goals, then our steps against raw baselines.',
  );
  console.log(
    'Ratios are measured in this run against a baseline in this run, so they compare across machines; absolute times do not.',
  );
  console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}\n`);

  const folders = new TempFolders();
  const results: ComparisonResult[] = [];
  const values = new Map<string, Pick<Figure, 'value' | 'detail' | 'error'>>();
  let failures = 0;
  const step = async <T>(label: string, work: () => Promise<T>): Promise<T | undefined> => {
    const begun = Date.now();
    process.stderr.write(`running ${label}… `);
    try {
      const result = await work();
      process.stderr.write(`${((Date.now() - begun) / 1000).toFixed(1)} s\n`);
      return result;
    } catch (error) {
      failures++;
      process.stderr.write('FAILED\n');
      console.error(`benchmark "${label}" threw:`, error);
      return undefined;
    }
  };
  const compared = async (
    label: string,
    bench: () => Promise<ComparisonResult>,
  ): Promise<ComparisonResult | undefined> => {
    const result = await step(label, bench);
    if (result) results.push(result);
    return result;
  };
  const figure = (name: string, value: number | undefined, detail?: string, error?: string): void => {
    values.set(name, { value, detail, error: value === undefined ? (error ?? 'the measurement failed') : undefined });
  };
  const ratioDetail = (r: ComparisonResult): string =>
    `${r.subjectLabel} ${formatNs(r.subjectMedianNs)} ÷ ${r.baselineLabel} ${formatNs(r.baselineMedianNs)}, median of ${r.runs} paired runs (IQR ${formatRatio(r.ratioP25)}–${formatRatio(r.ratioP75)})`;

  let sizes: BundleSize[] | undefined;
  try {
    await step('build dist/', async () => buildDist(root));

    const narration = await compared('narration (transcript)', () =>
      narrationBench('podcast transcript (corpus 20)', transcript),
    );
    figure(
      'narration_vs_parse',
      narration?.ratio,
      narration && `${transcript.length.toLocaleString('en')} characters; ${ratioDetail(narration)}`,
    );
    const editorView = await step('editor view (transcript)', async () => editorViewBench(transcript));
    figure(
      'editor_view_ms',
      editorView?.medianMs,
      editorView &&
        `${transcript.length.toLocaleString('en')} characters, ${editorView.parts} parts; buildScriptView: ${editorView.timesMs.map((t) => t.toFixed(1)).join(', ')} ms`,
    );
    await compared('narration (e-learning)', () => narrationBench('e-learning script (synthetic)', eLearning));
    await compared('chunking (transcript)', () => chunkingBench('podcast transcript', transcript, 2000));
    await compared('chunking (e-learning)', () => chunkingBench('e-learning script', eLearning, 2000));
    await compared('join MP3', () => joinBench(folders, 'MP3', [audio('hello.mp3'), audio('second.mp3')], 30));
    await compared('join WAV', () => joinBench(folders, 'WAV', [audio('hello.wav'), audio('second.wav')], 30));
    await compared('cache', () => cacheBench(folders, 30, 20));

    const overhead = await compared('overhead vs raw', () => overheadFigure(folders));
    figure('overhead_vs_raw', overhead?.ratio, overhead && ratioDetail(overhead));
    const concurrency = await compared('concurrency', () => concurrencyFigure(folders));
    figure(
      'concurrency_speedup',
      concurrency?.ratio,
      concurrency &&
        `concurrency 1: ${formatNs(concurrency.subjectMedianNs)}, concurrency 4: ${formatNs(concurrency.baselineMedianNs)} (one pair)`,
    );
    const requests = await step('cache requests', () => cacheRequestFigures(folders));
    figure('cache_requests_unchanged', requests?.unchanged, 'speech requests of the second run (the first made 40)');
    figure('cache_requests_one_edit', requests?.oneEdit, 'speech requests after paragraph 18 of 40 changed');

    const download = await step('memory: 95 MB download', () => downloadMemoryFigure(folders));
    figure('download_rss_growth_mb', download?.growthMb, download?.detail);
    const join = await step('memory: two-hour join', () => joinMemoryFigure(folders));
    figure('join_rss_growth_mb', join?.growthMb, join?.detail);
    folders.removeAll();

    const production = await step('production build', async () => buildProduction(root, folders));
    if (production) {
      sizes = bundleSizes(root, production);
      const load = await step('activation bundle', () => activationLoad(production));
      figure(
        'activation_bundle_kb',
        load && load.files.reduce((sum, f) => sum + f.bytes, 0) / 1024,
        load &&
          `${load.files.map((f) => `${f.path} ${kib(f.bytes)}`).join(', ')}; ${load.commands} commands registered; engine.js ${kib(sizes.find((s) => s.file === 'dist/engine.js')?.productionBytes ?? 0)} loads on first use`,
      );
    }

    const host = await step('extension host (activation, first sound)', () => runInExtensionHost(root, folders));
    if (host) {
      const { activateMs, firstSoundMs, roundTripMs, activatedBefore } = host.results;
      figure(
        'activate_ms',
        quantile(activateMs, 0.5),
        `${activatedBefore ? 'five fresh loads' : "VS Code's activation, then four fresh loads"} of dist/extension.js + activate(): ${ms(activateMs)} ms`,
      );
      const ratios = firstSoundMs.map((t, i) => t / roundTripMs[i]!);
      figure(
        'first_sound_ratio',
        quantile(ratios, 0.5),
        `command → part 1 can play: ${ms(firstSoundMs)} ms; one request + download: ${ms(roundTripMs)} ms; host run ${host.seconds.toFixed(0)} s`,
      );
    } else {
      figure('activate_ms', undefined, undefined, 'the extension host run failed (see above)');
      figure('first_sound_ratio', undefined, undefined, 'the extension host run failed (see above)');
    }
  } finally {
    folders.removeAll();
  }

  const figures: Figure[] = FIGURES.map((spec) => ({
    ...spec,
    value: undefined,
    error: 'not measured',
    ...values.get(spec.name),
  }));
  console.log('');
  for (const f of figures) console.log(jsonLine(f));
  console.log('');
  console.log(table(figureRows(figures)));
  console.log('');
  for (const f of figures) console.log(`- ${f.name}: ${f.error ?? f.detail ?? ''}`);
  const missed = figures.filter((f) => !meets(f.value, f));
  console.log(
    missed.length === 0
      ? '\nEvery figure meets its goal.'
      : `\n${missed.length} figure(s) missed: ${missed.map((f) => f.name).join(', ')}.`,
  );

  console.log('\nOur steps against raw baselines (ours ÷ baseline, median of paired runs)\n');
  printResults(results);
  if (sizes) {
    console.log('\nBundle sizes');
    printSizes(sizes);
  }

  const seconds = (Date.now() - started) / 1000;
  console.log(`\nThe bench took ${seconds.toFixed(0)} s.`);
  if (record) console.log(`Recorded in ${path.relative(process.cwd(), recordResults(root, figures, seconds))}.`);
  if (failures > 0) console.error(`\n${failures} benchmark(s) failed.`);
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
