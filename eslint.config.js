// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Node built-ins, as bare names; `node:*` is caught by a pattern.
const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs',
  'fs/promises', 'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process',
  'readline', 'stream', 'timers', 'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

/** Layer rules: each folder may depend only on what its name allows (architecture.md §2). */
const layer = (message, paths, regexes = [], { node = false } = {}) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: [...paths, ...(node ? nodeBuiltins : [])].map((name) => ({ name, message })),
      patterns: [
        ...(node ? [{ group: ['node:*'], message }] : []),
        ...regexes.map((regex) => ({ regex, message })),
      ],
    },
  ],
});

const sharedMsg =
  'src/shared is the pure core: no electron, react, antd, dexie, DOM or node:* APIs (architecture.md §2).';
const sharedForbidden = [
  'electron', 'react', 'react-dom', 'antd', '@ant-design/icons', 'dexie', 'fastify',
  '@electric-sql/pglite',
];

/**
 * Date arithmetic: China-time "today", day and month arithmetic and date formatting live in
 * src/shared/time over dayjs; everywhere else a Date is an instant and nothing more. Reading a
 * Date's calendar fields, slicing an ISO string into a date, or counting days in milliseconds is
 * how a module came to count days from a UTC date (or the machine's zone) and fail every
 * afternoon or every December.
 */
const dateMsg = 'Dates go through src/shared/time (chinaDateOf, addDays, formatChina …): no Date field reads, ISO slicing or day milliseconds here.';
const dateArithmetic = {
  'no-restricted-syntax': [
    'error',
    ...[
      "CallExpression[callee.property.name=/^(get|set)(UTC)?(FullYear|Month|Date|Day|Hours|Minutes)$/]",
      "CallExpression[callee.property.name='slice'][callee.object.type='CallExpression'][callee.object.callee.property.name='toISOString']",
      "CallExpression[callee.property.name=/^toLocale(Date|Time)?String$/][callee.object.type='NewExpression'][callee.object.callee.name='Date']",
      "CallExpression[callee.property.name=/^toLocale(Date|Time)String$/]",
      'Literal[value=86400000]',
      'Literal[value=28800000]',
    ].map((selector) => ({ selector, message: dateMsg })),
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'dist-web/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    ignores: ['src/shared/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      ...layer(sharedMsg, sharedForbidden, ['(^|/)(main|renderer|preload|sandbox)(/|$)'], { node: true }),
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'indexedDB', 'fetch',
          'process', 'Buffer', 'require', '__dirname', '__filename', 'XMLHttpRequest', 'location']
          .map((name) => ({ name, message: sharedMsg })),
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...layer('The renderer talks to main only through window.api (src/shared/ipc/contract.ts).',
        ['electron', 'fastify', '@electric-sql/pglite'],
        ['(^|/)(main|sandbox|preload)(/|$)'], { node: true }),
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/electron/**', 'src/main/**/*.test.ts'],
    rules: layer('Only src/main/index.ts and src/main/electron/ import electron; main never imports the renderer.',
      ['electron'], ['(^|/)renderer(/|$)']),
  },
  {
    files: ['src/main/index.ts', 'src/main/electron/**/*.ts'],
    rules: layer('main never imports the renderer.', [], ['(^|/)renderer(/|$)']),
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '^(?!electron$)(?!(\\.\\./)+shared/ipc(/|$)).*',
          message: 'The preload imports only electron and the IPC contract (src/shared/ipc).',
        }],
      }],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: layer('The hospital server is a standalone server: no electron, no app code outside src/shared.',
      ['electron', 'react', 'antd', 'dexie'], ['(^|/)(main|renderer|preload|sandbox)(/|$)']),
  },
  {
    files: ['src/sandbox/**/*.ts'],
    rules: layer('The sandbox is a standalone server: no electron, no app code outside src/shared.',
      ['electron', 'react', 'antd', 'dexie'], ['(^|/)(main|renderer|preload)(/|$)']),
  },
  {
    files: ['src/**/*.{ts,tsx}', 'test/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['src/shared/time/**'],
    rules: dateArithmetic,
  },
);
