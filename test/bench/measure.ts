// Paired timing: a subject and its raw baseline are measured alternately in the same process, so machine speed,
// CPU contention and thermal drift hit both alike; the ratio of each pair is what we report (its median).

/** Takes one timed sample and returns the nanoseconds one operation took. */
export type Sampler = () => Promise<number>;

export interface Comparison {
  name: string;
  baselineLabel: string;
  subjectLabel: string;
  baseline: Sampler;
  subject: Sampler;
  /** Timed pairs (default 15). */
  runs?: number;
  /** Untimed pairs first, to warm the JIT and the file system cache (default 3). */
  warmup?: number;
  /** Something worth printing under the table (sizes, request counts). */
  note?: () => string | undefined;
}

export interface ComparisonResult {
  name: string;
  baselineLabel: string;
  subjectLabel: string;
  baselineMedianNs: number;
  subjectMedianNs: number;
  /** Median of subject ÷ baseline over the pairs. */
  ratio: number;
  ratioP25: number;
  ratioP75: number;
  runs: number;
  note?: string;
}

/** Wall time of fn in nanoseconds. */
export async function timeNs(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start);
}

/** Keeps results alive so the JIT cannot drop the work that produced them. */
export const sink = { value: 0 };

/**
 * A sampler for a fast synchronous operation: times a batch of `iterations` calls (chosen by calibrate) so the
 * timer's resolution and call overhead vanish, and returns the time per call.
 */
export function batched(fn: () => number, iterations: number): Sampler {
  return async () => {
    let acc = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) acc += fn();
    const elapsed = Number(process.hrtime.bigint() - start);
    sink.value += acc;
    return elapsed / iterations;
  };
}

/** How many calls of fn take at least targetMs together (doubling from 1). */
export function calibrate(fn: () => number, targetMs: number): number {
  for (let iterations = 1; ; iterations *= 2) {
    let acc = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) acc += fn();
    sink.value += acc;
    if (Number(process.hrtime.bigint() - start) >= targetMs * 1e6 || iterations >= 1 << 24) return iterations;
  }
}

/** Runs the pairs, alternating which side goes first so neither always benefits from a warm cache. */
export async function compare(c: Comparison): Promise<ComparisonResult> {
  const runs = c.runs ?? 15;
  const warmup = c.warmup ?? 3;
  for (let i = 0; i < warmup; i++) {
    await c.baseline();
    await c.subject();
  }
  const baselines: number[] = [];
  const subjects: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    let b: number;
    let s: number;
    if (i % 2 === 0) {
      b = await c.baseline();
      s = await c.subject();
    } else {
      s = await c.subject();
      b = await c.baseline();
    }
    baselines.push(b);
    subjects.push(s);
    ratios.push(s / b);
  }
  return {
    name: c.name,
    baselineLabel: c.baselineLabel,
    subjectLabel: c.subjectLabel,
    baselineMedianNs: quantile(baselines, 0.5),
    subjectMedianNs: quantile(subjects, 0.5),
    ratio: quantile(ratios, 0.5),
    ratioP25: quantile(ratios, 0.25),
    ratioP75: quantile(ratios, 0.75),
    runs,
    note: c.note?.(),
  };
}

/** Linear-interpolated quantile (q in [0, 1]) of the values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}
