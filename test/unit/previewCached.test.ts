// What the preview says about the cache: a count that reads naturally at none, some and all.
import * as assert from 'assert';
import { formatPreview, type PreviewEntry } from '../../src/core/narration/preview';

function entries(cached: boolean[]): PreviewEntry[] {
  return cached.map(
    (c, index) =>
      ({
        index,
        chars: 20,
        startLine: index + 1,
        endLine: index + 1,
        text: `Part ${index + 1}.`,
        cached: c,
      }) as PreviewEntry,
  );
}

describe('preview: the cache line', () => {
  it('says none is cached yet instead of "0 of 4 already cached"', () => {
    const text = formatPreview('intro.md', entries([false, false, false, false]), 2000);
    assert.match(text, /None of the 4 parts is cached yet: each is requested when you generate\./);
    assert.doesNotMatch(text, /0 of 4 already cached/);
  });

  it('counts the cached parts when some or all are', () => {
    assert.match(formatPreview('intro.md', entries([true, false, true, false]), 2000), /2 of 4 already cached/);
    assert.match(formatPreview('intro.md', entries([true, true]), 2000), /2 of 2 already cached/);
  });
});
