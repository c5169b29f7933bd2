// Issue 12, "Narration fidelity": where a sentence too long for one request is cut. Each kind has the issue's own
// input and at least two more, with the exact chunks expected.
import * as assert from 'assert';
import { chunkNarration } from '../../src/core/narration/chunker';
import { markdownToNarration, plainTextToNarration } from '../../src/core/narration/narration';

describe('sentence-aware splits (issue 12)', () => {
  /** The chunks of plain text, the narration and the voice in one language ('und' when it is not known). */
  function pieces(text: string, limit: number, language?: string): string[] {
    const voice = { model: 'M000045058', language: language ?? 'und' };
    return chunkNarration(plainTextToNarration(text, language), limit, voice).map((chunk) => chunk.text);
  }

  describe('never right after an abbreviation, a title, an initial or a number’s period', () => {
    const cases: [string, string, number, string | undefined, string[]][] = [
      [
        'titles (the issue’s input, at --max-chars 100)',
        'After a long week in the old building, we sat down with Dr. Alvarez and Prof. Hughes to plan the next season of the show.',
        100,
        'en',
        [
          'After a long week in the old building,',
          'we sat down with Dr. Alvarez and Prof. Hughes to plan the next season of the show.',
        ],
      ],
      [
        'titles with no clause to cut at: the word before them instead',
        'We sat down with Dr. Alvarez and Prof. Hughes to plan the season.',
        40,
        'en',
        ['We sat down with Dr. Alvarez and', 'Prof. Hughes to plan the season.'],
      ],
      [
        '"e.g.", "a.m." and "St." before capitals',
        'For the intro, e.g. The Long Road, we met at 9 a.m. Sunday at St. Mary’s church hall to record.',
        60,
        'en',
        ['For the intro, e.g. The Long Road,', 'we met at 9 a.m. Sunday at St. Mary’s church hall to record.'],
      ],
      [
        'initials and a number’s period',
        'The letter was signed by J. R. R. Tolkien. It arrived on the 3. Then nothing.',
        50,
        'en',
        ['The letter was signed by J. R. R. Tolkien.', 'It arrived on the 3. Then nothing.'],
      ],
      [
        'German abbreviations and ordinals, by the document’s language',
        'Wir treffen uns z.B. am Mo. um neun Uhr. Dann geht es am 3. Oktober weiter.',
        45,
        'de',
        ['Wir treffen uns z.B. am Mo. um neun Uhr.', 'Dann geht es am 3. Oktober weiter.'],
      ],
    ];
    for (const [what, text, limit, language, expected] of cases) {
      it(what, () => assert.deepStrictEqual(pieces(text, limit, language), expected));
    }
  });

  describe('a sentence too long for one request is cut at its last clause, then at a word', () => {
    const cases: [string, string, number, string | undefined, string[]][] = [
      [
        'the last clause boundary that fits (the issue’s input)',
        'We released version 3.5, after a long week; see the notes, e.g. the section on upgrades.',
        70,
        'en',
        ['We released version 3.5, after a long week; see the notes,', 'e.g. the section on upgrades.'],
      ],
      [
        'full-width commas, enumeration commas and semicolons need no space',
        '我们今天去北京，明天去上海、后天回家；然后休息。',
        20,
        'zh',
        ['我们今天去北京，明天去上海、后天回家；', '然后休息。'],
      ],
      [
        'an em dash is a clause; a time or a number is not cut inside',
        'The meeting starts at 9:30 sharp and costs 1,000 dollars—paid in advance by everyone.',
        40,
        'en',
        ['The meeting starts at 9:30 sharp and', 'costs 1,000 dollars—', 'paid in advance by everyone.'],
      ],
      [
        'an unknown language still gets clause and abbreviation rules',
        'After a long week in the old building, we sat down with Dr. Alvarez and Prof. Hughes to plan the next season.',
        100,
        undefined,
        [
          'After a long week in the old building,',
          'we sat down with Dr. Alvarez and Prof. Hughes to plan the next season.',
        ],
      ],
    ];
    for (const [what, text, limit, language, expected] of cases) {
      it(what, () => assert.deepStrictEqual(pieces(text, limit, language), expected));
    }
  });

  it('takes the language from the narration, else from the voice', () => {
    const text = 'Wir treffen uns z.B. am Mo. um neun Uhr. Dann geht es weiter.';
    const expected = ['Wir treffen uns z.B. am Mo. um neun Uhr.', 'Dann geht es weiter.'];
    const narration = markdownToNarration(text, { language: 'de' });
    assert.strictEqual(narration.language, 'de');
    const english = { model: 'M000045058', language: 'en' };
    assert.deepStrictEqual(
      chunkNarration(narration, 45, english).map((chunk) => chunk.text),
      expected,
    );
    const german = { model: 'M000045058', language: 'de' };
    assert.deepStrictEqual(
      chunkNarration(markdownToNarration(text), 45, german).map((chunk) => chunk.text),
      expected,
    );
    // Only the German list knows "Mo." (Montag): in English its period ends a sentence before a capital.
    const rehearsal = 'Wir proben am Mo. Abend im großen Studio und nehmen danach alles in Ruhe auf.';
    assert.deepStrictEqual(
      chunkNarration(plainTextToNarration(rehearsal), 50, german).map((chunk) => chunk.text),
      ['Wir proben am Mo. Abend im großen Studio und', 'nehmen danach alles in Ruhe auf.'],
    );
    assert.deepStrictEqual(
      chunkNarration(plainTextToNarration(rehearsal), 50, english).map((chunk) => chunk.text),
      ['Wir proben am Mo.', 'Abend im großen Studio und nehmen danach alles in', 'Ruhe auf.'],
    );
  });
});
