// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const botFramework = {
  group: ['botbuilder', 'botbuilder-*', 'botframework-*', '**/bot/**', '../bot', '../../bot'],
  message: 'knowledge/ and handoff/ must not know about the Bot Framework or bot/',
};

/** bot/ and scripts/ reach the modules only through their front doors (index.ts). */
const frontDoorsOnly = {
  group: ['**/knowledge/**', '!**/knowledge/index', '**/handoff/**', '!**/handoff/index'],
  message:
    'import knowledge/ and handoff/ through their index (add an export there when you need one)',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'data/**',
      'coverage/**',
      'artifacts/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['knowledge/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            botFramework,
            {
              group: ['**/handoff/**', '../handoff', '../../handoff'],
              message: 'knowledge/ must not import handoff/',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['handoff/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            botFramework,
            {
              group: ['**/knowledge/**', '../knowledge', '../../knowledge'],
              message: 'handoff/ must not import knowledge/',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bot/**', 'scripts/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [frontDoorsOnly] }],
    },
  },
  {
    // Tests read untyped JSON from HTTP responses; asserting on it is their job.
    files: ['tests/**'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
