// Which caption files to write: the `aistudios.output.captions` setting and the CLI's `--captions`, and each
// format's extension. Kept apart from the formatting (captionFormats.ts) so that reading the setting loads no library.

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
