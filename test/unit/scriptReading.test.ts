// Issue 13, "Scripts as writers write them": pauses, cues never spoken, speakers and their voices, narration-only
// regions, pronunciations and the front matter, rule by rule, on inputs of our own (the corpus is in corpusReading).
import * as assert from 'assert';
import type { VoiceParams } from '../../src/core/api/voiceParams';
import { chunkNarration, pauseMsOf } from '../../src/core/narration/chunker';
import {
  markdownToNarration,
  narrationContext,
  plainTextToNarration,
  type NarrationOptions,
} from '../../src/core/narration/narration';
import { DEFAULT_PAUSE_LENGTHS, pauseMarkMs } from '../../src/core/narration/pauseCues';
import {
  formatPreview,
  pauseEntries,
  previewEntries,
  previewReading,
  silentEntries,
} from '../../src/core/narration/preview';

const VOICE: VoiceParams = { model: 'M000045058', language: 'en' };

function spoken(markdown: string, options?: Partial<NarrationOptions>): string {
  return markdownToNarration(markdown, options).text;
}

/** [reason, the source it covers] of every silent region. */
function silences(markdown: string, options?: Partial<NarrationOptions>): [string, string][] {
  return (markdownToNarration(markdown, options).silences ?? []).map((s) => [
    s.reason,
    markdown.slice(s.sourceStart, s.sourceEnd),
  ]);
}

describe('scripts as writers write them (issue 13)', () => {
  describe('pause marks become timed silences', () => {
    it('reads every written form, in brackets, bare, italic or bold', () => {
      const cases: [string, number][] = [
        ['0.5s', 500],
        ['1.2 s', 1200],
        ['500ms', 500],
        ['0,75 sec', 750],
        ['2 seconds', 2000],
        ['3 seconds of silence', 3000],
        ['2s pause', 2000],
        ['pause 2s', 2000],
        ['pause: 1.5 s', 1500],
        ['*0.5s*', 500],
        ['**2 seconds**', 2000],
        ['pause', DEFAULT_PAUSE_LENGTHS.pauseMs],
        ['Pause', DEFAULT_PAUSE_LENGTHS.pauseMs],
        ['beat', DEFAULT_PAUSE_LENGTHS.beatMs],
        ['a beat', DEFAULT_PAUSE_LENGTHS.beatMs],
        ['short pause', DEFAULT_PAUSE_LENGTHS.beatMs],
        ['long pause', DEFAULT_PAUSE_LENGTHS.longPauseMs],
        ['dramatic pause', DEFAULT_PAUSE_LENGTHS.longPauseMs],
        ['停顿', DEFAULT_PAUSE_LENGTHS.pauseMs],
        ['2秒', 2000],
        ['쉼', DEFAULT_PAUSE_LENGTHS.pauseMs],
        ['3초', 3000],
      ];
      for (const [mark, ms] of cases) assert.strictEqual(pauseMarkMs(mark, DEFAULT_PAUSE_LENGTHS), ms, mark);
      for (const words of ['Pause times', 'pause here please', 'Frost Nova', '2', 'x']) {
        assert.strictEqual(pauseMarkMs(words, DEFAULT_PAUSE_LENGTHS), undefined, words);
      }
      // A bare length in parentheses is prose ("(2s)"), a worded one a direction ("(beat)").
      assert.strictEqual(pauseMarkMs('2s', DEFAULT_PAUSE_LENGTHS, false), undefined);
      assert.strictEqual(pauseMarkMs('beat', DEFAULT_PAUSE_LENGTHS, false), 500);
      // A typo is not ten minutes of air.
      assert.strictEqual(pauseMarkMs('500s', DEFAULT_PAUSE_LENGTHS), 60_000);
    });

    it('takes the lengths of beat, pause and long pause from the settings', () => {
      const pauseLengths = { beatMs: 300, pauseMs: 1500, longPauseMs: 4000 };
      const narration = markdownToNarration('One. [beat] Two. [pause] Three. [long pause] Four. [0.2s] Five.', {
        pauseLengths,
      });
      assert.deepStrictEqual(
        narration.blocks[0].pauses?.map((p) => p.ms),
        [300, 1500, 4000, 200],
      );
    });

    it('keeps the text as written around the mark, and cuts the requests there', () => {
      const source = 'Welcome... [0.5s] to the show. [pause 2s] Ready?';
      const narration = markdownToNarration(source);
      assert.strictEqual(narration.text, 'Welcome... to the show. Ready?');
      const [block] = narration.blocks;
      assert.deepStrictEqual(
        block.pauses?.map((p) => [p.at, p.ms, source.slice(p.sourceStart, p.sourceEnd)]),
        [
          [10, 500, '[0.5s]'],
          [23, 2000, '[pause 2s]'],
        ],
      );
      const chunks = chunkNarration(narration, 2000, VOICE);
      assert.deepStrictEqual(
        chunks.map((c) => [c.text, pauseMsOf(c.pausesBefore)]),
        [
          ['Welcome...', 0],
          ['to the show.', 500],
          ['Ready?', 2000],
        ],
      );
      assert.ok(chunks.every((c) => c.voice === VOICE));
    });

    it('puts a pause on a line of its own before what follows, adds up marks in a row, and keeps one at the end', () => {
      const narration = markdownToNarration('First.\n\n*[beat]*\n\n**[2 seconds]** [0.5s] Second.\n\n[long pause]');
      assert.strictEqual(narration.text, 'First.\n\nSecond.');
      const chunks = chunkNarration(narration, 2000, VOICE);
      assert.deepStrictEqual(
        chunks.map((c) => [c.text, pauseMsOf(c.pausesBefore), pauseMsOf(c.pausesAfter)]),
        [
          ['First.', 0, 0],
          ['Second.', 500 + 2000 + 500, 2000],
        ],
      );
    });

    it('reads screenplay pauses in parentheses, but not a length in prose', () => {
      const narration = markdownToNarration('She waits. (beat) Then she speaks (in 2s or so).');
      assert.strictEqual(narration.text, 'She waits. Then she speaks (in 2s or so).');
      assert.deepStrictEqual(
        narration.blocks[0].pauses?.map((p) => p.ms),
        [500],
      );
    });

    it('reads pause marks in plain text too', () => {
      const narration = plainTextToNarration('Hello. [1s] Goodbye.');
      assert.strictEqual(narration.text, 'Hello. Goodbye.');
      assert.deepStrictEqual(
        narration.blocks[0].pauses?.map((p) => p.ms),
        [1000],
      );
    });
  });

  describe('cues are never spoken', () => {
    const cases: [string, string, string, string][] = [
      [
        'a sound effect',
        'The door opens. [SFX: door creaks] Who is there?',
        'The door opens. Who is there?',
        'stage direction',
      ],
      ['music', '[MUSIC UP] Welcome back.', 'Welcome back.', 'stage direction'],
      ['a bracketed scene marker in bold', '**[SCENE START]**\n\nIt was late.', 'It was late.', 'stage direction'],
      [
        'b-roll and a cut',
        '[B-ROLL] The city. [CUT TO: EXT. STREET] Morning.',
        'The city. Morning.',
        'stage direction',
      ],
      ['a visual cue', '[VISUAL] Our product, at last.', 'Our product, at last.', 'stage direction'],
      ['a bracketed cue in sentence case', '[Music fades in] Good evening.', 'Good evening.', 'stage direction'],
      ['a delivery cue', 'I bet somebody does. [laughs]', 'I bet somebody does.', 'delivery cue'],
      ['a whispered one', '[whispering] Over here.', 'Over here.', 'delivery cue'],
      ['a sound in a transcript', 'Hold on. \\[phone ringing\\] Hello?', 'Hold on. Hello?', 'delivery cue'],
      ['a timecode range', '[0:00-0:15] Opening.', 'Opening.', 'timecode'],
      ['a timecode in parentheses', 'The hook (0:30 - 1:15) lands here.', 'The hook lands here.', 'timecode'],
      ['an escaped timestamp', '\\[06:11\\] Come on, bucko.', 'Come on, bucko.', 'timecode'],
      [
        'a labelled parenthetical',
        'Meet the team (slide: team photo) in person.',
        'Meet the team in person.',
        'stage direction',
      ],
      ['an italic parenthetical', 'Come here. *(whispered)* Closer.', 'Come here. Closer.', 'delivery cue'],
      ['a delivery parenthetical opening a line', '(quietly) I know.', 'I know.', 'delivery cue'],
      [
        'a line that is only a parenthetical',
        'Intro.\n\n(No voiceover)\n\nOutro.',
        'Intro.\n\nOutro.',
        'stage direction',
      ],
      ['a line that is only italic', 'Hi.\n\n*She turns to the camera.*\n\nBye.', 'Hi.\n\nBye.', 'stage direction'],
    ];
    for (const [what, markdown, expected, reason] of cases) {
      it(what, () => {
        assert.strictEqual(spoken(markdown), expected);
        assert.ok(
          silences(markdown).some(([r]) => r === reason),
          `a ${reason} region in ${JSON.stringify(silences(markdown))}`,
        );
      });
    }

    it('leaves ordinary prose untouched', () => {
      const prose = [
        'Note that the rule bends: it does not break.',
        'Remember this: a take is never final.',
        'The room (and it is a strong one) needs no treatment.',
        'Cast [Frost Nova] twice, then [Pause times] as written.',
        '*“Quoted in italics,” she said.*',
        'At 9:30 the studio opens: https://example.com/studio is the address.',
      ].join('\n\n');
      assert.strictEqual(
        spoken(prose),
        prose
          .replace('*“Quoted in italics,” she said.*', '“Quoted in italics,” she said.')
          .replace('https://example.com/studio', 'example.com'),
      );
      assert.strictEqual(markdownToNarration(prose).silences, undefined);
    });
  });

  describe('production labels and metadata are silent', () => {
    const labels: [string, string][] = [
      ['**Visual:** A wide shot of the booth.', 'Visual'],
      ['**SFX:** Door slams.', 'SFX'],
      ['**Energy: 8/10 | Pace: Dynamic**', 'Energy'],
      ['**Key emphasis:** "weeks" (slow).', 'Key emphasis'],
      ['**Note:** Record this twice.', 'Note'],
      ['**Tone:** warm.', 'Tone'],
      ['**Visual notes:** Show the chart.', 'Visual notes'],
      ['MUSIC: Strings swell.', 'MUSIC'],
      ['**画面**: 分屏对比', '画面'],
      ['**BGM**: 8-bit 电子乐', 'BGM'],
      ['**字幕**: 「你的模组」', '字幕'],
      ['字幕：「没有加粗也算」', '字幕'],
      ['**화면**: 터미널', '화면'],
      ['**자막**: 요약', '자막'],
      ['**화면 전환**: 클리어', '화면 전환'],
    ];
    for (const [line, label] of labels) {
      it(`“${label}”`, () => {
        const source = `Spoken before.\n\n${line}\n\nSpoken after.`;
        assert.strictEqual(spoken(source), 'Spoken before.\n\nSpoken after.');
        const region = markdownToNarration(source).silences?.find((s) => s.reason === 'production label');
        assert.strictEqual(region?.detail, label);
        assert.strictEqual(source.slice(region.sourceStart, region.sourceEnd), line);
      });
    }

    it('silences each labelled line of one paragraph on its own', () => {
      const source = '**画面**: LOGO 渐入\n**BGM**: 电子乐\n**旁白**: 「你好。」';
      assert.strictEqual(spoken(source), '「你好。」');
      assert.deepStrictEqual(
        silences(source).map(([reason, text]) => [reason, text.trim()]),
        [
          ['production label', '**画面**: LOGO 渐入'],
          ['production label', '**BGM**: 电子乐'],
        ],
      );
    });

    it('takes the list from the setting', () => {
      const source = 'Hello.\n\n**Lighting:** Warm key light.\n\n**Visual:** The booth.';
      assert.strictEqual(spoken(source, { productionLabels: ['Lighting'] }), 'Hello.\n\nVisual: The booth.');
    });

    it('keeps a plain label in lower case as prose ("Note: …" is read)', () => {
      assert.strictEqual(spoken('Note: the take is long.'), 'Note: the take is long.');
    });

    it('silences a leading block of label lines as metadata', () => {
      const source =
        '# Episode 12\n\n**Version:** 2.0\n**Date:** October 9\n**Voice:** Charlotte\n\nWelcome, everyone.';
      assert.strictEqual(spoken(source), 'Episode 12.\n\nWelcome, everyone.');
      assert.deepStrictEqual(
        (markdownToNarration(source).silences ?? []).map((s) => [s.reason, s.detail]),
        [
          ['metadata', 'Version'],
          ['metadata', 'Date'],
          ['metadata', 'Voice'],
        ],
      );
      // One label line is not a block; a label that speaks later is a speaker, not metadata.
      assert.strictEqual(spoken('**Version:** 2.0\n\nHello.'), 'Version: 2.0\n\nHello.');
    });
  });

  describe('speakers: labels are not spoken, and each speaker has a voice', () => {
    const forms: [string, string, string][] = [
      [
        '**Jerod Santo:** Hello there.\n\n**Adam:** Hi.\n\n**Jerod Santo:** Bye.\n\n**Adam:** Bye.',
        'Jerod Santo',
        'bold',
      ],
      ['JANE: Hello there.\n\nJOHN: Hi.\n\nJANE: Bye.\n\nJOHN: Bye.', 'JANE', 'capitals'],
      ['DISPATCH (radio): Hello there.', 'DISPATCH', 'capitals with an extension'],
      ['Speaker 1: Hello there.', 'Speaker 1', 'numbered role'],
      ['host1: Hello there.', 'host1', 'numbered role in lower case'],
      ['**旁白**: Hello there.', '旁白', 'a narrator in Chinese'],
      ['**내레이션**: Hello there.', '내레이션', 'a narrator in Korean'],
      ['NARRATOR: Hello there.', 'NARRATOR', 'a narrator'],
    ];
    for (const [source, speaker, form] of forms) {
      it(`${form}: ${speaker}`, () => {
        const narration = markdownToNarration(source);
        assert.strictEqual(narration.blocks[0].text, 'Hello there.');
        assert.strictEqual(narration.blocks[0].speaker, speaker);
        assert.ok(!narration.text.includes(':'), narration.text);
      });
    }

    it('gives the paragraphs after a label alone on its line to that speaker, until the next label or heading', () => {
      const source = [
        '**Jerod Santo:**',
        'What up, nerds?',
        '> A quote he reads.',
        '- an item he reads',
        '**Break:**',
        'After the break.',
        '**Jerod Santo:**',
        'Back again.',
        '## Outro',
        'Heading ends the turn.',
      ].join('\n\n');
      const narration = markdownToNarration(source, { speak: 'all' });
      assert.deepStrictEqual(
        narration.blocks.map((b) => [b.text, b.speaker ?? null]),
        [
          ['What up, nerds?', 'Jerod Santo'],
          ['A quote he reads.', 'Jerod Santo'],
          ['an item he reads.', 'Jerod Santo'],
          ['After the break.', null],
          ['Back again.', 'Jerod Santo'],
          ['Outro.', null],
          ['Heading ends the turn.', null],
        ],
      );
    });

    it('splits a paragraph where another speaker takes over on the next line', () => {
      const narration = markdownToNarration('**A:** One.\n**B:** Two.\n\n**A:** Three.\n\n**B:** Four.');
      assert.deepStrictEqual(
        narration.blocks.map((b) => [b.speaker, b.text]),
        [
          ['A', 'One.'],
          ['B', 'Two.'],
          ['A', 'Three.'],
          ['B', 'Four.'],
        ],
      );
    });

    it('does not take a one-off capitalised phrase in a monologue for a speaker', () => {
      assert.strictEqual(spoken('MORE IMPORTANTLY: the show goes on.'), 'MORE IMPORTANTLY: the show goes on.');
      assert.strictEqual(spoken('**Net Improvement:** +35%'), 'Net Improvement: +35%');
    });

    const dialogue = [
      '---',
      'speakers: { host1: Alex, host2: Jordan }',
      'voices:',
      '  Alex: M000000001',
      '  host2: { model: M000000002, language: ko }',
      '---',
      '',
      'host1: Welcome.',
      '',
      'host2: 안녕하세요.',
      '',
      'GUEST: Hi.',
      '',
      'GUEST: Thanks.',
      '',
      'host1: Bye.',
    ].join('\n');

    it('casts speakers from the front matter, by label or by the name `speakers:` gives it; the uncast keep the default voice', () => {
      const narration = markdownToNarration(dialogue);
      assert.deepStrictEqual(narration.reading?.speakers, [
        { name: 'host1', displayName: 'Alex', voice: { model: 'M000000001' }, castBy: 'front matter' },
        {
          name: 'host2',
          displayName: 'Jordan',
          voice: { model: 'M000000002', language: 'ko' },
          castBy: 'front matter',
        },
        { name: 'GUEST' },
      ]);
      const chunks = chunkNarration(narration, 2000, VOICE);
      assert.deepStrictEqual(
        chunks.map((c) => [c.speakers, c.voice.model, c.voice.language, c.text]),
        [
          [['host1'], 'M000000001', 'en', 'Welcome.'],
          [['host2'], 'M000000002', 'ko', '안녕하세요.'],
          [['GUEST'], 'M000045058', 'en', 'Hi.\n\nThanks.'],
          [['host1'], 'M000000001', 'en', 'Bye.'],
        ],
      );
      assert.strictEqual(chunks[2].voice, VOICE, 'an uncast speaker speaks in the default voice itself');
    });

    it('lets the command line cast over the front matter, and the front matter over the settings', () => {
      const narration = markdownToNarration(dialogue, {
        voices: { GUEST: 'M000000003', host1: 'M000000009' },
        overrides: { voices: { Jordan: { model: 'M000000004' } } },
      });
      assert.deepStrictEqual(
        narration.reading?.speakers.map((s) => [s.name, s.voice?.model, s.castBy]),
        [
          ['host1', 'M000000001', 'front matter'],
          ['host2', 'M000000004', 'command line'],
          ['GUEST', 'M000000003', 'settings'],
        ],
      );
    });

    it('makes any cast name a speaker, even in prose form', () => {
      const narration = markdownToNarration('Alex: Hi there.\n\nRemember this: words.', { voices: { Alex: 'M1' } });
      assert.deepStrictEqual(
        narration.blocks.map((b) => [b.speaker ?? null, b.text]),
        [
          ['Alex', 'Hi there.'],
          ['Alex', 'Remember this: words.'],
        ],
      );
    });

    it('keeps speakers who share a voice in one request, and splits where the voice changes', () => {
      const source = '**A:** One.\n\n**B:** Two.\n\n**A:** Three.\n\n**B:** Four.';
      const shared = chunkNarration(markdownToNarration(source), 2000, VOICE);
      assert.deepStrictEqual(
        shared.map((c) => [c.speakers, c.text]),
        [[['A', 'B'], 'One.\n\nTwo.\n\nThree.\n\nFour.']],
      );
      const cast = chunkNarration(markdownToNarration(source, { voices: { B: 'M000000002' } }), 2000, VOICE);
      assert.deepStrictEqual(
        cast.map((c) => [c.speakers, c.voice.model]),
        [
          [['A'], 'M000045058'],
          [['B'], 'M000000002'],
          [['A'], 'M000045058'],
          [['B'], 'M000000002'],
        ],
      );
    });

    it('reads speaker labels in plain text', () => {
      const narration = plainTextToNarration('HOST: Hello.\n\nGUEST: Hi.\n\nHOST: Bye.\n\nGUEST: Bye.');
      assert.deepStrictEqual(
        narration.blocks.map((b) => [b.speaker, b.text]),
        [
          ['HOST', 'Hello.'],
          ['GUEST', 'Hi.'],
          ['HOST', 'Bye.'],
          ['GUEST', 'Bye.'],
        ],
      );
    });
  });

  describe('only the narration is read', () => {
    it('a Time / Visual / Voiceover / SFX table: the Voiceover cells, without quotes or parenthesised directions', () => {
      const source = [
        '| Time | Visual | Voiceover | SFX |',
        '|---|---|---|---|',
        '| 0:00–0:05 | Logo on black | "Every studio starts with a single voice." (warm) | Low hum |',
        '| 0:05–0:12 | The booth | “This is where ours begins.” [beat] “Welcome.” | Door closes |',
        '| 0:12–0:20 | Close-up, mic | (No voiceover) | Room tone |',
        '| 0:20–0:30 | Logo | Subscribe for more. | Sting |',
      ].join('\n');
      const narration = markdownToNarration(source);
      assert.strictEqual(narration.reading?.mode, 'table-column');
      assert.strictEqual(narration.reading?.why, 'speaking only the “Voiceover” column of 1 table (3 rows)');
      assert.strictEqual(
        narration.text,
        'Every studio starts with a single voice.\n\nThis is where ours begins. Welcome.\n\nSubscribe for more.',
      );
      for (const word of ['0:00', 'Logo', 'booth', 'hum', 'Door', 'warm', 'No voiceover', 'Sting'])
        assert.ok(!narration.text.includes(word), word);
      assert.deepStrictEqual(
        narration.blocks.map((b) => b.pauses?.map((p) => p.ms) ?? []),
        [[], [500], []],
      );
      // Each row's narration maps to its own line of the table.
      assert.deepStrictEqual(
        narration.blocks.map((b) => source.slice(0, b.sourceStart).split('\n').length),
        [3, 4, 6],
      );
      assert.deepStrictEqual(
        (narration.silences ?? []).map((s) => [s.reason, s.detail]),
        [['outside the narration', 'table-column']],
      );
    });

    it('an e-learning lesson: what is under ### Narration, not ### Visual notes', () => {
      const source = [
        '# Module 2: Breathing',
        '## Lesson 1: The breath',
        '### Narration',
        'Before you record, take one slow breath. [pause]',
        'Let it out through your mouth.',
        '### Visual notes',
        'Show the diaphragm diagram. Highlight the lungs.',
        '## Lesson 2: Posture',
        '### Narration',
        'Sit up straight, but not stiff.',
        '#### Tip',
        'Feet flat on the floor.',
        '### Visual notes',
        'Presenter at the desk.',
      ].join('\n\n');
      const narration = markdownToNarration(source);
      assert.strictEqual(narration.reading?.mode, 'sections');
      assert.strictEqual(
        narration.reading?.why,
        'speaking only what is under 2 headings naming the narration (“Narration”)',
      );
      assert.strictEqual(
        narration.text,
        'Before you record, take one slow breath.\n\nLet it out through your mouth.\n\nSit up straight, but not stiff.\n\nFeet flat on the floor.',
      );
      assert.deepStrictEqual(
        narration.blocks.map((b) => b.sectionTitle),
        ['Lesson 1: The breath', 'Lesson 1: The breath', 'Lesson 2: Posture', 'Lesson 2: Posture'],
      );
      const chunks = chunkNarration(narration, 2000, VOICE);
      assert.deepStrictEqual(
        chunks.map((c) => [c.text, pauseMsOf(c.pausesBefore), c.startsSection]),
        [
          ['Before you record, take one slow breath.', 0, false],
          ['Let it out through your mouth.', 1000, false],
          ['Sit up straight, but not stiff.\n\nFeet flat on the floor.', 0, true],
        ],
      );
      const outside = (narration.silences ?? []).filter((s) => s.reason === 'outside the narration');
      assert.ok(
        outside.some((s) => source.slice(s.sourceStart, s.sourceEnd).includes('Show the diaphragm diagram')),
        'the visual notes are silent, with their reason',
      );
    });

    it('an A/V script with [NARRACIÓN] bracket headings', () => {
      const source =
        '[VISUAL]\nUna ciudad al amanecer.\n\n[NARRACIÓN]\nCada mañana, la ciudad despierta.\n\n[SFX]\nTráfico.';
      const narration = markdownToNarration(source);
      assert.strictEqual(narration.reading?.mode, 'sections');
      assert.strictEqual(narration.text, 'Cada mañana, la ciudad despierta.');
    });

    it('block quotes between production notes', () => {
      const source = [
        '## Slide 1',
        '**Energy: 8/10 | Pace: Dynamic**',
        '> Welcome... [0.5s] to the platform.',
        '**Key emphasis:** "platform"',
        '## Slide 2',
        '> Every program starts with a foundation.',
        '> ',
        '> Name it. [0.4s] Brand it.',
        '## Slide 3',
        '> Your move.',
        'Ready to transform your demo?',
      ].join('\n\n');
      const narration = markdownToNarration(source);
      assert.strictEqual(narration.reading?.mode, 'blockquotes');
      assert.strictEqual(narration.reading?.why, 'speaking only block quotes: 4 of 5 narrated paragraphs are quoted');
      assert.strictEqual(
        narration.text,
        'Welcome... to the platform.\n\nEvery program starts with a foundation.\n\nName it. Brand it.\n\nYour move.',
      );
    });

    it('plain prose comes out unchanged: everything is spoken, nothing is silent, no one speaks', () => {
      const source = [
        '# Writing for the ear',
        'Readers can go back; listeners cannot. Say the important thing twice: once to set it up, once to land it.',
        '## Short sentences',
        'Keep them short. A listener holds about one idea (sometimes two) at a time.',
        '- Lead with the subject.',
        '- Put numbers last: "the price rose by 12%".',
        '> "Write the way you talk." That is the whole rule.',
        'Remember this: a script is a score, not a page.',
      ].join('\n\n');
      const narration = markdownToNarration(source);
      assert.strictEqual(narration.reading?.mode, 'all');
      assert.strictEqual(
        narration.text,
        [
          'Writing for the ear.',
          'Readers can go back; listeners cannot. Say the important thing twice: once to set it up, once to land it.',
          'Short sentences.',
          'Keep them short. A listener holds about one idea (sometimes two) at a time.',
          'Lead with the subject.',
          'Put numbers last: "the price rose by 12%".',
          '"Write the way you talk." That is the whole rule.',
          'Remember this: a script is a score, not a page.',
        ].join('\n\n'),
      );
      assert.strictEqual(narration.silences, undefined);
      assert.ok(narration.blocks.every((b) => b.speaker === undefined && b.pauses === undefined));
      assert.deepStrictEqual(narration.reading?.speakers, []);
    });

    it('follows speak: from the front matter, over the setting; the command line over both', () => {
      const source = '---\nspeak: all\n---\n\nIntro.\n\n> Quoted one.\n\n> Quoted two.\n\n> Quoted three.';
      assert.strictEqual(spoken(source), 'Intro.\n\nQuoted one.\n\nQuoted two.\n\nQuoted three.');
      assert.strictEqual(markdownToNarration(source).reading?.why, 'set by the front matter’s speak:');
      assert.strictEqual(spoken(source, { speak: 'blockquotes' }), spoken(source), 'the front matter wins');
      assert.strictEqual(
        spoken(source, { overrides: { speak: 'blockquotes' } }),
        'Quoted one.\n\nQuoted two.\n\nQuoted three.',
      );
      assert.strictEqual(markdownToNarration('> a\n\nb', { speak: 'blockquotes' }).reading?.setBy, 'settings');
    });
  });

  describe('pronunciations', () => {
    it('replaces whole words only, and keeps the map back to the word', () => {
      const source = 'Use SQL, not MySQL or SQLite. A GIF, a gif.';
      const narration = markdownToNarration(source, { pronunciations: { SQL: 'sequel', GIF: 'jif' } });
      assert.strictEqual(narration.text, 'Use sequel, not MySQL or SQLite. A jif, a gif.');
      const [block] = narration.blocks;
      assert.strictEqual(block.sourceOffsets[block.text.indexOf('sequel')], source.indexOf('SQL'));
      assert.deepStrictEqual(
        narration.reading?.pronunciations.map((p) => [p.word, p.said, p.sourceStart]),
        [
          ['SQL', 'sequel', 4],
          ['GIF', 'jif', source.indexOf('GIF')],
        ],
      );
    });

    it('takes the front matter over the setting, and the command line over both', () => {
      const source = '---\npronunciations: { GIF: gif with a hard g }\n---\n\nA GIF of SQL.';
      const settings = { pronunciations: { GIF: 'jif', SQL: 'sequel' } };
      assert.strictEqual(spoken(source, settings), 'A gif with a hard g of sequel.');
      assert.strictEqual(
        spoken(source, { ...settings, overrides: { pronunciations: { SQL: 'S Q L' } } }),
        'A gif with a hard g of S Q L.',
      );
    });

    it('replaces words of Chinese wherever they occur', () => {
      assert.strictEqual(spoken('模组加载器很快。', { pronunciations: { 模组: '模块' } }), '模块加载器很快。');
    });
  });

  describe('the front matter', () => {
    it('reports what it cannot read, and reads the rest', () => {
      const narration = markdownToNarration('---\nspeak: loud\nvoices: { A: [1, 2] }\n---\n\nHello.');
      assert.deepStrictEqual(narration.reading?.problems, [
        'front matter: speak must be one of auto, all, blockquotes, sections, table-column, speakers.',
        'front matter: the voice of “A” is not a model id or { model, language }.',
      ]);
      assert.strictEqual(narration.text, 'Hello.');
      const broken = markdownToNarration('---\nvoices: [unclosed\n---\n\nHello.');
      assert.match(broken.reading?.problems[0] ?? '', /^front matter could not be read as YAML/);
    });
  });

  describe('the preview shows every decision', () => {
    it('the mode and why, the speakers and their voices, pronunciations, each pause, each silence, each part’s speaker and voice', () => {
      const source = [
        '---',
        'voices: { HOST: M000000001 }',
        'pronunciations: { SQL: sequel }',
        '---',
        '',
        '**Visual:** The studio.',
        '',
        'HOST: We talk SQL. [pause 2s] Then lunch.',
        '',
        'GUEST: [laughs] Sounds good.',
        '',
        'HOST: Bye.',
      ].join('\n');
      const narration = markdownToNarration(source);
      const chunks = chunkNarration(narration, 2000, VOICE);
      const text = formatPreview(
        'episode.md',
        previewEntries(chunks, source),
        2000,
        VOICE,
        silentEntries(narration.silences, source),
        undefined,
        { reading: previewReading(narration, source), pauses: pauseEntries(chunks, source) },
      );
      assert.strictEqual(
        text,
        [
          'Narration of episode.md: 4 requests, 42 characters (at most 2,000 per request).',
          'Voice M000045058, language en.',
          "Reading (auto): speaking only the speakers' lines: 3 of 3 paragraphs have a speaker (HOST, GUEST).",
          'Speakers: HOST: M000000001 (front matter); GUEST: uncast, the default voice M000045058.',
          'Pronunciations: SQL → sequel (line 8).',
          '1 pause of the script: 2 s of silence in all.',
          '── Silent · lines 1–4 · front matter ──',
          '── Silent · line 6 · production label “Visual” ──',
          '── Part 1 of 4 · 15 characters · line 8 · HOST · voice M000000001, en ──\nWe talk sequel.',
          '── Pause 2 s · line 8 ──',
          '── Part 2 of 4 · 11 characters · line 8 · HOST · voice M000000001, en ──\nThen lunch.',
          '── Part 3 of 4 · 12 characters · line 10 · GUEST · voice M000045058, en ──\nSounds good.',
          '── Silent · line 10 · delivery cue “[laughs]” ──',
          '── Part 4 of 4 · 4 characters · line 12 · HOST · voice M000000001, en ──\nBye.\n',
        ].join('\n\n'),
      );
    });
  });

  describe('a part of a script (a selection) is read with what the whole says', () => {
    it('takes the front matter’s voices and the speaker whose turn the part begins in', () => {
      const source = [
        '---',
        'voices: { Jerod Santo: M000000001 }',
        'pronunciations: { SQL: sequel }',
        '---',
        '',
        '**Jerod Santo:**',
        '',
        'First paragraph of his.',
        '',
        'Second paragraph, about SQL.',
      ].join('\n');
      const offset = source.indexOf('Second');
      const context = narrationContext(source, offset, true);
      assert.strictEqual(context.speaker, 'Jerod Santo');
      assert.deepStrictEqual(context.directives?.voices, { 'Jerod Santo': { model: 'M000000001' } });
      const part = markdownToNarration(source.slice(offset), { context });
      assert.deepStrictEqual(
        part.blocks.map((b) => [b.speaker, b.text]),
        [['Jerod Santo', 'Second paragraph, about sequel.']],
      );
      assert.strictEqual(chunkNarration(part, 2000, VOICE)[0].voice.model, 'M000000001');
    });
  });
});
