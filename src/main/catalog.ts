import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { validationFailed } from '../domain/errors.js';
import type { Catalog } from '../guardrails/catalog/catalog.js';
import type { CompiledControl } from '../guardrails/catalog/compiled.js';
import { loadCatalog, type CatalogFile } from '../guardrails/catalog/loader.js';

const EXTENSIONS: Record<string, RegExp> = {
  controls: /\.ya?ml$/i,
  frameworks: /\.(json|ya?ml)$/i,
  mappings: /\.(json|ya?ml)$/i,
};

/** When the newest file of each catalog readCatalog returned was last changed (ms since the epoch). */
const modified = new WeakMap<Catalog, number>();

/**
 * The time the newest file of the catalog was changed, in whole seconds, as recorded when
 * readCatalog read it; undefined for a catalog not read from files (or from no file at all).
 * Stable while the files are: what the OSCAL export gives as its last-modified time.
 */
export function catalogModifiedAt(catalog: Catalog): Date | undefined {
  const ms = modified.get(catalog);
  return ms === undefined ? undefined : new Date(Math.floor(ms / 1000) * 1000);
}

/** The data files of the given folders under `dir` (a missing folder has none), named as `dir/folder/file`. */
async function readFolders(dir: string, folders: readonly string[]): Promise<{ files: CatalogFile[]; newest: number | undefined }> {
  const files: CatalogFile[] = [];
  let newest: number | undefined;
  for (const folder of folders) {
    const names = await readdir(join(dir, folder)).catch((error: unknown) => {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return [];
      throw error;
    });
    for (const name of names.filter((n) => EXTENSIONS[folder]?.test(n) === true).sort()) {
      const path = join(dir, folder, name);
      files.push({ path, text: await readFile(path, 'utf8') });
      newest = Math.max(newest ?? 0, (await stat(path)).mtimeMs);
    }
  }
  return { files, newest };
}

/**
 * Reads the whole catalog under `dir` (controls/, frameworks/, mappings/) and validates it; every
 * problem in every file is reported at once, at [file, …path] (see guardrails/catalog/loader.ts).
 */
export async function readCatalog(dir: string): Promise<Catalog> {
  const { files, newest } = await readFolders(dir, ['controls', 'frameworks', 'mappings']);
  const result = loadCatalog(files);
  if (!result.ok) throw validationFailed(`the controls catalog in ${dir} is not valid`, result.issues);
  if (newest !== undefined) modified.set(result.catalog, newest);
  return result.catalog;
}

/**
 * Reads only `<dir>/controls/*.yaml`: the controls, validated, each rule compiled and checked against
 * its worked examples. Mappings are not checked here; readCatalog checks everything.
 */
export async function readControls(dir: string): Promise<CompiledControl[]> {
  const result = loadCatalog((await readFolders(dir, ['controls'])).files);
  if (!result.ok) throw validationFailed('the controls catalog is not valid', result.issues);
  return result.catalog.controls;
}
