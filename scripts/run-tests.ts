/**
 * Finds every test file and hands them to node's own test runner, whose closing summary CI reads.
 * Usage: tsx scripts/run-tests.ts [unit|int|e2e|all]   (default all)
 */
import { readdir } from 'node:fs/promises';
import { spawn } from 'node:child_process';

const kind = process.argv[2] ?? 'all';
const roots = kind === 'e2e' ? ['e2e'] : kind === 'all' ? ['src', 'web', 'e2e', 'bench', 'scripts'] : ['src', 'web', 'bench', 'scripts'];

const files: string[] = [];
for (const root of roots) {
  const entries = await readdir(root, { recursive: true }).catch(() => []);
  for (const entry of entries) {
    const path = `${root}/${entry}`;
    if (!path.endsWith('.test.ts') || path.includes('node_modules') || path.startsWith('web/dist/')) continue;
    const isInt = path.endsWith('.int.test.ts');
    const isE2e = path.startsWith('e2e/');
    if (kind === 'unit' && (isInt || isE2e)) continue;
    if (kind === 'int' && !isInt) continue;
    files.push(path);
  }
}
files.sort();
if (files.length === 0) {
  console.error(`no ${kind} test files found`);
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, ...files],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
