// The record of what a script leaves unspoken and why (code, math, comments, notes, embeds, …), kept while the
// syntax tree is walked, so the preview can show every silent region beside what is spoken.
import type { Silence, SilenceReason } from './types';

/** Collects silent source ranges in any order; `list()` gives them sorted, touching ranges of one reason merged. */
export class SilenceLog {
  private readonly entries: Silence[] = [];

  add(sourceStart: number, sourceEnd: number, reason: SilenceReason, detail?: string): void {
    if (sourceEnd <= sourceStart) return;
    this.entries.push(
      detail === undefined ? { sourceStart, sourceEnd, reason } : { sourceStart, sourceEnd, reason, detail },
    );
  }

  list(): Silence[] {
    const sorted = [...this.entries].sort((a, b) => a.sourceStart - b.sourceStart || b.sourceEnd - a.sourceEnd);
    const merged: Silence[] = [];
    for (const entry of sorted) {
      const last = merged[merged.length - 1];
      // Inside a region already listed (an image in a comment): already silent, for the outer reason.
      if (last && entry.sourceEnd <= last.sourceEnd) continue;
      if (last && last.reason === entry.reason && last.detail === entry.detail && entry.sourceStart <= last.sourceEnd)
        last.sourceEnd = entry.sourceEnd;
      else merged.push({ ...entry });
    }
    return merged;
  }
}
