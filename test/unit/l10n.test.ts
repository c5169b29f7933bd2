// Localization is complete: every %key% of package.json is in every package.nls*.json, every string the
// code passes to vscode.l10n.t is in every l10n bundle (the English one is exactly what @vscode/l10n-dev
// exports from src/), translations keep their placeholders, command links and code, and every walkthrough
// page has a translation beside it.
import * as assert from 'assert';
import { promises as fs, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { getL10nJson, type l10nJsonFormat } from '@vscode/l10n-dev';

const REPO = path.join(__dirname, '..', '..', '..');
const L10N = path.join(REPO, 'l10n');

const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8'));
const manifest = readJson(path.join(REPO, 'package.json'));

/** package.nls.json and its translations (package.nls.<language>.json). */
const nlsFiles = readdirSync(REPO).filter((f) => /^package\.nls(\.[a-z-]+)?\.json$/i.test(f));
const translatedNlsFiles = nlsFiles.filter((f) => f !== 'package.nls.json');
/** The l10n bundles other than the English one. */
const translatedBundles = readdirSync(L10N).filter((f) => /^bundle\.l10n\.[a-z-]+\.json$/i.test(f));
const languages = translatedBundles.map((f) => f.replace(/^bundle\.l10n\.|\.json$/g, ''));

/** Every "%key%" string anywhere in the manifest. */
function manifestKeys(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const match = /^%(.+)%$/.exec(value);
    if (match) found.add(match[1]);
  } else if (Array.isArray(value)) value.forEach((v) => manifestKeys(v, found));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => manifestKeys(v, found));
  return found;
}

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { recursive: true });
  return entries
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(folder, f));
}

/** What must survive translation: {0} placeholders, command links and `code`. */
function invariants(text: string): string[] {
  return [...text.matchAll(/\{\d+\}|\(command:[^)]+\)|`[^`]+`/g)].map((m) => m[0]).sort();
}

function messageOf(value: l10nJsonFormat[string]): string {
  return typeof value === 'string' ? value : value.message;
}

describe('localization', () => {
  it('declares the l10n folder and ships a Korean translation of everything', () => {
    assert.strictEqual(manifest.l10n, './l10n');
    assert.ok(languages.includes('ko'), `l10n/ has bundle.l10n.ko.json (found ${translatedBundles.join(', ')})`);
    assert.ok(translatedNlsFiles.includes('package.nls.ko.json'), 'package.nls.ko.json exists');
  });

  it('every %key% in package.json exists in every package.nls*.json', () => {
    const keys = [...manifestKeys(manifest)];
    assert.ok(keys.length > 40, `package.json uses %keys% for its titles and descriptions (found ${keys.length})`);
    for (const file of nlsFiles) {
      const nls = readJson(path.join(REPO, file));
      const missing = keys.filter((k) => typeof nls[k] !== 'string' || (nls[k] as string).trim() === '');
      assert.deepStrictEqual(missing, [], `${file} lacks ${missing.join(', ')}`);
    }
  });

  it('package.nls.json has no key that package.json does not use', () => {
    const used = manifestKeys(manifest);
    const unused = Object.keys(readJson(path.join(REPO, 'package.nls.json'))).filter((k) => !used.has(k));
    assert.deepStrictEqual(unused, []);
  });

  for (const file of ['package.nls.ko.json']) {
    it(`${file} translates exactly the keys of package.nls.json, keeping links and code`, () => {
      const english = readJson(path.join(REPO, 'package.nls.json')) as Record<string, string>;
      const translated = readJson(path.join(REPO, file)) as Record<string, string>;
      assert.deepStrictEqual(Object.keys(translated).sort(), Object.keys(english).sort());
      for (const [key, text] of Object.entries(english))
        assert.deepStrictEqual(invariants(translated[key]), invariants(text), `${file}: ${key}`);
    });
  }

  describe('l10n bundles', () => {
    let exported: l10nJsonFormat;
    before(async function () {
      this.timeout(60_000);
      const files = await sourceFiles(path.join(REPO, 'src'));
      exported = await getL10nJson(
        await Promise.all(files.map(async (f) => ({ extension: '.ts', contents: await fs.readFile(f, 'utf8') }))),
      );
    });

    it('finds the strings the code passes to vscode.l10n.t', () => {
      assert.ok(Object.keys(exported).length > 100, `found ${Object.keys(exported).length}`);
      assert.ok('AI Studios API key saved.' in exported);
    });

    it('l10n/bundle.l10n.json is what `npx @vscode/l10n-dev export --outDir ./l10n ./src` writes', () => {
      const bundle = readJson(path.join(L10N, 'bundle.l10n.json'));
      assert.deepStrictEqual(Object.keys(bundle).sort(), Object.keys(exported).sort(), 'run: npm run l10n');
    });

    for (const file of translatedBundles) {
      it(`${file} has every string passed to l10n.t, with its placeholders, and nothing else`, () => {
        const bundle = readJson(path.join(L10N, file)) as Record<string, string>;
        const missing = Object.keys(exported).filter((k) => typeof bundle[k] !== 'string' || bundle[k].trim() === '');
        assert.deepStrictEqual(missing, [], `${file} lacks translations`);
        const stale = Object.keys(bundle).filter((k) => !(k in exported));
        assert.deepStrictEqual(stale, [], `${file} has strings the code no longer uses`);
        for (const [key, value] of Object.entries(exported))
          assert.deepStrictEqual(invariants(bundle[key]), invariants(messageOf(value)), `${file}: ${key}`);
      });
    }
  });

  it('every walkthrough page has a translation beside it (<page>.nls.<language>.md)', () => {
    const walkthroughs = (manifest.contributes as { walkthroughs: { steps: { media: { markdown?: string } }[] }[] })
      .walkthroughs;
    const pages = walkthroughs.flatMap((w) => w.steps.map((s) => s.media.markdown)).filter((p): p is string => !!p);
    assert.ok(pages.length > 0);
    for (const page of pages) {
      for (const language of languages) {
        const translated = path.join(REPO, page.replace(/\.md$/, `.nls.${language}.md`));
        assert.ok(readFileSync(translated, 'utf8').trim().length > 0, `${path.relative(REPO, translated)} exists`);
      }
    }
  });
});
