// A stand-in Korean language pack for the offline host. VS Code shows an extension's Korean strings
// (package.nls.ko.json, l10n/bundle.l10n.ko.json) only when the display language is Korean, and it
// accepts Korean as the display language only when a language pack for it is installed. The real pack
// comes from the Marketplace, which this machine cannot reach; this one declares Korean with no
// translations of its own, so the workbench's own words stay English and only ours turn Korean.
'use strict';

const fs = require('fs');
const path = require('path');

/** Writes the pack's folder under `parent` and packages it with vsce; resolves with the .vsix path. */
async function buildTestLanguagePack(parent) {
  const folder = path.join(parent, 'test-language-pack-ko');
  fs.mkdirSync(path.join(folder, 'translations'), { recursive: true });
  const manifest = {
    name: 'test-language-pack-ko',
    displayName: 'Korean (test stand-in, no translations)',
    description: 'Declares Korean as a display language for tests; translates nothing.',
    publisher: 'aistudios-audio-tests',
    version: '0.0.1',
    license: 'MIT',
    engines: { vscode: '^1.100.0' },
    categories: ['Language Packs'],
    contributes: {
      localizations: [
        {
          languageId: 'ko',
          languageName: 'Korean',
          localizedLanguageName: '한국어',
          translations: [{ id: 'vscode', path: './translations/main.i18n.json' }],
        },
      ],
    },
  };
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(
    path.join(folder, 'translations', 'main.i18n.json'),
    JSON.stringify({ version: '1.0.0', contents: {} }),
  );
  fs.writeFileSync(
    path.join(folder, 'README.md'),
    '# Korean (test stand-in)\n\nDeclares Korean; translates nothing.\n',
  );
  fs.writeFileSync(path.join(folder, 'LICENSE'), 'MIT\n');
  const packagePath = path.join(parent, 'test-language-pack-ko.vsix');
  const { createVSIX } = require('@vscode/vsce');
  // vsce lists the files it packs and warns about what a published extension would need: not news here.
  const quiet = { log: console.log, info: console.info, warn: console.warn };
  console.log = console.info = console.warn = () => {};
  try {
    await createVSIX({ cwd: folder, packagePath, dependencies: false, allowMissingRepository: true });
  } finally {
    Object.assign(console, quiet);
  }
  return packagePath;
}

module.exports = { buildTestLanguagePack };
