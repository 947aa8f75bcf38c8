// Layer rules from docs/architecture.md, enforced here rather than hoped for.
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((p) => ({ group: p.group, message: p.message })) }],
});

const io = { group: ['node:*', 'fs', 'pg', '@electric-sql/*', 'hono', 'hono/*', '@hono/*', '@aws-sdk/*'], message: 'this layer does no I/O' };
const outer = (layers) => ({ group: layers.map((l) => `**/${l}/**`), message: `inner layers must not import ${layers.join(', ')}` });

export default tseslint.config(
  { ignores: ['node_modules/**', 'web/dist/**', '.hatoba/**'] },
  ...tseslint.configs.strict,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'named exports only' }],
    },
  },
  { files: ['eslint.config.js'], rules: { 'no-restricted-syntax': 'off' } },
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([io, outer(['app', 'workflows', 'cloud', 'store', 'api', 'cli', 'main', 'guardrails', 'identity', 'notify'])]),
  },
  {
    files: ['src/guardrails/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([io, outer(['app', 'workflows', 'cloud', 'store', 'api', 'cli', 'main', 'identity', 'notify'])]),
  },
  {
    files: ['src/app/**/*.ts'],
    ignores: ['src/app/**/*.test.ts'],
    rules: restrict([io, outer(['workflows', 'cloud', 'store', 'api', 'cli', 'main', 'identity', 'notify'])]),
  },
  {
    files: ['src/workflows/**/*.ts'],
    ignores: ['src/workflows/**/*.test.ts'],
    rules: restrict([io, outer(['cloud', 'store', 'api', 'cli', 'main', 'identity', 'notify'])]),
  },
  {
    files: ['src/cloud/**/*.ts', 'src/store/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([outer(['workflows', 'api', 'cli', 'main', 'identity', 'notify'])]),
  },
  {
    files: ['src/contracts/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([io, outer(['app', 'workflows', 'cloud', 'store', 'api', 'cli', 'main', 'identity', 'notify'])]),
  },
  {
    // Sign-in and sessions: a driver-like layer (openid-client, node:crypto) that reaches stores through ports.
    files: ['src/identity/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([outer(['workflows', 'cloud', 'store', 'api', 'cli', 'main', 'notify'])]),
  },
  {
    files: ['src/api/**/*.ts', 'src/cli/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([outer(['store', 'cloud', 'main', 'workflows'])]),
  },
  {
    // The portal runs in the browser and talks to the server only through the contracts; from src/ it
    // may import the zod-only contracts and the domain's label/vocabulary files, nothing else.
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    ignores: ['web/vite.config.ts', 'web/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: io.group, message: 'the portal runs in the browser and talks to the server over HTTP' },
        { regex: '(^|/)src/(?!contracts/[^/]+$|domain/(.+/)?(labels|vocabulary)\\.js$)', message: 'web/ may import only src/contracts and src/domain/**/labels or vocabulary files' },
      ] }],
      // web/tsconfig.json has Node's types for the portal's unit tests; the page itself has no Node.
      'no-restricted-globals': ['error', ...['process', 'Buffer', 'global', 'require', '__dirname', '__filename'].map((name) => ({ name, message: 'the portal runs in the browser' }))],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cloud/aws/**'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'only src/main reads the environment' }] },
  },
  {
    files: ['src/main/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts', 'scripts/**/*.ts', '**/*.test.ts', 'src/store/testing.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.test.ts', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-assertions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
