import * as assert from 'assert';
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import {
  DEFAULT_NARRATION_OPTIONS,
  markdownToNarration,
  plainTextToNarration,
  type Narration,
  type NarrationBlock,
  type NarrationOptions,
} from '../../src/core/narration/narration';
import { randomMarkdown } from '../fixtures/scripts/randomMarkdown';

const SCRIPTS = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'scripts');
const CORPUS = fs.readdirSync(SCRIPTS).filter((name) => /^\d+-.*\.md$/.test(name));

function readScript(name: string): string {
  return fs.readFileSync(path.join(SCRIPTS, name), 'utf8');
}

function spoken(markdown: string, options?: Partial<NarrationOptions>): string {
  return markdownToNarration(markdown, options).text;
}

/** Indices of non-whitespace characters that differ from the source character they claim to come from. */
function mismatchedCharacters(block: NarrationBlock, source: string): number[] {
  const mismatched: number[] = [];
  for (let i = 0; i < block.text.length; i++) {
    if (/\s/.test(block.text[i])) continue;
    if (source[block.sourceOffsets[i]] !== block.text[i]) mismatched.push(i);
  }
  return mismatched;
}

/** Characters the converter inserts: the sentence break after a heading or list item (the last character). */
function assertMapsBackVerbatim(narration: Narration, source: string): void {
  for (const block of narration.blocks) {
    assert.strictEqual(
      block.sourceOffsets.length,
      block.text.length,
      `offsets length of ${JSON.stringify(block.text)}`,
    );
    const mismatched = mismatchedCharacters(block, source);
    const allowed = block.kind === 'heading' || block.kind === 'listItem' ? [block.text.length - 1] : [];
    assert.deepStrictEqual(
      mismatched.filter((i) => !allowed.includes(i)),
      [],
      `characters not copied from their offsets in ${JSON.stringify(block.text)}`,
    );
    for (let i = 1; i < block.sourceOffsets.length; i++) {
      assert.ok(
        block.sourceOffsets[i] >= block.sourceOffsets[i - 1],
        `offsets decrease in ${JSON.stringify(block.text)}`,
      );
    }
    for (const offset of block.sourceOffsets)
      assert.ok(offset >= 0 && offset < source.length, `offset ${offset} outside the source`);
  }
}

describe('markdownToNarration', () => {
  it('uses the documented defaults', () => {
    assert.deepStrictEqual(
      { ...DEFAULT_NARRATION_OPTIONS },
      { skipCodeBlocks: true, speakHeadings: true, speakImageAlt: false, speakTables: false },
    );
    assert.deepStrictEqual(markdownToNarration(''), { blocks: [], text: '' });
  });

  describe('leaves silent what is not meant to be heard', () => {
    const cases: [string, string, string][] = [
      ['YAML front matter', '---\ntitle: "Episode 1"\n# background_music: x\n---\n\nHello.', 'Hello.'],
      ['TOML front matter', '+++\ntitle = "Episode 1"\n+++\n\nHello.', 'Hello.'],
      ['an HTML comment block', '<!-- direction: smile -->\n\nHello.', 'Hello.'],
      ['an inline HTML comment', 'Hello <!-- breathe --> there.', 'Hello there.'],
      ['an HTML comment spanning paragraphs', 'One.\n\n<!--\nTwo.\n\nThree.\n-->\n\nFour.', 'One.\n\nFour.'],
      [
        'tags of inline HTML (the words between them are kept)',
        'A <b>bold</b> <span class="x">move</span>.',
        'A bold move.',
      ],
      ['an HTML block of markup only', '<div align="center">\n<img src="logo.png">\n</div>\n\nHello.', 'Hello.'],
      ['fenced code', 'Run this:\n\n```bash\nnpm install\n```\n\nDone.', 'Run this:\n\nDone.'],
      ['indented code', 'Run this:\n\n    npm install\n\nDone.', 'Run this:\n\nDone.'],
      ['tables', 'Before.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter.', 'Before.\n\nAfter.'],
      ['footnotes', 'A claim.[^1]\n\n[^1]: The source.', 'A claim.'],
      ['link reference definitions', 'Read [the guide][g].\n\n[g]: https://example.com/guide', 'Read the guide.'],
      ['images', 'Look ![a red fox](fox.png) here.', 'Look here.'],
      ['thematic breaks', 'One.\n\n---\n\nTwo.', 'One.\n\nTwo.'],
      [
        '`//` note lines in a paragraph',
        'Line one\n  // TODO: slower here\nline two.\n\n// only a note',
        'Line one line two.',
      ],
      ['an inline %% comment %%', 'Hello %%stage left%% there.', 'Hello there.'],
      [
        '%% comments spanning lines and paragraphs',
        'One.\n\n%%\nhidden\n\n## Hidden heading\n%%\n\nTwo.',
        'One.\n\nTwo.',
      ],
      [
        'timed pause cues',
        'Welcome... [0.5s] to the show. [1 s] [500ms] [pause] Ready?',
        'Welcome... to the show. Ready?',
      ],
      [
        'nothing in code: comment markers there are literal',
        'Type `<!-- x -->` or `%%` and `// y`.',
        'Type <!-- x --> or %% and // y.',
      ],
      [
        'an unclosed %% (spoken rather than silencing the rest)',
        'A 100%% true story.\n\nThe end.',
        'A 100%% true story.\n\nThe end.',
      ],
      ['blocks that become empty', '<!-- a -->\n\n%%b%%\n\n// c\n\nText.', 'Text.'],
    ];
    for (const [what, markdown, expected] of cases) {
      it(what, () => assert.strictEqual(spoken(markdown), expected));
    }
  });

  describe('keeps the words and drops the markers', () => {
    const cases: [string, string, string][] = [
      ['emphasis, strong, strikethrough', 'A *very* **bold** ~~old~~ _move_ __here__.', 'A very bold old move here.'],
      ['inline code markers', 'Type `npm install` and ``a `b` c``.', 'Type npm install and a `b` c.'],
      ['link syntax', 'Read [the **new** guide](https://example.com/g "Guide") now.', 'Read the new guide now.'],
      ['a reference link', 'See [docs][1].\n\n[1]: https://x.org', 'See docs.'],
      ['an autolink, as its host name', 'Visit <https://www.example.com/path?q=1>.', 'Visit example.com.'],
      [
        'a literal autolink, as its host name',
        'Visit www.example.com/path or https://sub.example.org:8080/x today.',
        'Visit example.com or sub.example.org today.',
      ],
      [
        'a link whose text is the URL',
        'At [https://www.theverge.com/x](https://www.theverge.com/x).',
        'At theverge.com.',
      ],
      ['an e-mail autolink, as written', 'Write to <jerod@example.com>.', 'Write to jerod@example.com.'],
      ['HTML entities, decoded', 'Fish &amp; chips &copy; 2024 &#x1F600;.', 'Fish & chips © 2024 😀.'],
      [
        // Issue 13: a delivery cue such as `[laughs]` is never spoken, escaped or not.
        'escaped characters, without the backslash',
        '\\[laughs\\] \\*kazoo\\* \\# not a heading',
        '*kazoo* # not a heading',
      ],
      ['escaped brackets around words, without the backslashes', '\\[Frost Nova\\] hits.', '[Frost Nova] hits.'],
      [
        'a line wrapped inside Chinese or Japanese text, joined without a space',
        '我们今天\n去北京。日本語の\n文章 and English\nwords, 한국어\n문장',
        '我们今天去北京。日本語の文章 and English words, 한국어 문장',
      ],
      ['whitespace runs, collapsed', 'Too    many\n\n\n   spaces\there   .', 'Too many\n\nspaces here .'],
      ['a hard break (backslash), as a space', 'Line one\\\nline two.', 'Line one line two.'],
      ['a hard break (two spaces), as a space', 'Line one  \nline two.', 'Line one line two.'],
      ['a <br> tag, as a space', 'Line one<br>line two.', 'Line one line two.'],
      ['text in an HTML block', '<p align="center">Made with <b>care</b></p>\n\nEnd.', 'Made with care\n\nEnd.'],
      [
        'block quotes, as text',
        '> Quoted words\n> go on.\n>\n> Second paragraph.',
        'Quoted words go on.\n\nSecond paragraph.',
      ],
    ];
    for (const [what, markdown, expected] of cases) {
      it(what, () => assert.strictEqual(spoken(markdown), expected));
    }
  });

  describe('headings and list items become sentences', () => {
    const cases: [string, string, string][] = [
      ['a heading gets a full stop', '# Intro\n\nHello.', 'Intro.\n\nHello.'],
      [
        'a heading keeping its own punctuation',
        '## Ready?\n\n## Go!\n\n## Note:\n\n## Wait…\n\n## Done.',
        'Ready?\n\nGo!\n\nNote:\n\nWait…\n\nDone.',
      ],
      ['a quoted heading ending in punctuation', '## "Stop."', '"Stop."'],
      [
        'a Chinese heading gets an ideographic full stop',
        '## 场景 0：片头（5 秒）\n\n## 结束。',
        '场景 0：片头（5 秒）。\n\n结束。',
      ],
      ['a Korean heading gets a full stop', '### 1. 0:00–0:20 — 문제 제시', '1. 0:00–0:20 — 문제 제시.'],
      ['a setext heading', 'Title\n=====\n\nText.', 'Title.\n\nText.'],
      ['list items', '- one\n- two!\n- three:', 'one.\n\ntwo!\n\nthree:'],
      [
        'list items that run on as one sentence keep their commas',
        '- what is coming next,\n- why it matters,\n- and when a part is over.',
        'what is coming next,\n\nwhy it matters,\n\nand when a part is over.',
      ],
      [
        'nested lists (an ordered item says its number: issue 12)',
        '1. first\n   - inner a\n   - inner b\n2. second',
        '1. first.\n\ninner a.\n\ninner b.\n\n2. second.',
      ],
      ['task list items, without checkboxes', '- [ ] buy milk\n- [x] call mum ✅', 'buy milk.\n\ncall mum ✅.'],
      // Issue 13: a speaker label (here the narrator's) is not spoken.
      ['a quote inside a list item', '- **Narration**:\n  > "Hello there."', '"Hello there."'],
    ];
    for (const [what, markdown, expected] of cases) {
      it(what, () => assert.strictEqual(spoken(markdown), expected));
    }

    it('marks headings with a pause and skips them when speakHeadings is off', () => {
      const narration = markdownToNarration('# One\n\nText.');
      assert.deepStrictEqual(
        narration.blocks.map((b) => [b.kind, b.text, b.pauseAfterHeading]),
        [
          ['heading', 'One.', true],
          ['paragraph', 'Text.', undefined],
        ],
      );
      assert.strictEqual(spoken('# One\n\nText.', { speakHeadings: false }), 'Text.');
    });
  });

  describe('options', () => {
    it('speaks code blocks as text when skipCodeBlocks is off', () => {
      const narration = markdownToNarration('Run:\n\n```bash\nnpm   install\nnpm test\n```\n\n    indented code', {
        skipCodeBlocks: false,
      });
      assert.strictEqual(narration.text, 'Run:\n\nnpm install npm test\n\nindented code');
      assert.deepStrictEqual(
        narration.blocks.map((b) => b.kind),
        ['paragraph', 'code', 'code'],
      );
    });

    it('speaks each table row as a sentence when speakTables is on', () => {
      const narration = markdownToNarration(
        '| Name | Role |\n|---|---|\n| **Alex** | host |\n| Jordan | |\n| Sam | guest. |',
        { speakTables: true },
      );
      assert.strictEqual(narration.text, 'Name, Role. Alex, host. Jordan. Sam, guest.');
      assert.strictEqual(narration.blocks[0].kind, 'table');
    });

    it('speaks image alt text when speakImageAlt is on', () => {
      assert.strictEqual(spoken('Look ![a red fox](fox.png) here.', { speakImageAlt: true }), 'Look a red fox here.');
      assert.strictEqual(spoken('![fox][f]\n\n[f]: fox.png', { speakImageAlt: true }), 'fox');
    });

    it('keeps defaults for options given as undefined', () => {
      assert.strictEqual(spoken('```\ncode\n```\n\nText.', { skipCodeBlocks: undefined }), 'Text.');
    });
  });

  describe('sections', () => {
    it('numbers sections at the top heading level used by the document', () => {
      const narration = markdownToNarration('Preamble.\n\n## A\n\nText a.\n\n### A.1\n\nMore a.\n\n## B\n\nText b.');
      assert.deepStrictEqual(
        narration.blocks.map((b) => [b.text, b.sectionIndex, b.sectionTitle ?? null]),
        [
          ['Preamble.', 0, null],
          ['A.', 1, 'A'],
          ['Text a.', 1, 'A'],
          ['A.1.', 1, 'A'],
          ['More a.', 1, 'A'],
          ['B.', 2, 'B'],
          ['Text b.', 2, 'B'],
        ],
      );
    });

    it('treats a lone first heading above all others as the title, not a section', () => {
      const narration = markdownToNarration('# Script\n\nIntro.\n\n## Scene 1\n\nOne.\n\n## Scene 2\n\nTwo.');
      assert.deepStrictEqual(
        narration.blocks.map((b) => [b.text, b.sectionIndex]),
        [
          ['Script.', 0],
          ['Intro.', 0],
          ['Scene 1.', 1],
          ['One.', 1],
          ['Scene 2.', 2],
          ['Two.', 2],
        ],
      );
      // Two first-level headings are sections, not a title.
      assert.deepStrictEqual(
        markdownToNarration('# A\n\n## a\n\n# B').blocks.map((b) => b.sectionIndex),
        [1, 1, 2],
      );
    });

    it('still starts sections when headings are not spoken', () => {
      const narration = markdownToNarration('## A\n\nOne.\n\n## B\n\nTwo.', { speakHeadings: false });
      assert.deepStrictEqual(
        narration.blocks.map((b) => [b.text, b.sectionIndex, b.sectionTitle]),
        [
          ['One.', 1, 'A'],
          ['Two.', 2, 'B'],
        ],
      );
    });

    it('starts sections only at top-level headings of the document, not in quotes or lists', () => {
      const narration = markdownToNarration('## A\n\n> ## Quoted\n\n- ## Listed\n\n## B');
      assert.deepStrictEqual(
        narration.blocks.map((b) => [b.kind, b.text, b.sectionIndex]),
        [
          ['heading', 'A.', 1],
          ['heading', 'Quoted.', 1],
          ['heading', 'Listed.', 1],
          ['heading', 'B.', 2],
        ],
      );
    });

    it('ignores headings with nothing to say', () => {
      const narration = markdownToNarration('## A\n\nOne.\n\n## <!-- draft -->\n\nTwo.\n\n##\n\nThree.');
      assert.deepStrictEqual(
        narration.blocks.map((b) => [b.text, b.sectionIndex]),
        [
          ['A.', 1],
          ['One.', 1],
          ['Two.', 1],
          ['Three.', 1],
        ],
      );
    });

    it('uses the heading plain text as the section title', () => {
      const narration = markdownToNarration('## The *new* [plan](x) `v2`\n\nText.');
      assert.strictEqual(narration.blocks[1].sectionTitle, 'The new plan v2');
    });
  });

  describe('maps every character back to the source', () => {
    const rich = [
      '---',
      'title: x',
      '---',
      '',
      '# Title with *emphasis*',
      '',
      '> Quoted **bold** line',
      '> and `code` &amp; [a link](https://example.com/x) www.example.org',
      '',
      '- item one',
      '  - nested [x] item \\[laughs\\]',
      '- [ ] task 😀 家',
      '',
      'Para <b>tag</b> %%gone%% text  ',
      'after a hard break',
      '// a note',
      'last line.',
    ].join('\n');

    it('copies every character from the offset it claims', () => {
      const narration = markdownToNarration(rich);
      assert.strictEqual(
        narration.text,
        // Issue 13: the delivery cue `\\[laughs\\]` is silent; `[x]` is a word in brackets and stays.
        'Title with emphasis.\n\nQuoted bold line and code & a link example.org\n\nitem one.\n\nnested [x] item.\n\ntask 😀 家。\n\nPara tag text after a hard break last line.',
      );
      assertMapsBackVerbatim(narration, rich);
    });

    it('maps blocks to source ranges that contain their characters', () => {
      const narration = markdownToNarration(rich);
      for (const block of narration.blocks) {
        assert.ok(block.sourceStart <= block.sourceEnd);
        for (const offset of block.sourceOffsets)
          assert.ok(offset >= block.sourceStart && offset < block.sourceEnd, `${offset} in ${block.text}`);
      }
      const quote = narration.blocks.find((b) => b.kind === 'blockquote');
      assert.ok(quote);
      assert.strictEqual(rich.slice(quote.sourceStart, quote.sourceEnd).split('\n')[0], 'Quoted **bold** line');
    });

    it('maps inserted characters near their source', () => {
      const source = '## Intro\n\n| a | b |\n|---|---|\n| c | d |';
      const narration = markdownToNarration(source, { speakTables: true });
      const heading = narration.blocks[0];
      assert.strictEqual(heading.text, 'Intro.');
      assert.strictEqual(heading.sourceOffsets[5], source.indexOf('o'));
      const table = narration.blocks[1];
      assert.strictEqual(table.text, 'a, b. c, d.');
      assert.strictEqual(table.sourceOffsets[1], source.indexOf('a'));
      assert.strictEqual(table.sourceOffsets[table.text.indexOf('d')], source.indexOf('d'));
    });

    it('maps decoded entities to the reference they came from', () => {
      const source = 'A &copy; B';
      const block = markdownToNarration(source).blocks[0];
      assert.strictEqual(block.text, 'A © B');
      assert.strictEqual(block.sourceOffsets[2], 2);
      assert.strictEqual(block.sourceOffsets[4], source.indexOf('B'));
    });

    it('holds for random documents', () => {
      fc.assert(
        fc.property(randomMarkdown(), (markdown) => {
          const narration = markdownToNarration(markdown);
          assertMapsBackVerbatim(narration, markdown);
          for (const block of narration.blocks) {
            assert.ok(block.text.length > 0 && block.text === block.text.trim());
            assert.ok(!/\s\s/.test(block.text), 'whitespace collapsed');
          }
          assert.strictEqual(narration.text, narration.blocks.map((b) => b.text).join('\n\n'));
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('real scripts', () => {
    for (const name of CORPUS) {
      it(`${name}: no crash, no markdown markers, every character maps back`, () => {
        const source = readScript(name);
        for (const options of [{}, { skipCodeBlocks: false, speakTables: true, speakImageAlt: true }]) {
          const narration = markdownToNarration(source, options);
          assert.ok(narration.blocks.length > 0);
          assert.ok(!narration.text.includes('**'), 'no **');
          assert.ok(!narration.text.includes(']('), 'no ](');
          if (Object.keys(options).length === 0) assert.ok(!narration.text.includes('`'), 'no backticks');
          for (const block of narration.blocks) {
            assert.ok(!/^[#>]/.test(block.text), `block starts with a marker: ${block.text.slice(0, 40)}`);
          }
          assertMapsBackVerbatim({ blocks: narration.blocks.filter((b) => b.kind !== 'table'), text: '' }, source);
        }
      });
    }

    it('04: front matter and its commented YAML are silent; three sections', () => {
      const narration = markdownToNarration(readScript('04-podcast-frontmatter-speaker-lines.md'));
      assert.ok(!narration.text.includes('background_music'));
      // Issue 13: the speaker labels are not spoken; only the speakers' lines are, unless everything is asked for.
      assert.ok(narration.text.startsWith("Welcome to the show! I'm Alex"));
      assert.ok(
        markdownToNarration(readScript('04-podcast-frontmatter-speaker-lines.md'), { speak: 'all' }).text.startsWith(
          "Intro.\n\nWelcome to the show! I'm Alex",
        ),
      );
      assert.deepStrictEqual(
        [...new Set(narration.blocks.map((b) => `${b.sectionIndex}:${b.sectionTitle}`))],
        ['1:Intro', '2:Main Discussion', '3:Wrap Up'],
      );
    });

    it('11: escaped sound cues are spoken without backslashes, links keep their text', () => {
      const text = spoken(readScript('11-changelog-news-podcast.md'));
      assert.ok(text.includes("I'm... well, this is probably all I'm going to do to celebrate... *kazoo*"));
      assert.ok(text.includes("we're getting a Zelda game where SHE's the hero"));
      assert.ok(text.includes('llama.ttf is a font file which is also an LLM'));
      assert.ok(!text.includes('\\'));
    });

    it('13: Chinese scenes are sections; code and tables are silent', () => {
      // Everything spoken (issue 13's `auto` speaks only the narrator's lines: see scriptReading.test.ts).
      const narration = markdownToNarration(readScript('13-zh-modloader-promo-video.md'), { speak: 'all' });
      const titles = [...new Set(narration.blocks.map((b) => b.sectionTitle).filter((t) => t !== undefined))];
      assert.strictEqual(titles[0], '场景 0：片头（5 秒）');
      assert.ok(titles.length >= 5);
      assert.ok(!narration.text.includes('CompatibilityPredictor'), 'code fence is silent');
      assert.ok(!narration.text.includes('玩家对着启动器发呆'), 'table is silent');
      assert.ok(narration.text.includes('场景 0：片头（5 秒）。'));
    });

    it('14: timed pause cues are silent, bold emphasis is spoken plainly', () => {
      const text = spoken(readScript('14-demo-narration-pause-cues.md'));
      assert.ok(!/\[\d/.test(text), 'no [0.5s] cues');
      assert.ok(
        text.includes(
          'Welcome to Course Creator Platform... the AI-powered solution that transforms course development from weeks to minutes.',
        ),
      );
      // Issue 13: the `**Note:**` paragraph is a production note; words in brackets that are no cue are spoken.
      assert.ok(!text.includes('[Pause times] are marked'), 'the Note paragraph is silent');
      assert.strictEqual(
        spoken('Say [Pause times] and [Frost Nova] as written.'),
        'Say [Pause times] and [Frost Nova] as written.',
      );
    });

    it('17: Korean narration nested in list items is spoken', () => {
      const text = spoken(readScript('17-ko-cli-demo-scenario.md'));
      assert.ok(text.includes('"GGUF 양자화 레벨(Q8_0부터 Q2_K까지)과 -ngl, -c 조합은 수십 가지인데,'));
      assert.ok(!text.includes('fituna detect-hw'), 'bash fences are silent');
    });

    it('20: the long transcript drops its escaped cues, timestamps and speaker labels (issue 13)', () => {
      const narration = markdownToNarration(readScript('20-podcast-transcript-multispeaker.md'));
      assert.ok(!narration.text.includes('[laughs]'));
      assert.ok(!narration.text.includes('[06:11]'));
      assert.ok(narration.text.startsWith('I think Changelog & Friends could be the new place for Backstage.'));
      assert.ok(narration.blocks.length > 250);
    });
  });
});

describe('plainTextToNarration', () => {
  it('splits paragraphs at blank lines and collapses whitespace, in one section', () => {
    const source = '  First   line\nsame paragraph.\n\n\n  \nSecond **not markdown**.\r\n\r\nThird.';
    const narration = plainTextToNarration(source);
    assert.strictEqual(narration.text, 'First line same paragraph.\n\nSecond **not markdown**.\n\nThird.');
    assert.ok(
      narration.blocks.every((b) => b.kind === 'paragraph' && b.sectionIndex === 0 && b.sectionTitle === undefined),
    );
    assertMapsBackVerbatim(narration, source);
    assert.strictEqual(
      source.slice(narration.blocks[1].sourceStart, narration.blocks[1].sourceEnd),
      'Second **not markdown**.',
    );
  });

  it('gives nothing for blank text', () => {
    assert.deepStrictEqual(plainTextToNarration(' \n\n\t'), { blocks: [], text: '' });
  });
});
