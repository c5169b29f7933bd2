// The editor's narration view (dimmed silent text, pause and voice hints, CodeLenses, the status bar's estimate) is
// rebuilt 250 ms after the writer stops typing; its cost on a long script is what typing in it feels like.
import { DEFAULT_NARRATION_OPTIONS } from '../../src/core/narration/types';
import { buildScriptView } from '../../src/core/timing/scriptView';
import { SpeechRates } from '../../src/core/timing/speechRate';

/** Median and spread of one rebuild of the view of `markdown` (ms), after a warm-up, over `runs` rebuilds. */
export function editorViewBench(markdown: string, runs = 15): { medianMs: number; timesMs: number[]; parts: number } {
  const build = () =>
    buildScriptView(markdown, {
      markdown: true,
      narration: { ...DEFAULT_NARRATION_OPTIONS, language: 'en' },
      voice: { model: 'M000045058', language: 'en' },
      maxCharactersPerRequest: 2000,
      sectionPauseMs: 700,
      rates: new SpeechRates(),
    });
  let parts = 0;
  for (let i = 0; i < 3; i++) parts = build().estimate.chunks.length;
  const timesMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    build();
    timesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const sorted = [...timesMs].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)], timesMs, parts };
}
