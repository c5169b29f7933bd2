// A run's lines as the reading walks them, on the cases its shortcuts decide: where a line's content begins (a short
// parenthetical there is a cue; the reading looks back from the parenthetical instead of marking every line), pauses
// taken in order, a label's characters left out, each label judged once for all its uses, and writer's notes looked
// for only where they can be.
import * as assert from 'assert';
import { markdownToNarration } from '../../src/core/narration/narration';

/** Each block's text, speaker and pauses ([at, ms]). */
function blocks(markdown: string): [string, string | undefined, [number, number][] | undefined][] {
  return markdownToNarration(markdown).blocks.map((block) => [
    block.text,
    block.speaker,
    block.pauses?.map((pause) => [pause.at, pause.ms]),
  ]);
}

/** [reason, the source it covers] of every silent region. */
function silences(markdown: string): [string, string][] {
  return (markdownToNarration(markdown).silences ?? []).map((s) => [
    s.reason,
    markdown.slice(s.sourceStart, s.sourceEnd),
  ]);
}

describe("a run's lines", () => {
  describe('a short lower-case parenthetical is a cue where a line’s content begins', () => {
    it('right after a speaker’s label', () => {
      const dialogue = '**Host:** (quietly) I know.\n\n**Guest:** Sure.\n\n**Host:** Yes.\n\n**Guest:** Fine.';
      assert.deepStrictEqual(
        blocks(dialogue).map(([text]) => text),
        ['I know.', 'Sure.', 'Yes.', 'Fine.'],
      );
      assert.deepStrictEqual(silences(dialogue), [['delivery cue', '(quietly)']]);
    });

    it('on the second line of a paragraph, indented or not', () => {
      for (const markdown of ['Hello there.\n(quietly) I know.', 'Hello there.\n  (quietly) I know.']) {
        assert.deepStrictEqual(blocks(markdown), [['Hello there. I know.', undefined, undefined]]);
        assert.deepStrictEqual(silences(markdown), [['delivery cue', '(quietly)']]);
      }
    });

    it('but not inside a line, nor at the end of one', () => {
      for (const markdown of ['I know (quietly) you do.', 'Hello there. (quietly)\nI know.']) {
        assert.deepStrictEqual(
          blocks(markdown).map(([text]) => text),
          [markdown.replace('\n', ' ')],
        );
        assert.deepStrictEqual(silences(markdown), []);
      }
    });
  });

  it('takes pauses in order, at the start, between words, side by side and at the end', () => {
    assert.deepStrictEqual(blocks('[beat] One. [0.5s] [pause] Two. [long pause]'), [
      [
        'One. Two.',
        undefined,
        [
          [0, 500],
          [4, 500],
          [4, 1000],
          [9, 2000],
        ],
      ],
    ]);
    assert.deepStrictEqual(blocks('One [beat] two [beat] three.'), [
      [
        'One two three.',
        undefined,
        [
          [3, 500],
          [7, 500],
        ],
      ],
    ]);
  });

  it('leaves out a label on any line of a paragraph, and the speaker it names speaks what follows', () => {
    assert.deepStrictEqual(blocks('**Host:** Hello.\n**Guest:** Hi there.\n\n**Host:** Bye.\n\n**Guest:** Bye now.'), [
      ['Hello.', 'Host', undefined],
      ['Hi there.', 'Guest', undefined],
      ['Bye.', 'Host', undefined],
      ['Bye now.', 'Guest', undefined],
    ]);
  });

  it('judges a label the same at every use: a production note each time, a speaker at each turn, prose as words', () => {
    const script = [
      '**SFX:** door creaks',
      '**Ana:** Who is there?',
      '**Ben:** Only me.',
      '**SFX:** wind',
      '**Ana:** Come in.',
      '**Ben:** Thanks.',
      'Remember this: a take is never final.',
    ].join('\n\n');
    assert.deepStrictEqual(blocks(script), [
      ['Who is there?', 'Ana', undefined],
      ['Only me.', 'Ben', undefined],
      ['Come in.', 'Ana', undefined],
      ['Thanks.', 'Ben', undefined],
      ['Remember this: a take is never final.', 'Ben', undefined],
    ]);
    assert.deepStrictEqual(silences(script), [
      ['production label', '**SFX:** door creaks'],
      ['production label', '**SFX:** wind'],
    ]);
  });

  it('drops comments and `//` note lines, and reads a `//` inside a line', () => {
    const notes = "Before <!-- a note --> after.\n\n// a writer's note\nSpoken line.";
    assert.deepStrictEqual(
      blocks(notes).map(([text]) => text),
      ['Before after.', 'Spoken line.'],
    );
    assert.deepStrictEqual(silences(notes), [
      ['comment', '<!-- a note -->'],
      ['note line', "// a writer's note\n"],
    ]);
    assert.deepStrictEqual(
      blocks('A path like a//b is read.').map(([text]) => text),
      ['A path like a//b is read.'],
    );
  });
});
