// The label of a chunk in the player's section list: no VS Code here, so plain unit tests can check it.

const MAX_LABEL = 60;

/**
 * "Short sentences: Readers follow…": the section's title, then the chunk's first words. A chunk that opens with
 * the spoken heading ("Short sentences. Readers…") does not say the title twice.
 */
export function chunkLabel(sectionTitle: string | undefined, text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const title = sectionTitle?.replace(/\s+/g, ' ').trim();
  if (!title) return firstWords(oneLine);
  const rest = withoutLeadingTitle(oneLine, title);
  return rest ? `${title}: ${firstWords(rest)}` : title;
}

/** The text after a leading title and the punctuation the narration put after it; the text itself when it does not start so. */
function withoutLeadingTitle(text: string, title: string): string {
  const bare = title.replace(/[\s.:!?…。！？]+$/u, '');
  if (!bare || !text.toLocaleLowerCase().startsWith(bare.toLocaleLowerCase())) return text;
  const after = text.slice(bare.length);
  // Only a whole title counts: "Intro" is not the start of "Introduction".
  const rest = /^[\s.:!?…。！？]*/u.exec(after)![0];
  if (rest === '' && after !== '') return text;
  return after.slice(rest.length);
}

/** A short label: the first words, cut at a word with an ellipsis. */
export function firstWords(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= MAX_LABEL ? oneLine : `${oneLine.slice(0, MAX_LABEL - 3).replace(/\s+\S*$/, '')}…`;
}
