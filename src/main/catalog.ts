import { readdir, readFile } from 'node:fs/promises';
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

/** The data files of the given folders under `dir` (a missing folder has none), named as `dir/folder/file`. */
async function readFolders(dir: string, folders: readonly string[]): Promise<CatalogFile[]> {
  const files: CatalogFile[] = [];
  for (const folder of folders) {
    const names = await readdir(join(dir, folder)).catch((error: unknown) => {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return [];
      throw error;
    });
    for (const name of names.filter((n) => EXTENSIONS[folder]?.test(n) === true).sort()) {
      const path = join(dir, folder, name);
      files.push({ path, text: await readFile(path, 'utf8') });
    }
  }
  return files;
}

/**
 * Reads the whole catalog under `dir` (controls/, frameworks/, mappings/) and validates it; every
 * problem in every file is reported at once, at [file, …path] (see guardrails/catalog/loader.ts).
 */
export async function readCatalog(dir: string): Promise<Catalog> {
  const result = loadCatalog(await readFolders(dir, ['controls', 'frameworks', 'mappings']));
  if (!result.ok) throw validationFailed(`the controls catalog in ${dir} is not valid`, result.issues);
  return result.catalog;
}

/**
 * Reads only `<dir>/controls/*.yaml`: the controls, validated, each rule compiled and checked against
 * its worked examples. Mappings are not checked here; readCatalog checks everything.
 */
export async function readControls(dir: string): Promise<CompiledControl[]> {
  const result = loadCatalog(await readFolders(dir, ['controls']));
  if (!result.ok) throw validationFailed('the controls catalog is not valid', result.issues);
  return result.catalog.controls;
}
