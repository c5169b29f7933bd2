import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // The core is shared with the command-line tool and tested in plain Node: it must never need VS Code.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core must not depend on VS Code; put this in the shell (src/ outside core).' }] }],
    },
  },
  {
    // The shell and the CLI see the core through its one entry, so the core's inner layout stays its own business.
    files: ['src/**/*.ts'],
    ignores: ['src/core/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/core/*'], message: 'Import the core through its entry: src/core/index.ts.' }] }],
    },
  },
  {
    // Code shared by the extension host and the webview: neither VS Code nor the browser may creep in.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/shared runs in the webview too: no VS Code here.' }], patterns: [{ group: ['**/core', '**/core/*', '**/player/*', '**/commands/*'], message: 'src/shared depends on nothing but itself.' }] }],
      'no-restricted-globals': ['error', ...['window', 'document', 'navigator', 'HTMLElement', 'Element', 'Event', 'acquireVsCodeApi', 'localStorage', 'location'].map((name) => ({ name, message: 'src/shared runs in the extension host too: no DOM here.' }))],
    },
  },
);
