// Issue 12, "Narration fidelity": the markup writers really use, sentence ends of every script, numbers, and where
// source lines start. Each kind has the issue's own input and at least two more, with the exact narration expected.
import * as assert from 'assert';
import { decodeScript } from '../../src/core/narration/scriptSource';
import { markdownToNarration, type NarrationOptions } from '../../src/core/narration/narration';
import type { VoiceParams } from '../../src/core/api/voiceParams';
import { chunkNarration } from '../../src/core/narration/chunker';
import { formatPreview, previewEntries, silentEntries } from '../../src/core/narration/preview';

const VOICE: VoiceParams = { model: 'M000045058', language: 'en' };

function spoken(markdown: string, options?: Partial<NarrationOptions>): string {
  return markdownToNarration(markdown, options).text;
}

function table(cases: [string, string, string][], options?: Partial<NarrationOptions>): void {
  for (const [what, markdown, expected] of cases) {
    it(what, () => assert.strictEqual(spoken(markdown, options), expected));
  }
}

describe('narration fidelity (issue 12)', () => {
  describe('Obsidian and GitHub extensions are read as their previews show them', () => {
    describe('wikilinks speak their alias, else their target without #heading or ^block', () => {
      table([
        [
          'a link and a link with an alias (the issue’s input)',
          'Before recording, open [[Voice Checklist]] and skim [[Studio Setup|the studio page]].',
          'Before recording, open Voice Checklist and skim the studio page.',
        ],
        [
          'headings and blocks of another note, and a heading of this one',
          'See [[Mixing#Levels]], [[Gear^a1b2c3]], [[Gear#^a1b2c3|that paragraph]] and [[#Room tone]].',
          'See Mixing, Gear, that paragraph and Room tone.',
        ],
        [
          'an alias escaped inside a table cell, and brackets that are no wikilink',
          '[[Take list\\|the takes]] stay; [[ ]] and [[a\nb]] and [x] are text.',
          'the takes stay; [[ ]] and [[a b]] and [x] are text.',
        ],
      ]);
    });

    describe('==highlights== are read without their marks', () => {
      table([
        [
          'the issue’s input',
          'Speak slowly and ==pause after every heading== when you record.',
          'Speak slowly and pause after every heading when you record.',
        ],
        ['a highlight around emphasis', 'Say ==**every** word== clearly.', 'Say every word clearly.'],
        [
          'equals signs that mark nothing stay text',
          'If a == b, keep ==this and ===that=== too.',
          'If a == b, keep ==this and ===that=== too.',
        ],
      ]);
    });

    describe('alerts and callouts say their type once, as a word, then their title as a sentence', () => {
      table([
        [
          'a warning with a title (the issue’s input)',
          '> [!WARNING] Loud noise\n> Lower the volume before pressing play.',
          'Warning: Loud noise. Lower the volume before pressing play.',
        ],
        [
          'a note without a title says "Note." (GitHub’s form)',
          '> [!NOTE]\n> Breathe between takes.',
          'Note. Breathe between takes.',
        ],
        [
          'an Obsidian callout: folding sign silent, later paragraphs as usual, a title that repeats the type said once',
          '> [!tip]- Mic distance\n> One hand away.\n>\n> Then record.\n\n> [!note] Note\n> Text.\n\n> [!faq]',
          'Tip: Mic distance. One hand away.\n\nThen record.\n\nNote. Text.\n\nFAQ.',
        ],
        ['a marker later in a quote is text', '> Just a quote [!NOTE] here.', 'Just a quote [!NOTE] here.'],
      ]);
      describe('in the document’s language', () => {
        table(
          [
            [
              'Korean',
              '> [!WARNING] 큰 소리\n> 재생하기 전에 볼륨을 낮추세요.\n\n> [!NOTE]\n> 녹음 사이에 숨을 쉬세요.',
              '경고: 큰 소리. 재생하기 전에 볼륨을 낮추세요.\n\n참고. 녹음 사이에 숨을 쉬세요.',
            ],
          ],
          { language: 'ko-KR' },
        );
        table([['Japanese', '> [!TIP] 距離\n> 手のひら一つ分。', 'ヒント：距離。手のひら一つ分。']], {
          language: 'ja',
        });
        table([['a custom type is said as written', '> [!Recap] Part one', 'Recap: Part one.']], { language: 'de' });
      });
    });

    describe('embeds are silent like images, never a file name', () => {
      table([
        [
          'images, audio, PDFs and notes',
          'Look ![[fox.png]] here, ![[take 3.mp3]] ![[brief.pdf#page=2]] then ![[Other note#Intro]] done.',
          'Look here, then done.',
        ],
        ['an embed alone in a paragraph', 'Intro.\n\n![[diagram.svg]]\n\nOutro.', 'Intro.\n\nOutro.'],
      ]);
      table(
        [
          [
            'with speakImageAlt, an alt text is said, a size is not',
            '![[fox.png|A red fox]] and ![[fox.png|300x200]].',
            'A red fox and .',
          ],
        ],
        { speakImageAlt: true },
      );
    });
  });

  describe('math is silent; dollar amounts are text', () => {
    table([
      [
        'inline TeX (the issue’s input)',
        'The limit is $3{a}_{1} + 2{b}_{2} \\leq {12}$ in this example.',
        'The limit is in this example.',
      ],
      ['a display block', 'Before.\n\n$$\n\\sum_{i=1}^{n} x_i\n$$\n\nAfter.', 'Before.\n\nAfter.'],
      [
        'prices (the issue’s input)',
        'Tickets cost $15 on Friday and $20 on Saturday.',
        'Tickets cost $15 on Friday and $20 on Saturday.',
      ],
      [
        'more prices: a range, a spaced dollar, a price in emphasis',
        'Seats run $5-$10, or $ 3 $ at the door; *$25* and **$30** for two.',
        'Seats run $5-$10, or $ 3 $ at the door; $25 and $30 for two.',
      ],
      [
        'math next to a price, and comment markers inside math',
        'It costs $4 where $x %% y$ holds and $$E=mc^2$$ too.',
        'It costs $4 where holds and too.',
      ],
    ]);
  });

  describe('ordered lists say each item’s number, counting from the list’s start', () => {
    table([
      [
        'steps that a later sentence points back to (the issue’s input)',
        '1. Plug in the microphone.\n2. Open the recording app.\n\nIf the level is too low, go back to step 2.',
        '1. Plug in the microphone.\n\n2. Open the recording app.\n\nIf the level is too low, go back to step 2.',
      ],
      [
        'a year that CommonMark reads as a list (the issue’s input)',
        '2024. We finally moved into a real studio.',
        '2024. We finally moved into a real studio.',
      ],
      [
        'a list starting at 3 whose later items all say 3',
        '3. Check levels\n3. Record\n3. Listen back',
        '3. Check levels.\n\n4. Record.\n\n5. Listen back.',
      ],
      [
        'a parenthesis delimiter, nested in a bullet list, with a quote inside',
        '- Setup\n  1) Cable\n  2) Stand\n\n7) > Quoted step',
        'Setup.\n\n1) Cable.\n\n2) Stand.\n\n7) Quoted step',
      ],
    ]);

    it('maps the number to the marker it came from', () => {
      const source = '- x\n\n  9. Ninth step';
      const item = markdownToNarration(source).blocks[1];
      assert.strictEqual(item.text, '9. Ninth step.');
      assert.strictEqual(item.sourceOffsets[0], source.indexOf('9'));
      assert.strictEqual(item.sourceStart, source.indexOf('9'));
    });
  });

  describe('tag-like words that are not HTML elements are spoken', () => {
    table([
      ['a key name (the issue’s input)', 'Press <Enter> to continue.', 'Press Enter to continue.'],
      [
        'several keys, next to a real element',
        'Hold <Shift> and press <Tab>, then <kbd>Esc</kbd>.',
        'Hold Shift and press Tab, then Esc.',
      ],
      [
        'markup stays silent: closed, self-closing, with attributes, or an HTML element',
        'A <custom>word</custom>, <Pause/>, <break time="1s">, <Del> and <em>this</em>.',
        'A word, , , and this.',
      ],
      ['alone on a line (an HTML block to CommonMark)', '<Enter>\n\nThen wait.', 'Enter\n\nThen wait.'],
    ]);
  });

  describe('every silent region is reported with its reason, for the preview', () => {
    function silences(markdown: string): [string, string][] {
      return (markdownToNarration(markdown).silences ?? []).map((s) => [
        s.reason,
        markdown.slice(s.sourceStart, s.sourceEnd),
      ]);
    }

    it('a paragraph indented eight spaces under a list item stays silent, as indented code (the issue’s input)', () => {
      const source = '- Record the intro.\n\n        Keep the room quiet.\n\nThen the outro.';
      assert.strictEqual(spoken(source), 'Record the intro.\n\nThen the outro.');
      assert.deepStrictEqual(silences(source), [['indented code', '      Keep the room quiet.']]);
    });

    it('footnote texts, code, math, tables, comments, notes, images, embeds and front matter', () => {
      const source = [
        '---',
        'title: x',
        '---',
        '',
        'A claim.[^1] ![fox](fox.png) ![[take.mp3]] $x$ <!-- cut -->',
        '// slower here',
        'end.',
        '',
        '```',
        'code',
        '```',
        '',
        '| a |',
        '|---|',
        '| b |',
        '',
        '$$',
        'y',
        '$$',
        '',
        '[^1]: With help from two friends.',
        '',
        '<div>',
        '</div>',
      ].join('\n');
      assert.strictEqual(spoken(source), 'A claim. end.');
      assert.deepStrictEqual(silences(source), [
        ['front matter', '---\ntitle: x\n---'],
        ['image', '![fox](fox.png)'],
        ['embed', '![[take.mp3]]'],
        ['math', '$x$'],
        ['comment', '<!-- cut -->'],
        ['note line', '// slower here\n'],
        ['code block', '```\ncode\n```'],
        ['table', '| a |\n|---|\n| b |'],
        ['math', '$$\ny\n$$'],
        ['footnote', '[^1]: With help from two friends.'],
        ['HTML markup', '<div>\n</div>'],
      ]);
    });

    it('nothing when everything is spoken, and no image when its alt text is', () => {
      assert.strictEqual(markdownToNarration('All *spoken*.').silences, undefined);
      assert.strictEqual(markdownToNarration('![fox](fox.png)', { speakImageAlt: true }).silences, undefined);
    });

    it('the preview shows each silent region between the parts, with its lines and reason', () => {
      const source = '# Intro\n\nHello.\n\n```\ncode\n```\n\n## Next\n\nBye. <!-- later -->';
      const narration = markdownToNarration(source);
      const text = formatPreview(
        'intro.md',
        previewEntries(chunkNarration(narration, 2000, VOICE), source),
        2000,
        undefined,
        silentEntries(narration.silences, source),
      );
      assert.strictEqual(
        text,
        [
          'Narration of intro.md: 2 requests, 25 characters (at most 2,000 per request).',
          '── Part 1 of 2 · 14 characters · lines 1–3 ──\nIntro.\n\nHello.',
          '── Silent · lines 5–7 · code block ──',
          '── Part 2 of 2 · 11 characters · lines 9–11 · “Next” ──\nNext.\n\nBye.',
          '── Silent · line 11 · comment ──\n',
        ].join('\n\n'),
      );
    });
  });

  describe('a sentence already ended in any script gets no extra period (Unicode Sentence_Terminal)', () => {
    table([
      ['an Arabic question mark in a heading', '## لماذا نسجل؟', 'لماذا نسجل؟'],
      [
        'Urdu, Devanagari and Armenian full stops ending list items',
        '- ہم ریکارڈ کرتے ہیں۔\n- हम रिकॉर्ड करते हैं।\n- Մենք ձայնագրում ենք։',
        'ہم ریکارڈ کرتے ہیں۔\n\nहम रिकॉर्ड करते हैं।\n\nՄենք ձայնագրում ենք։',
      ],
      [
        'an Ethiopic full stop, and a Greek question mark, before a closing quote',
        '- «ሰላም።»\n- “Τι;”',
        '«ሰላም።»\n\n“Τι;”',
      ],
      [
        'a missing full stop is the script’s own',
        '## नमस्ते दुनिया\n\n- Բարեւ\n- 「你好」\n- Hello',
        'नमस्ते दुनिया।\n\nԲարեւ։\n\n「你好」。\n\nHello.',
      ],
    ]);
  });

  describe('a byte-order mark shifts no source line', () => {
    it('is dropped once when a script file is decoded', () => {
      assert.strictEqual(decodeScript(Buffer.from('\uFEFF# Title\n', 'utf8')), '# Title\n');
      assert.strictEqual(decodeScript(Buffer.from('No mark.', 'utf8')), 'No mark.');
      // Only the first is a byte-order mark; a second one is a character of the text.
      assert.strictEqual(decodeScript(Buffer.from('\uFEFF\uFEFFx', 'utf8')), '\uFEFFx');
    });

    it('maps the text on line 3 to line 3 whether or not the file had one', () => {
      for (const bytes of ['\uFEFF# Title\n\nHello there.\n', '# Title\n\nHello there.\n']) {
        const source = decodeScript(Buffer.from(bytes, 'utf8'));
        const narration = markdownToNarration(source);
        const entries = previewEntries(chunkNarration(narration, 100, VOICE), source);
        assert.deepStrictEqual(
          entries.map((e) => [e.text, e.startLine, e.endLine]),
          [['Title.\n\nHello there.', 1, 3]],
        );
        const paragraph = narration.blocks[1];
        assert.strictEqual(source.slice(paragraph.sourceStart, paragraph.sourceEnd), 'Hello there.');
      }
    });

    it('keeps offsets right even when a caller passes the mark along', () => {
      const source = '\uFEFF# Title\n\nHello there.\n';
      const paragraph = markdownToNarration(source).blocks[1];
      assert.strictEqual(source.slice(paragraph.sourceStart, paragraph.sourceEnd), 'Hello there.');
      assert.strictEqual(paragraph.sourceOffsets[0], source.indexOf('Hello'));
    });
  });
});
