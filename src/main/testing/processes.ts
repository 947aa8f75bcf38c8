/**
 * Test helpers that run real `hatoba` processes: spawn one with its own environment, capture what it
 * prints, and make sure it is gone afterwards; or run a command to its end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../../../bin/hatoba.js', import.meta.url));

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type HatobaProcess = {
  pid: number;
  child: ChildProcess;
  /** Everything printed so far. */
  stdout: () => string;
  stderr: () => string;
  /** Settles when the process has exited. */
  exited: Promise<Exit>;
  hasExited: () => boolean;
};

/**
 * Starts `node bin/hatoba.js <args>` in `cwd` (by default the repository root). The environment is
 * this process's, without its HATOBA_* settings, DATABASE_URL, PORT or test-runner markers, plus `env`.
 */
export function spawnHatoba(args: string[], env: Record<string, string> = {}, options: { cwd?: string } = {}): HatobaProcess {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('HATOBA_') && !key.startsWith('NODE_TEST') && key !== 'DATABASE_URL' && key !== 'PORT'),
  );
  const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? repoRoot, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('the hatoba process did not start');
  let out = '';
  let err = '';
  let done = false;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  return { pid: child.pid, child, stdout: () => out, stderr: () => err, exited, hasExited: () => done };
}

export type Ran = { code: number | null; out: string; err: string };

/** Runs `hatoba <args>` (as `spawnHatoba` starts it) to its end: its exit code and everything it printed. */
export async function runHatoba(args: string[], env: Record<string, string> = {}, options: { cwd?: string } = {}): Promise<Ran> {
  const p = spawnHatoba(args, env, options);
  // 'close', not 'exit': the output may still be in the pipes when the process exits.
  await once(p.child, 'close');
  const { code } = await p.exited;
  return { code, out: p.stdout(), err: p.stderr() };
}

/** Sends `signal`; if the process is still there after `graceMs`, kills it. Resolves with how it exited. */
export async function stopHatoba(p: HatobaProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<Exit> {
  if (!p.hasExited()) p.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
  const first = await Promise.race([p.exited, timedOut]);
  clearTimeout(timer);
  if (first !== 'timeout') return first;
  p.child.kill('SIGKILL');
  return p.exited;
}

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
