import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { validationFailed, type Issue } from '../domain/errors.js';
import { ControlsFile } from '../guardrails/catalog/schema.js';
import { compileControls, type CompiledControl } from '../guardrails/catalog/compiled.js';

/**
 * Reads the controls under `<dir>/controls/*.yaml`, validates every file, compiles every rule and
 * checks its worked examples. Every problem in every file is reported at once, at [file, …path].
 */
export async function readControls(dir: string): Promise<CompiledControl[]> {
  const folder = join(dir, 'controls');
  const names = (await readdir(folder)).filter((name) => name.endsWith('.yaml') || name.endsWith('.yml')).sort();
  const issues: Issue[] = [];
  const controls: CompiledControl[] = [];
  for (const name of names) {
    const file = join(folder, name);
    let data: unknown;
    try {
      data = parse(await readFile(file, 'utf8'));
    } catch (error) {
      issues.push({ path: [file], message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const parsed = ControlsFile.safeParse(data);
    if (!parsed.success) {
      issues.push(...parsed.error.issues.map((i) => ({ path: [file, ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))], message: i.message })));
      continue;
    }
    const result = compileControls(parsed.data.controls, [file, 'controls']);
    issues.push(...result.issues);
    controls.push(...result.controls);
  }
  const seen = new Map<string, string>();
  for (const control of controls) {
    const first = seen.get(control.id);
    if (first !== undefined) issues.push({ path: [control.id], message: `the control id ${control.id} is used twice (first in ${first})` });
    seen.set(control.id, control.id);
  }
  if (issues.length > 0) throw validationFailed('the controls catalog is not valid', issues);
  return controls;
}
