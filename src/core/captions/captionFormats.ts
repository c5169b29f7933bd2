// Caption cues as SubRip (.srt) and WebVTT (.vtt) text, written by the `subtitle` library (gsantiago/subtitle.js).
// What it leaves to us: WebVTT's cue text escapes `&`, `<` and `>` (W3C WebVTT, "cue text") and names a cue's speaker
// with a voice span (`<v Name>`), and neither format may hold `-->` or an empty line inside a cue's text, which would
// end the cue.
import { stringifySync, type NodeList } from 'subtitle';
import type { CaptionCue } from './captionTiming';

/** A caption file format: SubRip or WebVTT. */
export type CaptionFormat = 'srt' | 'vtt';

/** The `aistudios.output.captions` setting and the CLI's `--captions`: which caption files to write. */
export type CaptionsSetting = 'none' | CaptionFormat | 'both';

export const CAPTIONS_SETTINGS: readonly CaptionsSetting[] = ['none', 'srt', 'vtt', 'both'];

/** The formats a setting asks for, in the order they are written. */
export function captionFormatsOf(setting: CaptionsSetting): CaptionFormat[] {
  if (setting === 'both') return ['srt', 'vtt'];
  // A value the settings editor would refuse (typed into settings.json) writes nothing rather than something else.
  return setting === 'srt' || setting === 'vtt' ? [setting] : [];
}

/** The file extension of a caption format, with its dot. */
export function captionExtension(format: CaptionFormat): '.srt' | '.vtt' {
  return format === 'srt' ? '.srt' : '.vtt';
}

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
