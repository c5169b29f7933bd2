// `npm run bench`: each of our steps timed against a raw baseline in the same run, reported as a ratio.
// No thresholds: the numbers are for reading. Exits non-zero only when a benchmark throws.
import { readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectRoot, TempFolders } from './benchPaths';
import { bundleSizes, ensureBuilt, type BundleSize } from './bundleSizes';
import { cacheBench } from './cacheBench';
import { joinBench } from './joinBench';
import type { ComparisonResult } from './measure';
import { eLearningScript } from './syntheticScripts';
import { chunkingBench, narrationBench } from './textBenches';

const root = projectRoot();
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

function printSizes(sizes: BundleSize[], builtNow: boolean): void {
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
    `(${builtNow ? 'dist/ was missing and was built now with `npm run build`' : 'dist/ as found'}; "production" = what \`npm run package\` makes, built in memory now)`,
  );
}

async function main(): Promise<number> {
  console.log(
    'AI Studios Audio benchmarks: each line times our code against a raw baseline doing the same input, interleaved in this process.',
  );
  console.log(
    'Ratios (ours ÷ baseline, median of paired runs) are comparable across machines; absolute times are not.',
  );
  console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}\n`);

  const folders = new TempFolders();
  const results: ComparisonResult[] = [];
  let failures = 0;
  const run = async (label: string, bench: () => Promise<ComparisonResult>): Promise<void> => {
    const started = Date.now();
    process.stderr.write(`running ${label}… `);
    try {
      results.push(await bench());
      process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      failures++;
      process.stderr.write('FAILED\n');
      console.error(`benchmark "${label}" threw:`, error);
    }
  };

  try {
    await run('narration (transcript)', () => narrationBench('podcast transcript (corpus 20)', transcript));
    await run('narration (e-learning)', () => narrationBench('e-learning script (synthetic)', eLearning));
    await run('chunking (transcript)', () => chunkingBench('podcast transcript', transcript, 2000));
    await run('chunking (e-learning)', () => chunkingBench('e-learning script', eLearning, 2000));
    await run('join MP3', () => joinBench(folders, 'MP3', [audio('hello.mp3'), audio('second.mp3')], 30));
    await run('join WAV', () => joinBench(folders, 'WAV', [audio('hello.wav'), audio('second.wav')], 30));
    await run('cache', () => cacheBench(folders, 30, 20));
    console.log('');
    printResults(results);
  } finally {
    folders.removeAll();
  }

  console.log('\nBundle sizes (numbers, not timings: a proxy for activation cost)');
  try {
    const builtNow = ensureBuilt(root);
    printSizes(bundleSizes(root, folders), builtNow);
  } catch (error) {
    failures++;
    console.error('bundle sizes threw:', error);
  } finally {
    folders.removeAll();
  }
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
