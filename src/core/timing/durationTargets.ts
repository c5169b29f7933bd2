// The lengths a writer writes to, from the script's front matter:
//   duration: 2:30              the whole script
//   duration:
//     total: 2:30               the whole script
//     Welcome: 45s              the top-level section whose heading is "Welcome"
// Values: `45s`, `45 sec`, `1m30s`, `1:30`, `1:02:30`, `2 min`, a bare number of seconds, `45초`, `2분`.
// Only these lines are read here (a small YAML subset: one scalar, or one level of `key: value`), so the view can
// check targets as the writer types without parsing the whole front matter.
import type { DurationEstimate, SectionEstimate } from './durationEstimate';

/** A length the script must fit. */
export interface DurationTarget {
  /** The whole script, or the top-level section with this heading (compared without case and extra spaces). */
  scope: { kind: 'script' } | { kind: 'section'; title: string };
  /** The target, in milliseconds. */
  ms: number;
  /** Where it is written: UTF-16 offsets of its line in the document, [start, end). */
  sourceStart: number;
  sourceEnd: number;
}

/** A `duration:` line that could not be read, and where. */
export interface DurationTargetProblem {
  text: string;
  sourceStart: number;
  sourceEnd: number;
}

const FRONT_MATTER = /^(?:\uFEFF)?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;
const SCRIPT_KEYS = new Set(['total', 'script', 'all', 'whole']);

/** The `duration:` targets of a script's front matter, and the lines that could not be read. */
export function durationTargets(source: string): { targets: DurationTarget[]; problems: DurationTargetProblem[] } {
  const targets: DurationTarget[] = [];
  const problems: DurationTargetProblem[] = [];
  const match = FRONT_MATTER.exec(source);
  if (!match) return { targets, problems };
  let offset = match[0].indexOf(match[1]);
  let inBlock = false;
  for (const line of match[1].split('\n')) {
    const start = offset;
    const end = start + line.replace(/\r$/, '').length;
    offset += line.length + 1;
    const top = /^duration\s*:\s*(.*?)\s*(?:#.*)?$/i.exec(line.replace(/\r$/, ''));
    if (top) {
      inBlock = top[1] === '';
      if (!inBlock) add({ kind: 'script' }, top[1], start, end);
      continue;
    }
    if (!inBlock) continue;
    const entry = /^[ \t]+(?:"([^"]*)"|'([^']*)'|([^:#]+?))\s*:\s*(.*?)\s*(?:#\s.*)?$/.exec(line.replace(/\r$/, ''));
    if (!entry) {
      if (/^\S/.test(line)) inBlock = false;
      continue;
    }
    const key = (entry[1] ?? entry[2] ?? entry[3] ?? '').trim();
    add(
      SCRIPT_KEYS.has(key.toLowerCase()) ? { kind: 'script' } : { kind: 'section', title: key },
      entry[4],
      start,
      end,
    );
  }
  return { targets, problems };

  function add(scope: DurationTarget['scope'], value: string, start: number, end: number): void {
    const ms = parseDuration(value.replace(/^["']|["']$/g, ''));
    if (ms === undefined) problems.push({ text: value, sourceStart: start, sourceEnd: end });
    else targets.push({ scope, ms, sourceStart: start, sourceEnd: end });
  }
}

/** A written length in milliseconds (`45s`, `1:30`, `1m30s`, `2 min`, `90`…); undefined when it is none. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim().toLowerCase();
  const clock = /^(\d+):([0-5]?\d)(?::([0-5]?\d))?(?:\.(\d+))?$/.exec(value);
  if (clock) {
    const [h, m, s] = clock[3] === undefined ? [0, +clock[1], +clock[2]] : [+clock[1], +clock[2], +clock[3]];
    return ((h * 60 + m) * 60 + s) * 1000 + (clock[4] ? Math.round(+`0.${clock[4]}` * 1000) : 0);
  }
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.round(+value * 1000);
  const units = /(\d+(?:\.\d+)?)\s*(hours?|hrs?|h|시간|minutes?|mins?|m|분|seconds?|secs?|s|초)/g;
  let total = 0;
  let consumed = '';
  for (const unit of value.matchAll(units)) {
    const n = +unit[1];
    const u = unit[2];
    total += n * (/^(h|hour|hr|시간)/.test(u) ? 3_600_000 : /^(m|min|분)/.test(u) ? 60_000 : 1000);
    consumed += unit[0];
  }
  return consumed !== '' && consumed.replace(/\s/g, '') === value.replace(/\s/g, '') ? Math.round(total) : undefined;
}

/** A target compared with the estimate. */
export interface DurationCheck {
  target: DurationTarget;
  /** The estimate of what the target covers (ms); undefined for a section the script does not have. */
  estimateMs?: number;
  /** The section it covers, when it names one that exists. */
  section?: SectionEstimate;
  /** The estimate runs over the target. */
  over: boolean;
}

/** Compares each target with the estimate of the script or of its section (matched by heading). */
export function checkDurations(targets: readonly DurationTarget[], estimate: DurationEstimate): DurationCheck[] {
  const normalize = (title: string) => title.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
  return targets.map((target) => {
    if (target.scope.kind === 'script')
      return { target, estimateMs: estimate.totalMs, over: estimate.totalMs > target.ms };
    const wanted = normalize(target.scope.title);
    const section = estimate.sections.find((s) => s.title !== undefined && normalize(s.title) === wanted);
    if (!section) return { target, over: false };
    return { target, estimateMs: section.ms, section, over: section.ms > target.ms };
  });
}
