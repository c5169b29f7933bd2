// The built command-line tool (dist/cli.js) as a child process against the fake AI Studios server.
import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import { promises as fsp, existsSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import packageJson from '../../package.json';
import { detectAudioFormat } from '../../src/core/audio/format';
import { DEMO_APP_ID, DEMO_TOKEN, DEMO_USER_KEY, startFakeServer, type FakeServer } from '../fixtures/fakeServer';

const REPO = path.join(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('aistudios-audio (command-line tool)', function () {
  this.timeout(30_000);
  let server: FakeServer;
  let dir: string;
  let cacheHome: string;

  before(async function () {
    if (!existsSync(CLI)) spawnSync(process.execPath, ['esbuild.js'], { cwd: REPO, stdio: 'inherit' });
    assert.ok(existsSync(CLI), 'dist/cli.js is built');
    server = await startFakeServer();
  });
  after(async () => server.close());
  beforeEach(async () => {
    server.reset();
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-cli-'));
    cacheHome = path.join(dir, 'cache-home');
  });
  afterEach(async () => fsp.rm(dir, { recursive: true, force: true }));

  function run(
    args: string[],
    env: Record<string, string | undefined> = { AISTUDIOS_API_KEY: DEMO_TOKEN },
    input?: string | Buffer,
    as?: { uid: number; gid: number },
  ): Promise<Result> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: dir, XDG_CACHE_HOME: cacheHome, ...env },
        ...(as ?? {}),
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input ?? '');
    });
  }

  async function script(name: string, text: string): Promise<string> {
    const file = path.join(dir, name);
    await fsp.writeFile(file, text);
    return file;
  }

  async function listing(): Promise<string[]> {
    return (await fsp.readdir(dir)).filter((n) => n !== 'cache-home').sort();
  }

  it('speaks a markdown script and saves the audio next to it', async () => {
    const input = await script('intro.md', '# Intro\n\nHello **there**, listener.\n');
    const result = await run([input, '--base-url', server.url]);
    assert.strictEqual(result.code, 0, result.stderr);
    assert.strictEqual(result.stdout.trim(), path.join(dir, 'intro.mp3'));
    assert.strictEqual(detectAudioFormat(await fsp.readFile(path.join(dir, 'intro.mp3'))), 'mp3');
    const speech = server.requests.filter((r) => r.route === 'speech');
    assert.deepStrictEqual(speech[0].body, {
      language: 'en',
      model: 'M000045058',
      text: 'Intro.\n\nHello there, listener.',
    });
    assert.strictEqual(speech[0].headers.authorization, DEMO_TOKEN);
  });

  it('never overwrites: an edited script saves intro (2).mp3 and leaves the first untouched', async () => {
    const input = await script('intro.md', 'Hello again.\n');
    assert.strictEqual((await run([input, '--base-url', server.url])).code, 0);
    const first = await fsp.readFile(path.join(dir, 'intro.mp3'));
    await fsp.writeFile(input, 'Hello again, with a new ending.\n');
    const second = await run([input, '--base-url', server.url]);
    assert.strictEqual(second.code, 0, second.stderr);
    assert.strictEqual(second.stdout.trim(), path.join(dir, 'intro (2).mp3'));
    assert.ok((await fsp.readFile(path.join(dir, 'intro.mp3'))).equals(first));
  });

  it('an unchanged script costs nothing and adds no copy: the cache answers and the same file is kept', async () => {
    const input = await script('intro.md', 'Hello again.\n');
    assert.strictEqual((await run([input, '--base-url', server.url])).code, 0);
    const before = await fsp.stat(path.join(dir, 'intro.mp3'));
    server.reset();
    const second = await run([input, '--base-url', server.url]);
    assert.strictEqual(second.code, 0, second.stderr);
    assert.strictEqual(second.stdout.trim(), path.join(dir, 'intro.mp3'));
    assert.strictEqual(server.counts.speech, 0, 'the unchanged text came from the cache');
    assert.deepStrictEqual(await listing(), ['intro.md', 'intro.mp3']);
    assert.strictEqual(
      (await fsp.stat(path.join(dir, 'intro.mp3'))).mtimeMs,
      before.mtimeMs,
      'the file was not rewritten',
    );
  });

  it('--per-section also saves one file per section, numbered like the script (00 is what comes before the first section)', async () => {
    const input = await script('course.md', '# Course\n\n## Welcome\n\nHello.\n\n## Wrap up\n\nGoodbye.\n');
    const result = await run([input, '--base-url', server.url, '--per-section']);
    assert.strictEqual(result.code, 0, result.stderr);
    assert.deepStrictEqual(
      result.stdout
        .trim()
        .split('\n')
        .map((p) => path.basename(p)),
      ['course.mp3', 'course.00-opening.mp3', 'course.01-welcome.mp3', 'course.02-wrap-up.mp3'],
    );
    assert.deepStrictEqual(await listing(), [
      'course.00-opening.mp3',
      'course.01-welcome.mp3',
      'course.02-wrap-up.mp3',
      'course.md',
      'course.mp3',
    ]);
  });

  it('--captions both saves .srt and .vtt beside each audio file, named like it, and never over a different file', async () => {
    const input = await script(
      'talk.md',
      '# Talk\n\n## One\n\nHello there. This is the first section.\n\n## Two\n\nGoodbye.\n',
    );
    const first = await run([input, '--base-url', server.url, '--captions', 'both', '--per-section']);
    assert.strictEqual(first.code, 0, first.stderr);
    const saved = first.stdout
      .trim()
      .split('\n')
      .map((p) => path.basename(p));
    assert.deepStrictEqual(saved.slice(0, 3), ['talk.mp3', 'talk.srt', 'talk.vtt']);
    assert.ok(saved.includes('talk.01-one.srt') && saved.includes('talk.02-two.vtt'), saved.join(', '));
    const srt = await fsp.readFile(path.join(dir, 'talk.srt'), 'utf8');
    assert.match(srt, /^1\n00:00:00,000 --> 00:00:0\d,\d{3}\nTalk\.\n/);
    assert.match(srt, /\nHello there\.\n/);
    assert.match(await fsp.readFile(path.join(dir, 'talk.vtt'), 'utf8'), /^WEBVTT\n\n1\n00:00:00\.000 --> /);
    // A caption file edited by hand is never replaced silently: the run says so and leaves it.
    await fsp.writeFile(path.join(dir, 'talk.srt'), 'edited');
    const again = await run([input, '--base-url', server.url, '--captions', 'srt']);
    assert.strictEqual(again.code, 0, again.stderr);
    assert.match(
      again.stderr,
      /talk\.srt already exists and differs from the captions of talk\.mp3; it was left as it is/,
    );
    assert.strictEqual(await fsp.readFile(path.join(dir, 'talk.srt'), 'utf8'), 'edited');
    const bad = await run([input, '--captions', 'ass']);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /--captions must be none, srt, vtt, both, not "ass"/);
  });

  it('reads standard input and writes --out, minting tokens from App ID + User Key', async () => {
    const out = path.join(dir, 'from-stdin.mp3');
    const result = await run(
      ['-', '--out', out, '--base-url', server.url],
      { AISTUDIOS_APP_ID: DEMO_APP_ID, AISTUDIOS_USER_KEY: DEMO_USER_KEY },
      'Spoken from a pipe.',
    );
    assert.strictEqual(result.code, 0, result.stderr);
    assert.ok(existsSync(out));
    assert.strictEqual(server.counts.token, 1);
  });

  it('--dry-run prints each request as a JSON line and sends nothing, needing no key', async () => {
    const input = await script('long.md', '# One\n\nFirst paragraph here.\n\n# Two\n\nSecond paragraph there.\n');
    const result = await run([input, '--dry-run', '--max-chars', '100'], {});
    assert.strictEqual(result.code, 0, result.stderr);
    const [first, ...lines] = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { index: number; chars: number; text: string; startLine: number });
    // Issue 13: a first line says how the script is read.
    assert.deepStrictEqual(Object.keys(first), ['mode', 'why']);
    assert.deepStrictEqual(
      lines.map((l) => l.index),
      [0, 1],
    );
    assert.deepStrictEqual(
      lines.map((l) => l.text),
      ['One.\n\nFirst paragraph here.', 'Two.\n\nSecond paragraph there.'],
    );
    assert.deepStrictEqual(
      lines.map((l) => l.chars),
      [lines[0].text.length, lines[1].text.length],
    );
    assert.deepStrictEqual(
      lines.map((l) => l.startLine),
      [1, 5],
    );
    assert.strictEqual(server.counts.total, 0);
  });

  it('--dry-run maps lines on the text as an editor shows it, without a UTF-8 byte-order mark', async () => {
    const input = await script('bom.md', '\uFEFF# Title\n\nHello there.\n');
    const result = await run([input, '--dry-run'], {});
    assert.strictEqual(result.code, 0, result.stderr);
    const request = (stdout: string) =>
      JSON.parse(stdout.trim().split('\n')[1]) as { text: string; startLine: number; endLine: number };
    const entry = request(result.stdout);
    assert.deepStrictEqual([entry.text, entry.startLine, entry.endLine], ['Title.\n\nHello there.', 1, 3]);
    const piped = await run(['-', '--dry-run', '--max-chars', '100'], {}, '\uFEFF# Title\n\nHello there.\n');
    const fromPipe = request(piped.stdout);
    assert.deepStrictEqual([fromPipe.text, fromPipe.startLine, fromPipe.endLine], ['Title.\n\nHello there.', 1, 3]);
  });

  const exitCases: {
    name: string;
    args: (input: string) => string[];
    env?: Record<string, string>;
    fault?: Parameters<FakeServer['setFault']>[0];
    code: number;
    message: RegExp;
  }[] = [
    {
      name: 'an unknown flag',
      args: (i) => [i, '--colour'],
      code: 2,
      message: /^aistudios-audio: Unknown option --colour\.\n/,
    },
    {
      name: 'a mistyped flag',
      args: (i) => [i, '--per-sectoin'],
      code: 2,
      message: /^aistudios-audio: Unknown option --per-sectoin\. Did you mean --per-section\?\n/,
    },
    {
      name: 'a flag without its value',
      args: (i) => [i, '--out'],
      code: 2,
      message: /--out needs a value, as in --out PATH\./,
    },
    {
      name: 'a value for a switch',
      args: (i) => [i, '--overwrite=yes'],
      code: 2,
      message: /--overwrite takes no value\./,
    },
    {
      name: '--max-chars 0',
      args: (i) => [i, '--max-chars', '0'],
      code: 2,
      message: /^aistudios-audio: --max-chars must be a whole number from 100 to 10000, not "0"\.\n/,
    },
    {
      name: '--max-chars 50 (the same rule, the same message)',
      args: (i) => [i, '--max-chars', '50'],
      code: 2,
      message: /^aistudios-audio: --max-chars must be a whole number from 100 to 10000, not "50"\.\n/,
    },
    {
      name: '--concurrency 9',
      args: (i) => [i, '--concurrency', '9'],
      code: 2,
      message: /--concurrency must be a whole number from 1 to 8, not "9"\./,
    },
    {
      name: 'Korean text for an English voice',
      args: () => ['ko.md'],
      code: 2,
      message:
        /^aistudios-audio: ko\.md is mostly in Korean \(Hangul\), but the voice speaks "en"\. .*nothing was sent: use --language ko .*--force-language/,
    },
    { name: 'no input', args: () => [], code: 2, message: /Name the script/ },
    {
      name: 'an unknown --speak mode',
      args: (i) => [i, '--speak', 'loud'],
      code: 2,
      message: /--speak must be one of/,
    },
    {
      name: 'a --voice without a model',
      args: (i) => [i, '--voice', 'HOST'],
      code: 2,
      message: /--voice takes NAME=MODEL/,
    },
    {
      name: 'a --lexicon that does not exist',
      args: (i) => [i, '--lexicon', 'missing.json'],
      code: 2,
      message: /Cannot read the lexicon missing\.json/,
    },
    {
      name: 'an unreadable input file',
      args: () => ['missing.md'],
      code: 2,
      message: /Cannot read missing\.md: no such file/,
    },
    {
      name: 'a target folder that does not exist',
      args: (i) => [i, '--out', path.join('nowhere', 'x.mp3')],
      code: 2,
      message: /does not exist/,
    },
    { name: 'a missing key', args: (i) => [i], env: {}, code: 3, message: /AISTUDIOS_API_KEY/ },
    { name: 'a whitespace-only key', args: (i) => [i], env: { AISTUDIOS_API_KEY: '   ' }, code: 3, message: /./ },
    {
      name: 'a rejected key',
      args: (i) => [i],
      env: { AISTUDIOS_API_KEY: 'wrong-secret-token' },
      code: 3,
      message: /rejected|key/i,
    },
    {
      name: 'a language/model mismatch',
      args: (i) => [i],
      fault: { kind: 'status', status: 422, message: 'The text language does not match the model.' },
      code: 4,
      message: /does not match the model/,
    },
    { name: 'a network failure', args: (i) => [i], fault: { kind: 'reset' }, code: 5, message: /./ },
  ];
  for (const c of exitCases) {
    it(`exits ${c.code} with one clear line for ${c.name}, leaving nothing behind`, async () => {
      const input = await script('intro.md', 'Some words to speak.\n');
      await script('ko.md', '# 환영합니다\n\n스튜디오에 오신 것을 환영합니다. 오늘은 대본을 읽습니다.\n');
      if (c.fault) server.setFault(c.fault);
      try {
        const result = await run(
          [...c.args(input), '--base-url', server.url],
          c.env ?? { AISTUDIOS_API_KEY: DEMO_TOKEN },
        );
        assert.strictEqual(result.code, c.code, result.stderr);
        assert.match(result.stderr, c.message);
        assert.strictEqual(result.stderr.trim().split('\n')[0].startsWith('aistudios-audio: '), true, result.stderr);
        assert.ok(!/\n\s+at /.test(result.stderr), 'no stack trace');
        for (const secret of ['wrong-secret-token', DEMO_TOKEN])
          assert.ok(!result.stderr.includes(secret) && !result.stdout.includes(secret));
        assert.deepStrictEqual(await listing(), ['intro.md', 'ko.md']);
        if (c.code === 2) assert.strictEqual(server.counts.total, 0, 'bad input costs nothing');
      } finally {
        server.setFault(undefined);
      }
    });
  }

  it('an unchanged script names its newest take, whatever its number, and writes no byte-identical copy', async () => {
    const input = await script('welcome.md', 'Welcome to the studio.\n');
    assert.strictEqual((await run([input, '--base-url', server.url])).code, 0);
    await fsp.writeFile(input, 'Welcome to the studio, writer.\n');
    const edited = await run([input, '--base-url', server.url]);
    assert.strictEqual(edited.stdout.trim(), path.join(dir, 'welcome (2).mp3'), edited.stderr);
    for (let i = 0; i < 2; i++) {
      const again = await run([input, '--base-url', server.url]);
      assert.strictEqual(again.code, 0, again.stderr);
      assert.strictEqual(again.stdout.trim(), path.join(dir, 'welcome (2).mp3'));
      assert.strictEqual(
        again.stderr.trim().split('\n').pop(),
        'Kept welcome (2).mp3, already up to date: nothing requested, its one part reused from earlier takes.',
      );
    }
    assert.deepStrictEqual(await listing(), ['welcome (2).mp3', 'welcome.md', 'welcome.mp3']);
  });

  it('the last line says what was requested and what was reused from earlier takes', async () => {
    const paragraphs = [
      'The first paragraph is long enough to need a request of its own here.',
      'The second paragraph is also long enough to need its own request.',
      'The third paragraph closes the script with a few more words.',
    ];
    const input = await script('parts.md', paragraphs.join('\n\n') + '\n');
    const first = await run([input, '--base-url', server.url, '--max-chars', '100']);
    assert.strictEqual(first.stderr.trim().split('\n').pop(), 'Saved parts.mp3: 3 parts requested.');
    await fsp.writeFile(
      input,
      [paragraphs[0], 'The second paragraph now says something new.', paragraphs[2]].join('\n\n'),
    );
    const edited = await run([input, '--base-url', server.url, '--max-chars', '100', '--verbose']);
    assert.strictEqual(edited.code, 0, edited.stderr);
    assert.strictEqual(
      edited.stderr.trim().split('\n').pop(),
      'Saved parts (2).mp3: 1 of 3 parts requested, 2 reused from earlier takes.',
    );
    assert.match(edited.stderr, /parts\.md: 3 of 3 parts done \(2 reused\)/, 'progress names the script');
  });

  it('--out: a matching extension is written as asked; another is said; a folder is written inside', async () => {
    const input = await script('intro.md', 'Where the audio goes.\n');
    const asked = await run([input, '--base-url', server.url, '--out', path.join(dir, 'take.mp3')]);
    assert.strictEqual(asked.stdout.trim(), path.join(dir, 'take.mp3'), asked.stderr);
    assert.ok(!/not converted/.test(asked.stderr));

    for (const name of ['other.ogg', 'other.wav']) {
      const result = await run([input, '--base-url', server.url, '--out', path.join(dir, name)]);
      assert.strictEqual(result.code, 0, result.stderr);
      const saved = path.basename(result.stdout.trim());
      assert.strictEqual(saved, 'other.mp3', 'the same audio the second time: the first file is kept');
      assert.match(
        result.stderr,
        new RegExp(
          `other\\.mp3 is MP3, as AI Studios sent it; it was not converted to ${name.split('.')[1]!.toUpperCase()}\\.`,
        ),
      );
    }

    await fsp.mkdir(path.join(dir, 'takes'));
    const folder = await run([input, '--base-url', server.url, '--out', path.join(dir, 'takes')]);
    assert.strictEqual(folder.stdout.trim(), path.join(dir, 'takes', 'intro.mp3'), folder.stderr);
    const missing = await run([input, '--base-url', server.url, '--out', path.join(dir, 'nowhere') + path.sep]);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.stderr, /does not exist/);
    assert.deepStrictEqual(await listing(), ['intro.md', 'other.mp3', 'take.mp3', 'takes']);
  });

  it('standard input is saved as narration.mp3 in the current folder', async () => {
    const result = await run(['-', '--base-url', server.url], undefined, 'Spoken from a pipe.');
    assert.strictEqual(result.code, 0, result.stderr);
    assert.strictEqual(result.stdout.trim(), path.join(dir, 'narration.mp3'));
  });

  it('--force-language sends text the language check would stop; --language that matches needs none', async () => {
    const input = await script('ko.md', '스튜디오에 오신 것을 환영합니다.\n');
    const forced = await run([input, '--base-url', server.url, '--force-language']);
    assert.strictEqual(forced.code, 0, forced.stderr);
    const korean = await run([input, '--base-url', server.url, '--language', 'ko', '--model', 'M000004017']);
    assert.strictEqual(korean.code, 0, korean.stderr);
    assert.deepStrictEqual(
      server.requests.filter((r) => r.route === 'speech').map((r) => (r.body as { language: string }).language),
      ['en', 'ko'],
    );
  });

  it('--version prints the version of package.json', async () => {
    const result = await run(['--version'], {});
    assert.strictEqual(result.code, 0);
    assert.strictEqual(result.stdout, `aistudios-audio ${packageJson.version}\n`);
  });

  it('--help names every option the tool accepts', async () => {
    const help = (await run(['--help'], {})).stdout;
    for (const option of [
      '--out',
      '--model',
      '--language',
      '--force-language',
      '--region',
      '--base-url',
      '--max-chars',
      '--concurrency',
      '--overwrite',
      '--per-section',
      '--section-pause',
      '--no-cache',
      '--dry-run',
      '--verbose',
      '--help',
      '--version',
    ])
      assert.ok(help.includes(option), option);
    assert.match(help, /narration\.mp3/);
  });

  it('exits 2 for an empty script', async () => {
    const input = await script('empty.md', '<!-- only a note -->\n\n   \n');
    const result = await run([input, '--base-url', server.url]);
    assert.strictEqual(result.code, 2);
    assert.match(result.stderr, /nothing to speak/);
  });

  it('--verbose prints the log with the key redacted', async () => {
    const input = await script('intro.md', 'Verbose words.\n');
    const result = await run([input, '--base-url', server.url, '--verbose'], {
      AISTUDIOS_APP_ID: DEMO_APP_ID,
      AISTUDIOS_USER_KEY: DEMO_USER_KEY,
    });
    assert.strictEqual(result.code, 0, result.stderr);
    assert.match(result.stderr, /simple\/audio/);
    for (const secret of [DEMO_USER_KEY, ...server.mintedTokens])
      assert.ok(!result.stderr.includes(secret), `${secret} leaked`);
  });

  it('Ctrl-C cancels the request, exits 130 and leaves no partial file', async () => {
    const input = await script('intro.md', 'Interrupted words.\n');
    server.latencyMs = 10_000;
    try {
      const child = spawn(process.execPath, [CLI, input, '--base-url', server.url], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: dir, XDG_CACHE_HOME: cacheHome, AISTUDIOS_API_KEY: DEMO_TOKEN },
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      while (server.counts.speech === 0) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.strictEqual(code, 130, stderr);
      assert.match(stderr, /Interrupted/);
      assert.deepStrictEqual(await listing(), ['intro.md']);
    } finally {
      server.latencyMs = 0;
    }
  });

  describe('scripts as writers write them (issue 13)', () => {
    const dialogue = [
      '# Episode 3',
      '',
      '**Producer note:** keep it short.',
      '',
      'HOST: Welcome back. [pause 2s] Today: sleep.',
      '',
      'GUEST: [laughs] Finally.',
      '',
      'HOST: Good night.',
      '',
    ].join('\n');

    it('--dry-run says how the script is read, then each request with its speaker and voice, each pause and each silence, in order', async () => {
      const input = await script('dialogue.md', dialogue);
      const result = await run([input, '--dry-run', '--voice', 'GUEST=M000000002:ko'], {});
      assert.strictEqual(result.code, 0, result.stderr);
      const lines = result.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.deepStrictEqual(lines[0], {
        mode: 'speakers',
        why: "speaking only the speakers' lines: 3 of 3 paragraphs have a speaker (HOST, GUEST)",
      });
      const episode = { section: 'Episode 3' };
      assert.deepStrictEqual(
        lines.slice(1).map(({ text: _text, chars: _chars, cached: _cached, ...rest }) => rest),
        [
          { silent: 'outside the narration', startLine: 1, endLine: 1 },
          { silent: 'production label', startLine: 3, endLine: 3 },
          { index: 0, startLine: 5, endLine: 5, ...episode, speaker: 'HOST', model: 'M000045058', language: 'en' },
          { pauseMs: 2000, line: 5 },
          { index: 1, startLine: 5, endLine: 5, ...episode, speaker: 'HOST', model: 'M000045058', language: 'en' },
          { index: 2, startLine: 7, endLine: 7, ...episode, speaker: 'GUEST', model: 'M000000002', language: 'ko' },
          // A silent region is listed before the first request that starts on a later line.
          { silent: 'delivery cue', startLine: 7, endLine: 7 },
          { index: 3, startLine: 9, endLine: 9, ...episode, speaker: 'HOST', model: 'M000045058', language: 'en' },
        ],
      );
      assert.deepStrictEqual(
        lines.filter((l) => 'text' in l).map((l) => l.text),
        ['Welcome back.', 'Today: sleep.', 'Finally.', 'Good night.'],
      );
      assert.strictEqual(server.counts.total, 0);
    });

    it('says which part of the script it looked for when that part is empty', async () => {
      const input = await script('plain.md', 'No quotes here.\n');
      const result = await run([input, '--speak', 'blockquotes', '--base-url', server.url]);
      assert.strictEqual(result.code, 2, result.stderr);
      assert.match(
        result.stderr,
        /There is nothing to speak in .*plain\.md \(speaking blockquotes, set by --speak\)\./,
      );
      assert.strictEqual(server.counts.total, 0);
    });

    it('--speak, --voice and --lexicon decide over the front matter; the server hears each line in its cast voice, in order', async () => {
      const lexicon = path.join(dir, 'words.json');
      await fsp.writeFile(lexicon, JSON.stringify({ sleep: 'slumber' }));
      const input = await script(
        'dialogue.md',
        `---\nvoices: { HOST: M000000001, GUEST: M000000003 }\n---\n\n${dialogue}`,
      );
      const result = await run([
        input,
        '--base-url',
        server.url,
        '--concurrency',
        '1',
        '--voice',
        'GUEST=M000000002',
        '--lexicon',
        lexicon,
      ]);
      assert.strictEqual(result.code, 0, result.stderr);
      assert.strictEqual(result.stdout.trim(), path.join(dir, 'dialogue.mp3'));
      const speech = server.requests.filter((r) => r.route === 'speech').map((r) => r.body as Record<string, string>);
      assert.deepStrictEqual(
        speech.map((b) => [b.model, b.text]),
        [
          ['M000000001', 'Welcome back.'],
          ['M000000001', 'Today: slumber.'],
          ['M000000002', 'Finally.'],
          ['M000000001', 'Good night.'],
        ],
      );
      const all = await run([input, '--dry-run', '--speak', 'all'], {});
      assert.deepStrictEqual(JSON.parse(all.stdout.split('\n')[0]), { mode: 'all', why: 'set by --speak' });
      assert.ok(all.stdout.includes('"text":"Episode 3."'), 'with --speak all the heading is read');
    });
  });

  describe('hardening (issue 11)', () => {
    async function binaryScript(name: string, bytes: Uint8Array): Promise<string> {
      const file = path.join(dir, name);
      await fsp.writeFile(file, bytes);
      return file;
    }

    function assertOneSentence(result: Result): void {
      const first = result.stderr.trim().split('\n')[0];
      assert.ok(first.startsWith('aistudios-audio: '), result.stderr);
      assert.ok(!/\bE[A-Z]{3,}\b|HPE_|ERR_|\n\s+at /.test(result.stderr), `no raw system message: ${result.stderr}`);
    }

    it('a Latin-1 script exits 2 before any request, saying how to convert it', async () => {
      const input = await binaryScript('notes.txt', Buffer.from('Café crème brûlée, déjà vu.\n'.repeat(10), 'latin1'));
      const result = await run([input, '--base-url', server.url]);
      assert.strictEqual(result.code, 2, result.stderr);
      assert.match(result.stderr, /notes\.txt is not UTF-8 text: byte 0xE9 on line 1/);
      assert.match(result.stderr, /iconv -f \S+ -t UTF-8/);
      assert.strictEqual(server.counts.total, 0, 'nothing sent, nothing billed');
      assert.deepStrictEqual(await listing(), ['notes.txt']);
    });

    it('an MP3 given as the script exits 2 before any request, saying what it seems to be', async () => {
      const mp3 = await fsp.readFile(path.join(REPO, 'test', 'fixtures', 'audio', 'hello.mp3'));
      const input = await binaryScript('take.md', mp3);
      const result = await run([input, '--base-url', server.url]);
      assert.strictEqual(result.code, 2, result.stderr);
      assert.match(result.stderr, /take\.md seems to be an MP3 audio file, not a text script/);
      assert.strictEqual(server.counts.total, 0);
      assertOneSentence(result);
    });

    it('binary data on standard input is refused the same way', async () => {
      const result = await run(
        ['-', '--base-url', server.url],
        undefined,
        Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
      );
      assert.strictEqual(result.code, 2, result.stderr);
      assert.match(result.stderr, /The standard input seems to be a PNG image/);
      assert.strictEqual(server.counts.total, 0);
    });

    it('a script with a UTF-8 byte order mark is spoken without it', async () => {
      const input = await binaryScript('bom.md', Buffer.from('\uFEFFHello from a BOM.\n', 'utf8'));
      const result = await run([input, '--base-url', server.url]);
      assert.strictEqual(result.code, 0, result.stderr);
      const speech = server.requests.find((r) => r.route === 'speech');
      assert.strictEqual((speech?.body as { text: string }).text, 'Hello from a BOM.');
    });

    it('a folder as input exits 2 with a sentence, not EISDIR', async () => {
      await fsp.mkdir(path.join(dir, 'notes'));
      const result = await run(['notes', '--base-url', server.url]);
      assert.strictEqual(result.code, 2, result.stderr);
      assert.match(result.stderr, /^aistudios-audio: Cannot read notes: it is a folder, not a file; name the markdown/);
      assertOneSentence(result);
    });

    it('a stalled download is tried once more with a word on stderr, then exits 5 with the real total', async () => {
      const input = await script('intro.md', 'Words that stall.\n');
      server.setFault({ kind: 'stallDownload', bytes: 5000 });
      try {
        const result = await run([input, '--base-url', server.url, '--timeout', '1']);
        assert.strictEqual(result.code, 5, result.stderr);
        const lines = result.stderr.trim().split('\n');
        assert.strictEqual(lines.length, 2, result.stderr);
        assert.match(
          lines[0],
          /^aistudios-audio: The audio download stalled for more than 1 s\. Trying again in \d+ (ms|s) \(attempt 2 of 2\)\.$/,
        );
        assert.match(
          lines[1],
          /^aistudios-audio: The audio download stalled for more than 1 s\. Gave up after 2 tries in \d+ s\./,
        );
        assert.deepStrictEqual([server.counts.speech, server.counts.file], [1, 2], 'paid once, fetched twice');
        assert.deepStrictEqual(await listing(), ['intro.md']);
      } finally {
        server.setFault(undefined);
      }
    });

    it('--timeout must be a number of seconds', async () => {
      const input = await script('intro.md', 'Words.\n');
      const result = await run([input, '--timeout', 'soon']);
      assert.strictEqual(result.code, 2);
      assert.match(result.stderr, /--timeout must be a number of seconds/);
    });

    it('a body longer than its Content-Length: a sentence on stderr, the parser code only with --verbose', async () => {
      const input = await script('intro.md', 'Too many bytes.\n');
      server.setFault({ kind: 'overlongDownload' });
      try {
        const quiet = await run([input, '--base-url', server.url]);
        assert.strictEqual(quiet.code, 4, quiet.stderr);
        assert.match(quiet.stderr, /more data than it announced/);
        assert.ok(!quiet.stderr.includes('HPE_'), quiet.stderr);
        const verbose = await run([input, '--base-url', server.url, '--verbose']);
        assert.match(verbose.stderr, /\[HPE_CLOSED_CONNECTION\]/);
        assert.deepStrictEqual(await listing(), ['intro.md']);
      } finally {
        server.setFault(undefined);
      }
    });

    it('XDG_CACHE_HOME pointing at a file: one warning naming it and the fix, and the audio is made anyway', async () => {
      const input = await script('two.md', '# One\n\nFirst part here.\n\n# Two\n\nSecond part there.\n');
      await fsp.writeFile(cacheHome, 'not a folder');
      const result = await run([input, '--base-url', server.url, '--max-chars', '100']);
      assert.strictEqual(result.code, 0, result.stderr);
      const warnings = result.stderr.trim().split('\n');
      assert.strictEqual(warnings.pop(), 'Saved two.mp3: 2 parts requested.', 'the last line says what it cost');
      assert.strictEqual(warnings.length, 1, result.stderr);
      assert.ok(warnings[0].includes(`${cacheHome} is a file, where a folder is needed`), warnings[0]);
      assert.match(warnings[0], /Remove or rename that file\. Running without the cache this time/);
      assert.ok(existsSync(path.join(dir, 'two.mp3')));
      assert.strictEqual(server.counts.speech, 2);
    });

    it('a cache folder that belongs to another user: one warning, and the audio is made anyway', async () => {
      const cacheRoot = path.join(cacheHome, 'aistudios-audio', 'audio-cache');
      await fsp.mkdir(cacheRoot, { recursive: true });
      const input = await script('intro.md', 'Words for a locked cache.\n');
      let as: { uid: number; gid: number } | undefined;
      if (process.getuid?.() === 0) {
        // Root may write anywhere: run the CLI as nobody, with the cache left to root as after a sudo run.
        as = { uid: 65534, gid: 65534 };
        await fsp.chmod(dir, 0o777);
        await fsp.chmod(input, 0o644);
      } else {
        await fsp.chmod(cacheRoot, 0o555);
      }
      try {
        const result = await run([input, '--base-url', server.url], undefined, undefined, as);
        assert.strictEqual(result.code, 0, result.stderr);
        assert.match(
          result.stderr,
          /^aistudios-audio: warning: The audio cache in .*audio-cache cannot be used: you may not write/,
        );
        assert.match(result.stderr, /chown -R|write access/);
        assert.ok(existsSync(path.join(dir, 'intro.mp3')));
      } finally {
        await fsp.chmod(cacheRoot, 0o755).catch(() => undefined);
      }
    });
  });
});
