import { indexByResourceType, type CompiledControl } from './compiled.js';
import { reachUp } from './graph.js';
import type { Framework, Mapping, Requirement } from './schema.js';

/**
 * The loaded catalog: what the files say, plus the indexes every reader needs (by id, by node, the
 * edges touching each node, each requirement's children, and what each control reaches upward).
 * Built only from a valid set of files (see loader.ts), so every node a mapping names exists.
 */
export type RequirementNode = { ref: string; framework: Framework; requirement: Requirement };

export type Catalog = {
  controls: CompiledControl[];
  frameworks: Framework[];
  mappings: Mapping[];
  controlsById: ReadonlyMap<string, CompiledControl>;
  frameworksById: ReadonlyMap<string, Framework>;
  /** Requirements by node ref (`nist-sp-800-53-r5:AC-2`). */
  requirements: ReadonlyMap<string, RequirementNode>;
  /** Node ref of a requirement -> node refs of its children. */
  children: ReadonlyMap<string, readonly string[]>;
  /** Node ref -> every mapping with that node as source or target. */
  edges: ReadonlyMap<string, readonly Mapping[]>;
  /** Control id -> every node its chains reach upward (requirements, guidelines, laws), itself excluded. */
  reach: ReadonlyMap<string, ReadonlySet<string>>;
  byResourceType: Map<string, CompiledControl[]>;
};

export const controlRef = (id: string): string => `control:${id}`;
export const requirementRef = (frameworkId: string, requirementId: string): string => `${frameworkId}:${requirementId}`;

/** `control:HTB-S3-001` -> {kind: control}; `nist-sp-800-53-r5:AC-2(1)` -> framework and requirement (split at the first colon). */
export function splitRef(ref: string): { kind: 'control'; id: string } | { kind: 'requirement'; framework: string; id: string } | undefined {
  const colon = ref.indexOf(':');
  if (colon <= 0 || colon === ref.length - 1) return undefined;
  const head = ref.slice(0, colon);
  const id = ref.slice(colon + 1);
  return head === 'control' ? { kind: 'control', id } : { kind: 'requirement', framework: head, id };
}

/** Builds the indexes over controls, frameworks and mappings that the loader has already validated. */
export function buildCatalog(controls: CompiledControl[], frameworks: Framework[], mappings: Mapping[]): Catalog {
  const requirements = new Map<string, RequirementNode>();
  const children = new Map<string, string[]>();
  for (const framework of frameworks) {
    for (const requirement of framework.requirements) {
      const ref = requirementRef(framework.id, requirement.id);
      requirements.set(ref, { ref, framework, requirement });
      if (requirement.parent !== undefined) {
        const parent = requirementRef(framework.id, requirement.parent);
        children.set(parent, [...(children.get(parent) ?? []), ref]);
      }
    }
  }
  const edges = new Map<string, Mapping[]>();
  for (const mapping of mappings) {
    edges.set(mapping.source, [...(edges.get(mapping.source) ?? []), mapping]);
    if (mapping.target !== mapping.source) edges.set(mapping.target, [...(edges.get(mapping.target) ?? []), mapping]);
  }
  const partial = {
    controls,
    frameworks,
    mappings,
    controlsById: new Map(controls.map((c) => [c.id, c])),
    frameworksById: new Map(frameworks.map((f) => [f.id, f])),
    requirements,
    children,
    edges,
    byResourceType: indexByResourceType(controls),
  };
  const reach = new Map(controls.map((c) => [c.id, reachUp(partial, controlRef(c.id))]));
  return { ...partial, reach };
}
