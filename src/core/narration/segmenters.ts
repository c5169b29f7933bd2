// Unicode text segmentation (UAX #29) through Intl.Segmenter, made once and shared: the chunker and the captions
// split the same text at the same sentence, word and grapheme boundaries.

/** Word boundaries by the language-neutral rules. */
export const wordSegmenter = new Intl.Segmenter('und', { granularity: 'word' });

/** Grapheme clusters (what a reader sees as one character) by the language-neutral rules. */
export const graphemeSegmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });

const sentenceSegmenters = new Map<string, Intl.Segmenter>();

/**
 * Sentence boundaries tailored to `language` (a BCP 47 tag such as `en` or `ko`) where ICU has rules for it;
 * the language-neutral rules when the language is unknown or not a valid tag. One instance per tag, cached.
 */
export function sentenceSegmenter(language: string | undefined): Intl.Segmenter {
  const tag = language ?? 'und';
  let segmenter = sentenceSegmenters.get(tag);
  if (!segmenter) {
    try {
      segmenter = new Intl.Segmenter(tag, { granularity: 'sentence' });
    } catch {
      segmenter = new Intl.Segmenter('und', { granularity: 'sentence' });
    }
    sentenceSegmenters.set(tag, segmenter);
  }
  return segmenter;
}
