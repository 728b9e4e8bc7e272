import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'bench/results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/embed/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // The engine is deterministic: all randomness from the seeded PRNG, all time from the virtual clock.
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded Rng (src/engine/rng.ts).' },
        { object: 'Date', property: 'now', message: 'Use the virtual Clock (src/engine/clock.ts).' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Schedule on the virtual Clock.' },
        { name: 'setInterval', message: 'Schedule on the virtual Clock.' },
        { name: 'performance', message: 'The engine has no wall clock.' },
        { name: 'document', message: 'The engine is DOM-free.' },
        { name: 'window', message: 'The engine is DOM-free.' },
      ],
    },
  },
);
