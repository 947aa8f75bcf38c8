import { z } from 'zod';
import type { Issue } from '../../domain/errors.js';
import { buildCatalog, splitRef, type Catalog } from './catalog.js';
import { compileControls, type CompiledControl } from './compiled.js';
import { normaliseRequirementId, notAnId, resolveRequirement } from './ids.js';
import { parseText } from './parse-text.js';
import { Control, Framework, Mapping, Requirement } from './schema.js';

/**
 * Reads the catalog from its files' text (no I/O: src/main reads the folder). File layout, by the
 * folder a file sits in: `controls/*.yaml` (ControlsFile), `frameworks/*.json|yaml` (Framework),
 * `mappings/*.json|yaml` (MappingsFile). Every problem in every file is returned at once, each at
 * [file, …path]: syntax errors with their line, schema errors per control and per requirement (one
 * bad entry does not hide the next), rules that fail their examples, duplicate ids, ids not in
 * their framework's canonical form, and mappings whose ends do not exist or are withdrawn.
 */
export type CatalogFile = { path: string; text: string };
export type LoadResult = { ok: true; catalog: Catalog } | { ok: false; issues: Issue[] };

type Path = (string | number)[];
type Located<T> = { value: T; at: Path };

const ControlsShape = z.object({ controls: z.array(z.unknown()).min(1) }).strict();
const FrameworkShape = Framework.extend({ requirements: z.array(z.unknown()).min(1) }).strict();
const MappingsShape = z.object({ mappings: z.array(z.unknown()).min(1) }).strict();

const zodIssues = (at: Path, issues: readonly { path: readonly PropertyKey[]; message: string }[]): Issue[] =>
  issues.map((i) => ({ path: [...at, ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))], message: i.message }));

const where = (at: Path): string => at.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join(' ').replace(/ \[/g, '[');

export function folderOf(path: string): 'controls' | 'frameworks' | 'mappings' | undefined {
  const parts = path.replace(/\\/g, '/').split('/');
  const folder = parts[parts.length - 2];
  return folder === 'controls' || folder === 'frameworks' || folder === 'mappings' ? folder : undefined;
}

/** What survives each file's own checks, plus the ids of entries that did not (so they are not reported twice). */
type Parts = {
  controls: Located<CompiledControl>[];
  frameworks: Located<Framework>[];
  mappings: Located<z.infer<typeof Mapping>>[];
  brokenControls: Set<string>;
  brokenFrameworks: Set<string>;
  brokenRequirements: Set<string>;
};

export function loadCatalog(files: readonly CatalogFile[]): LoadResult {
  const issues: Issue[] = [];
  const parts: Parts = { controls: [], frameworks: [], mappings: [], brokenControls: new Set(), brokenFrameworks: new Set(), brokenRequirements: new Set() };
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const folder = folderOf(file.path);
    if (folder === undefined) {
      issues.push({ path: [file.path], message: 'a catalog file sits in controls/, frameworks/ or mappings/' });
      continue;
    }
    const parsed = parseText(file.path, file.text);
    if ('issues' in parsed) {
      issues.push(...parsed.issues);
      continue;
    }
    if (folder === 'controls') issues.push(...readControls(file.path, parsed.data, parts));
    else if (folder === 'frameworks') issues.push(...readFramework(file.path, parsed.data, parts));
    else issues.push(...readMappings(file.path, parsed.data, parts));
  }
  issues.push(...checkControls(parts), ...checkFrameworks(parts), ...checkMappings(parts));
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, catalog: buildCatalog(parts.controls.map((c) => c.value), parts.frameworks.map((f) => f.value), parts.mappings.map((m) => m.value)) };
}

const idOf = (value: unknown): string | undefined => {
  const id = z.object({ id: z.string() }).safeParse(value);
  return id.success ? id.data.id : undefined;
};

function readControls(path: string, data: unknown, parts: Parts): Issue[] {
  const shape = ControlsShape.safeParse(data);
  if (!shape.success) return zodIssues([path], shape.error.issues);
  const issues: Issue[] = [];
  shape.data.controls.forEach((raw, index) => {
    const at = [path, 'controls', index];
    const control = Control.safeParse(raw);
    if (!control.success) {
      issues.push(...zodIssues(at, control.error.issues));
      const id = idOf(raw);
      if (id !== undefined) parts.brokenControls.add(id);
      return;
    }
    // compileControls numbers its issues from its own list; compiled one at a time, they take this control's place.
    const compiled = compileControls([control.data]);
    issues.push(...compiled.issues.map((i) => ({ path: [...at, ...i.path.slice(1)], message: i.message })));
    const [value] = compiled.controls;
    if (value !== undefined && compiled.issues.length === 0) parts.controls.push({ value, at });
    else parts.brokenControls.add(control.data.id);
  });
  return issues;
}

function readFramework(path: string, data: unknown, parts: Parts): Issue[] {
  const shape = FrameworkShape.safeParse(data);
  if (!shape.success) {
    const id = idOf(data);
    if (id !== undefined) parts.brokenFrameworks.add(id);
    return zodIssues([path], shape.error.issues);
  }
  const issues: Issue[] = [];
  const requirements: Requirement[] = [];
  shape.data.requirements.forEach((raw, index) => {
    const requirement = Requirement.safeParse(raw);
    if (requirement.success) requirements.push(requirement.data);
    else {
      issues.push(...zodIssues([path, 'requirements', index], requirement.error.issues));
      const id = idOf(raw);
      if (id !== undefined) parts.brokenRequirements.add(`${shape.data.id}:${id}`);
    }
  });
  // A framework with a bad requirement is kept for checking the others, but the catalog is refused anyway.
  parts.frameworks.push({ value: { ...shape.data, requirements }, at: [path] });
  return issues;
}

function readMappings(path: string, data: unknown, parts: Parts): Issue[] {
  const shape = MappingsShape.safeParse(data);
  if (!shape.success) return zodIssues([path], shape.error.issues);
  const issues: Issue[] = [];
  shape.data.mappings.forEach((raw, index) => {
    const mapping = Mapping.safeParse(raw);
    if (mapping.success) parts.mappings.push({ value: mapping.data, at: [path, 'mappings', index] });
    else issues.push(...zodIssues([path, 'mappings', index], mapping.error.issues));
  });
  return issues;
}

function checkControls(parts: Parts): Issue[] {
  const issues: Issue[] = [];
  const first = new Map<string, Path>();
  for (const { value, at } of parts.controls) {
    const earlier = first.get(value.id);
    if (earlier !== undefined) issues.push({ path: [...at, 'id'], message: `the control id ${value.id} is already used at ${where(earlier)}` });
    else first.set(value.id, at);
  }
  return issues;
}

function checkFrameworks(parts: Parts): Issue[] {
  const issues: Issue[] = [];
  const first = new Map<string, Path>();
  for (const { value: framework, at } of parts.frameworks) {
    const earlier = first.get(framework.id);
    if (earlier !== undefined) {
      issues.push({ path: [...at, 'id'], message: `the framework id ${framework.id} is already used in ${where(earlier)}` });
      continue;
    }
    first.set(framework.id, at);
    issues.push(...checkRequirements(framework, at));
  }
  return issues;
}

function checkRequirements(framework: Framework, at: Path): Issue[] {
  const issues: Issue[] = [];
  const byId = new Map<string, Requirement>();
  framework.requirements.forEach((requirement, index) => {
    const here = [...at, 'requirements', index];
    if (byId.has(requirement.id)) issues.push({ path: [...here, 'id'], message: `the requirement id ${requirement.id} is used twice in ${framework.id}` });
    byId.set(requirement.id, requirement);
    const canonical = normaliseRequirementId(framework.id, requirement.id);
    if (canonical === undefined) issues.push({ path: [...here, 'id'], message: notAnId(framework.id, requirement.id) });
    else if (canonical !== requirement.id) issues.push({ path: [...here, 'id'], message: `write ${canonical}, not ${requirement.id}` });
  });
  framework.requirements.forEach((requirement, index) => {
    const here = [...at, 'requirements', index];
    if (requirement.parent !== undefined) {
      if (!byId.has(requirement.parent)) issues.push({ path: [...here, 'parent'], message: `${requirement.parent} is not a requirement of ${framework.id}` });
      else if (loopsBack(requirement, byId)) issues.push({ path: [...here, 'parent'], message: `the parents of ${requirement.id} lead back to it` });
    }
    requirement.withdrawn?.movedTo.forEach((target, k) => {
      if (!byId.has(target)) issues.push({ path: [...here, 'withdrawn', 'movedTo', k], message: `${target} is not a requirement of ${framework.id}` });
    });
  });
  return issues;
}

function loopsBack(requirement: Requirement, byId: Map<string, Requirement>): boolean {
  const seen = new Set<string>([requirement.id]);
  for (let parent = requirement.parent; parent !== undefined; parent = byId.get(parent)?.parent) {
    if (seen.has(parent)) return true;
    seen.add(parent);
  }
  return false;
}

function checkMappings(parts: Parts): Issue[] {
  const controls = new Set(parts.controls.map((c) => c.value.id));
  const frameworks = new Map<string, Map<string, Requirement>>();
  for (const { value } of parts.frameworks) if (!frameworks.has(value.id)) frameworks.set(value.id, new Map(value.requirements.map((r) => [r.id, r])));

  const checkNode = (ref: string, at: Path): Issue[] => {
    const node = splitRef(ref);
    if (node === undefined) return [{ path: at, message: 'a node is control:<id> or <framework>:<requirement>' }];
    if (node.kind === 'control') {
      return controls.has(node.id) || parts.brokenControls.has(node.id) ? [] : [{ path: at, message: `no control ${node.id} in the catalog` }];
    }
    const requirements = frameworks.get(node.framework);
    if (requirements === undefined) {
      if (parts.brokenFrameworks.has(node.framework)) return [];
      return [{ path: at, message: `no framework ${node.framework} in the catalog (known: ${[...frameworks.keys()].sort().join(', ') || 'none'})` }];
    }
    const canonical = normaliseRequirementId(node.framework, node.id);
    if (canonical !== undefined && parts.brokenRequirements.has(`${node.framework}:${canonical}`)) return [];
    const resolved = resolveRequirement(node.framework, node.id, (id) => requirements.get(id));
    if (!resolved.ok) return [{ path: at, message: resolved.reason }];
    return resolved.normalised ? [] : [{ path: at, message: `write ${node.framework}:${resolved.id}, not ${ref}` }];
  };

  const issues: Issue[] = [];
  const seen = new Map<string, Path>();
  for (const { value: mapping, at } of parts.mappings) {
    issues.push(...checkNode(mapping.source, [...at, 'source']), ...checkNode(mapping.target, [...at, 'target']));
    if (mapping.source === mapping.target) issues.push({ path: [...at, 'target'], message: 'a mapping joins two different nodes' });
    const key = `${mapping.source} ${mapping.relationship} ${mapping.target}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) issues.push({ path: at, message: `the same mapping is already at ${where(earlier)}` });
    else seen.set(key, at);
  }
  return issues;
}
