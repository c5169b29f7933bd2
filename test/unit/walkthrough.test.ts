// The walkthrough as package.json contributes it: every step completes on an event, has its page in English and in
// Korean, and its buttons run commands the extension contributes, with arguments they understand.
import * as assert from 'assert';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import packageJson from '../../package.json';

const REPO = path.join(__dirname, '..', '..', '..');

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string };
  completionEvents?: string[];
}

const walkthroughs = packageJson.contributes.walkthroughs as { id: string; steps: Step[] }[];
const contributed = new Set(packageJson.contributes.commands.map((c) => c.command));
const nlsFiles = ['package.nls.json', 'package.nls.ko.json'];
const nls = (file: string): Record<string, string> => JSON.parse(readFileSync(path.join(REPO, file), 'utf8'));

/** The text of a `%key%` in one package.nls file. */
function localized(file: string, value: string): string {
  const key = /^%(.+)%$/.exec(value)?.[1];
  assert.ok(key, `${value} is localized`);
  const text = nls(file)[key];
  assert.ok(text, `${file} has ${key}`);
  return text;
}

/** The command links of a description: the command (without `toSide:`) and its arguments. */
function commandLinks(text: string): { command: string; args: unknown[] }[] {
  return [...text.matchAll(/\]\(command:(?:toSide:)?([^)?\s]+)(?:\?([^)\s]+))?\)/g)].map((m) => {
    const args: unknown = m[2] === undefined ? [] : JSON.parse(decodeURIComponent(m[2]));
    return { command: m[1], args: Array.isArray(args) ? args : [args] };
  });
}

describe('the walkthrough', () => {
  const [walkthrough] = walkthroughs;
  const steps = walkthrough.steps;

  it('takes the writer through key, voice, the sample and playing it', () => {
    assert.strictEqual(walkthrough.id, 'aistudios.gettingStarted');
    assert.deepStrictEqual(
      steps.map((s) => s.id),
      ['setKey', 'selectVoice', 'generate', 'play'],
    );
  });

  for (const step of steps) {
    it(`step "${step.id}" completes on an event and has its page in English and Korean`, () => {
      assert.ok(step.completionEvents?.length, 'a completion event');
      for (const event of step.completionEvents) assert.match(event, /^onContext:aistudios\.[A-Za-z]+$/);
      const page = step.media.markdown;
      assert.ok(page, 'a markdown page');
      for (const file of [page, page.replace(/\.md$/, '.nls.ko.md')]) {
        assert.ok(existsSync(path.join(REPO, file)), `${file} exists`);
        assert.match(readFileSync(path.join(REPO, file), 'utf8'), /^## \S/, `${file} opens with its heading`);
      }
    });

    it(`step "${step.id}" has a button that runs a contributed command, in every language`, () => {
      for (const file of nlsFiles) {
        localized(file, step.title);
        const links = commandLinks(localized(file, step.description));
        assert.ok(links.length > 0, `${file}: a command link`);
        for (const { command } of links) assert.ok(contributed.has(command), `${file}: ${command} is contributed`);
      }
    });
  }

  it('no two steps complete on the same key', () => {
    const events = steps.flatMap((s) => s.completionEvents ?? []);
    assert.strictEqual(new Set(events).size, events.length);
  });

  it('"Generate the sample" opens the sample and generates it; "Play it" plays the latest take', () => {
    const button = (id: string) =>
      commandLinks(localized('package.nls.json', steps.find((s) => s.id === id)!.description));
    assert.deepStrictEqual(button('generate'), [{ command: 'aistudios.openSample', args: [{ generate: true }] }]);
    assert.deepStrictEqual(button('play'), [{ command: 'aistudios.openPlayer', args: [{ latest: true }] }]);
    // The sample opens beside the walkthrough, so the steps stay in sight while it is read.
    assert.match(localized('package.nls.json', steps[2].description), /\(command:toSide:aistudios\.openSample\?/);
    assert.deepStrictEqual(
      steps.slice(2).map((s) => s.completionEvents),
      [['onContext:aistudios.hasTake'], ['onContext:aistudios.hasPlayed']],
    );
  });
});
