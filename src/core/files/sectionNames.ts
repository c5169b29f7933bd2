/** `intro` + section 1 "Welcome!" → `intro.01-welcome`: sortable, readable, safe on every file system. */
export function sectionBaseName(baseName: string, sectionNumber: number, title: string | undefined): string {
  const slug = slugify(title ?? '') || 'opening';
  return `${baseName}.${String(sectionNumber).padStart(2, '0')}-${slug}`;
}

/** Lower-case words of letters and digits (any script) joined by dashes, at most 40 characters. */
export function slugify(text: string): string {
  const words =
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > 40) break;
    slug = next;
  }
  return slug || (words[0]?.slice(0, 40) ?? '');
}
