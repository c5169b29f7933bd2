// Caption cues as SubRip (.srt) and WebVTT (.vtt) text, written by the `subtitle` library (gsantiago/subtitle.js).
// What it leaves to us: WebVTT's cue text escapes `&`, `<` and `>` (W3C WebVTT, "cue text") and names a cue's speaker
// with a voice span (`<v Name>`), and neither format may hold `-->` or an empty line inside a cue's text, which would
// end the cue.
import { stringifySync, type NodeList } from 'subtitle';
import type { CaptionFormat } from './captionSettings';
import type { CaptionCue } from './captionTiming';

/**
 * The text of a caption file: cues numbered from 1, times as `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (WebVTT, after
 * its `WEBVTT` header), lines separated by `\n`, ending with a newline. Times are rounded to whole milliseconds.
 */
export function formatCaptions(cues: readonly CaptionCue[], format: CaptionFormat): string {
  const nodes: NodeList = cues.map((cue) => ({
    type: 'cue',
    data: {
      start: Math.round(cue.startMs),
      end: Math.round(cue.endMs),
      text: voiceTag(cue.speaker, format) + cue.lines.map((line) => cueLine(line, format)).join('\n'),
    },
  }));
  if (nodes.length === 0) return format === 'vtt' ? 'WEBVTT\n' : '';
  return stringifySync(nodes, { format: format === 'srt' ? 'SRT' : 'WebVTT' });
}

/** WebVTT's voice span (`<v Jerod Santo>`), which players show or style as the speaker; SubRip has none. */
function voiceTag(speaker: string | undefined, format: CaptionFormat): string {
  if (!speaker || format !== 'vtt') return '';
  const name = speaker
    .replace(/[\r\n>]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .trim();
  return name ? `<v ${name}>` : '';
}

function cueLine(line: string, format: CaptionFormat): string {
  const safe = line.replace(/-->/g, '→').replace(/[\r\n]+/g, ' ');
  return format === 'vtt' ? safe.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : safe;
}
