import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CdkManifest, cdkEntries } from '../guardrails/scan/inputs.js';
import type { ScanProblem } from '../guardrails/scan/report.js';
import type { ScanDocument } from '../guardrails/scan/run.js';

/**
 * What `hatoba scan PATH…` reads: files as named; folders walked for *.json, *.yaml, *.yml and
 * *.template (not node_modules or .git); a CDK cloud assembly (a folder with a CDK manifest.json,
 * or named cdk.out) through its manifest: its stacks' templates, nested stacks' templates beside
 * them, and nested assemblies (Stages). Paths are shown relative to `cwd`, with forward slashes.
 * A manifest is the repository's, not CDK's word: what it names outside its assembly folder is not read.
 */

export type Gathered = { documents: ScanDocument[]; problems: ScanProblem[]; skipped: { file: string; reason: string }[]; notes: ScanProblem[] };

const EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.template']);
const SKIP_DIRS = new Set(['node_modules', '.git']);

const FAILURES: Record<string, string> = { ENOENT: 'no such file or folder', EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'it is a folder' };

const reasonOf = (error: unknown): string => {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return (code === undefined ? undefined : FAILURES[code]) ?? (error instanceof Error ? error.message : String(error));
};

const contains = (root: string, target: string): boolean => {
  const rel = relative(root, target);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
};

/** Whether `target` is inside `root`, by its path and after following symbolic links (a file that does not exist is judged by its path). */
async function inside(root: string, target: string): Promise<boolean> {
  if (!contains(root, target)) return false;
  const [realRoot, realTarget] = await Promise.all([realpath(root).catch(() => root), realpath(target).catch(() => target)]);
  return contains(realRoot, realTarget);
}

export async function gatherInputs(paths: readonly string[], cwd: string): Promise<Gathered> {
  const out: Gathered = { documents: [], problems: [], skipped: [], notes: [] };
  const shown = (abs: string): string => relative(cwd, abs).split(sep).join('/') || '.';
  const seen = new Set<string>();

  const addFile = async (abs: string, explicit: boolean, fromCdk = false): Promise<void> => {
    if (seen.has(abs)) return;
    seen.add(abs);
    try {
      out.documents.push({ file: shown(abs), text: await readFile(abs, 'utf8'), explicit, ...(fromCdk ? { fromCdk } : {}) });
    } catch (error) {
      (explicit ? out.problems : out.notes).push({ file: shown(abs), message: `cannot read: ${reasonOf(error)}` });
    }
  };

  const manifestOf = async (dir: string): Promise<CdkManifest | undefined> => {
    const text = await readFile(join(dir, 'manifest.json'), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      const parsed = CdkManifest.safeParse(JSON.parse(text));
      return parsed.success && parsed.data.artifacts !== undefined ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };

  /** `root`: the assembly folder named (or found) on the command line; nested assemblies stay inside it. */
  const assembly = async (dir: string, manifest: CdkManifest | undefined, root = dir): Promise<void> => {
    const names = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    if (manifest !== undefined) {
      const entries = cdkEntries(manifest);
      const escapes = async (what: string, path: string): Promise<boolean> => {
        if (await inside(root, resolve(dir, path))) return false;
        out.problems.push({ file: shown(join(dir, 'manifest.json')), message: `${what} ${path} is outside the cloud assembly ${shown(root)}; not read` });
        return true;
      };
      for (const t of entries.templates) if (!(await escapes(`stack ${t.stack}: templateFile`, t.file))) await addFile(resolve(dir, t.file), true, true);
      // Nested stacks are assets of their parent, not artifacts: their templates sit beside it.
      for (const n of names) if (n.isFile() && n.name.endsWith('.template.json')) await addFile(join(dir, n.name), false, true);
      for (const d of entries.nested) {
        if (await escapes('nested assembly: directoryName', d)) continue;
        const nestedDir = resolve(dir, d);
        await assembly(nestedDir, await manifestOf(nestedDir), root).catch((error: unknown) => out.problems.push({ file: shown(nestedDir), message: `cannot read the nested assembly: ${reasonOf(error)}` }));
      }
      return;
    }
    for (const n of names) {
      if (n.isFile() && n.name.endsWith('.template.json')) await addFile(join(dir, n.name), false, true);
      if (n.isDirectory() && n.name.startsWith('assembly-')) await assembly(join(dir, n.name), await manifestOf(join(dir, n.name)), root);
    }
  };

  const walk = async (dir: string): Promise<void> => {
    const manifest = await manifestOf(dir);
    if (manifest !== undefined || basename(dir) === 'cdk.out') return assembly(dir, manifest);
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      // Symbolic links are not followed: a link back up the tree would never end.
      if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await walk(join(dir, e.name));
      else if (e.isFile() && EXTENSIONS.has(extname(e.name))) await addFile(join(dir, e.name), false);
    }
  };

  for (const path of paths) {
    const abs = resolve(cwd, path);
    let kind: 'file' | 'folder';
    try {
      kind = (await stat(abs)).isDirectory() ? 'folder' : 'file';
    } catch (error) {
      out.problems.push({ file: path, message: `cannot read: ${reasonOf(error)}` });
      continue;
    }
    if (kind === 'folder') {
      await walk(abs).catch((error: unknown) => out.problems.push({ file: shown(abs), message: `cannot read the folder: ${reasonOf(error)}` }));
    } else if (basename(abs) === 'manifest.json' && (await manifestOf(resolve(abs, '..'))) !== undefined) {
      await assembly(resolve(abs, '..'), await manifestOf(resolve(abs, '..')));
    } else {
      await addFile(abs, true);
    }
  }
  return out;
}
