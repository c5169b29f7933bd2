// The figures of issue 16 ("performance a writer feels"): each a value measured in this run, against its goal.
// Printed as one JSON line per figure ({"name","value","goal","ok"}), then as a table; recorded in bench/results.md
// with the date and the machine when the bench runs with --record.
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

/** How a value must compare with its goal. */
export type Comparison = '<=' | '>=' | '==';

export interface FigureSpec {
  name: string;
  /** What is measured, in a few words (the table's last column). */
  what: string;
  unit: string;
  goal: number;
  comparison: Comparison;
}

export interface Figure extends FigureSpec {
  /** undefined when the measurement failed (then `ok` is false and `error` says why). */
  value: number | undefined;
  /** How it was measured: baselines, samples, spread. */
  detail?: string;
  error?: string;
}

/** The figures, in the issue's order. */
export const FIGURES: readonly FigureSpec[] = [
  {
    name: 'overhead_vs_raw',
    what: "core's generation of 1,500 characters ÷ raw POST + streamed download, 50 ms latency",
    unit: '×',
    goal: 1.05,
    comparison: '<=',
  },
  {
    name: 'concurrency_speedup',
    what: '40 parts at 300 ms latency: concurrency 1 ÷ concurrency 4',
    unit: '×',
    goal: 3.5,
    comparison: '>=',
  },
  {
    name: 'first_sound_ratio',
    what: 'command → part 1 can play in the player ÷ one request round trip (10 parts, 1 s latency, concurrency 3)',
    unit: '×',
    goal: 1.3,
    comparison: '<=',
  },
  {
    name: 'cache_requests_unchanged',
    what: 'requests re-running an unchanged 40-part script',
    unit: '',
    goal: 0,
    comparison: '==',
  },
  {
    name: 'cache_requests_one_edit',
    what: 'requests after editing one paragraph of it',
    unit: '',
    goal: 1,
    comparison: '==',
  },
  {
    name: 'download_rss_growth_mb',
    what: 'peak RSS growth of a child downloading a 95 MB audio file',
    unit: 'MB',
    goal: 50,
    comparison: '<=',
  },
  {
    name: 'join_rss_growth_mb',
    what: 'peak RSS growth joining two hours of MP3 (115 MB in 120 parts)',
    unit: 'MB',
    goal: 50,
    comparison: '<=',
  },
  {
    name: 'narration_vs_parse',
    what: 'markdown → narration ÷ the bare parse, 50 KB transcript',
    unit: '×',
    goal: 1.3,
    comparison: '<=',
  },
  {
    name: 'editor_view_ms',
    what: "rebuilding the editor's narration view of the 50 KB transcript (debounced 250 ms), median of 15",
    unit: 'ms',
    goal: 125,
    comparison: '<=',
  },
  {
    name: 'activation_bundle_kb',
    what: 'JavaScript loaded before activate() returns (production build)',
    unit: 'KiB',
    goal: 60,
    comparison: '<=',
  },
  {
    name: 'activate_ms',
    what: 'activate() in the real extension host, median of 5',
    unit: 'ms',
    goal: 5,
    comparison: '<=',
  },
];

export function meets(value: number | undefined, spec: FigureSpec): boolean {
  if (value === undefined || !Number.isFinite(value)) return false;
  if (spec.comparison === '<=') return value <= spec.goal;
  if (spec.comparison === '>=') return value >= spec.goal;
  return value === spec.goal;
}

function rounded(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000;
}

/** `{"name": …, "value": …, "goal": "<= 1.05", "ok": true}`, one line. */
export function jsonLine(figure: Figure): string {
  return JSON.stringify({
    name: figure.name,
    value: figure.value === undefined ? null : rounded(figure.value),
    goal: `${figure.comparison} ${figure.goal}`,
    ok: meets(figure.value, figure),
  });
}

function formatValue(figure: Figure): string {
  if (figure.value === undefined) return 'failed';
  const v = rounded(figure.value);
  return figure.unit ? `${v}${figure.unit === '×' ? '×' : ` ${figure.unit}`}` : String(v);
}

function formatGoal(figure: FigureSpec): string {
  const sign = figure.comparison === '<=' ? '≤' : figure.comparison === '>=' ? '≥' : '=';
  return `${sign} ${figure.goal}${figure.unit === '×' ? '×' : figure.unit ? ` ${figure.unit}` : ''}`;
}

/** The readable table: figure, value, goal, ok, and what it measures. */
export function figureRows(figures: readonly Figure[]): string[][] {
  return [
    ['figure', 'value', 'goal', 'ok', 'what'],
    ...figures.map((f) => [f.name, formatValue(f), formatGoal(f), meets(f.value, f) ? 'ok' : 'MISSED', f.what]),
  ];
}

/** Appends this run's figures to bench/results.md (created with a header when missing). */
export function recordResults(root: string, figures: readonly Figure[], durationS: number): string {
  const file = path.join(root, 'bench', 'results.md');
  mkdirSync(path.dirname(file), { recursive: true });
  if (!existsSync(file)) {
    writeFileSync(
      file,
      '# Benchmark runs\n\nEach `npm run bench -- --record` appends its figures here (see README, "Benchmarks").\n',
    );
  }
  const cpus = os.cpus();
  const lines = [
    '',
    `## ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} · ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, node ${process.version}, ${os.platform()} ${os.release()} · ${durationS.toFixed(0)} s`,
    '',
    '| figure | value | goal | ok | how |',
    '|---|---|---|---|---|',
    ...figures.map(
      (f) =>
        `| \`${f.name}\` | ${formatValue(f)} | ${formatGoal(f)} | ${meets(f.value, f) ? 'ok' : '**missed**'} | ${(f.error ?? f.detail ?? '').replace(/\|/g, '\\|')} |`,
    ),
  ];
  appendFileSync(file, lines.join('\n') + '\n');
  return file;
}
