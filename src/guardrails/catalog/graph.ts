import type { Catalog } from './catalog.js';
import type { FrameworkKind, Relationship } from './schema.js';
import type { z } from 'zod';

/**
 * The mapping edges as a graph over `control:<id>` and `<framework>:<requirement>` nodes, walked
 * up (from a control towards frameworks, guidelines, regulations and laws) or down (from a law or a
 * requirement to the controls that implement it).
 *
 * Which way an edge points does not depend on how its author wrote it: a node's level comes from
 * its framework's kind (control < framework < guideline < regulation < law), and an edge between
 * two levels always leads up to the higher one. Between nodes of one level the relationship decides:
 * `implements`, `derived-from` and `subset` lead from source up to target, `superset` the other way,
 * and `equivalent` and `intersects` are sideways steps usable in either walk. A requirement is part
 * of its parent (`parent`), so reaching a child reaches its parent, and walking down from a parent
 * passes through its children.
 *
 * A chain never returns to a framework it has left (800-53 -> CSF -> 800-53), which keeps sideways
 * steps from wandering through every family that shares a CSF subcategory.
 */
export type CatalogGraph = Pick<Catalog, 'requirements' | 'children' | 'edges'>;

export type Link = {
  relationship: Relationship | 'part-of';
  /** The mapping's provenance; for `part-of`, the framework whose structure says so. */
  provenance: string;
  /** forward: the mapping reads "previous node <relationship> this node"; backward: the reverse. */
  written: 'forward' | 'backward';
};
export type Hop = { node: string; via?: Link };
export type Chain = Hop[];

const LEVEL: Record<z.infer<typeof FrameworkKind>, number> = { framework: 1, guideline: 2, regulation: 3, law: 4 };
const UPWARD: readonly string[] = ['implements', 'derived-from', 'subset'];

type Direction = 'up' | 'down' | 'lateral';
type Move = { node: string; via: Link; direction: Direction };

const isControl = (ref: string): boolean => ref.startsWith('control:');
const levelOf = (graph: CatalogGraph, ref: string): number => (isControl(ref) ? 0 : LEVEL[graph.requirements.get(ref)?.framework.kind ?? 'framework']);
const frameworkOf = (ref: string): string => ref.slice(0, Math.max(0, ref.indexOf(':')));

function orient(from: number, to: number, relationship: Relationship, forward: boolean): Direction {
  if (from !== to) return to > from ? 'up' : 'down';
  if (relationship === 'equivalent' || relationship === 'intersects') return 'lateral';
  const sourceToTargetIsUp = UPWARD.includes(relationship);
  return sourceToTargetIsUp === forward ? 'up' : 'down';
}

const RANK: Record<Direction, number> = { up: 0, lateral: 1, down: 2 };

/** Every step one can take from a node, with the direction it leads. */
export function movesFrom(graph: CatalogGraph, ref: string): Move[] {
  const moves: Move[] = [];
  const node = graph.requirements.get(ref);
  if (node?.requirement.parent !== undefined) {
    moves.push({ node: `${node.framework.id}:${node.requirement.parent}`, via: { relationship: 'part-of', provenance: node.framework.id, written: 'forward' }, direction: 'up' });
  }
  for (const child of graph.children.get(ref) ?? []) {
    moves.push({ node: child, via: { relationship: 'part-of', provenance: frameworkOf(ref), written: 'backward' }, direction: 'down' });
  }
  const level = levelOf(graph, ref);
  for (const mapping of graph.edges.get(ref) ?? []) {
    const forward = mapping.source === ref;
    const other = forward ? mapping.target : mapping.source;
    const direction = orient(level, levelOf(graph, other), mapping.relationship, forward);
    moves.push({ node: other, via: { relationship: mapping.relationship, provenance: mapping.provenance, written: forward ? 'forward' : 'backward' }, direction });
  }
  return moves.sort((a, b) => RANK[a.direction] - RANK[b.direction] || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}

export type WalkOptions = { maxChains?: number; maxDepth?: number };
export type Walk = { up: Chain[]; down: Chain[]; truncated: boolean };

/**
 * Every chain from `start`: `up` to the nodes nothing leads further up from (a law, a framework's
 * top), `down` to the controls. Chains are simple paths; at most `maxChains` (default 500) of each.
 */
export function walk(graph: CatalogGraph, start: string, options: WalkOptions = {}): Walk {
  const up = chains(graph, start, 'up', options);
  const down = chains(graph, start, 'down', options);
  return { up: up.chains, down: down.chains, truncated: up.truncated || down.truncated };
}

function chains(graph: CatalogGraph, start: string, direction: 'up' | 'down', options: WalkOptions): { chains: Chain[]; truncated: boolean } {
  const max = options.maxChains ?? 500;
  const found: Chain[] = [];
  let truncated = false;
  explore(graph, start, direction, options.maxDepth ?? 16, (path, end) => {
    if (found.length >= max) {
      truncated = true;
      return false;
    }
    if (path.length > 1 && (direction === 'up' ? end : isControl(path[path.length - 1]?.node ?? ''))) found.push([...path]);
    return true;
  });
  return { chains: found, truncated };
}

/** Every node above `start` (itself excluded): what a control counts towards. */
export function reachUp(graph: CatalogGraph, start: string): Set<string> {
  const seen = new Set<string>();
  explore(graph, start, 'up', 16, (path) => {
    const last = path[path.length - 1];
    if (last !== undefined && last.node !== start) seen.add(last.node);
    return true;
  });
  return seen;
}

/** The controls below `start`, as node refs (`control:…`). */
export function reachDown(graph: CatalogGraph, start: string): Set<string> {
  const seen = new Set<string>();
  explore(graph, start, 'down', 16, (path) => {
    const last = path[path.length - 1];
    if (last !== undefined && last.node !== start && isControl(last.node)) seen.add(last.node);
    return true;
  });
  return seen;
}

/**
 * Depth-first over simple paths in one direction (plus sideways steps). `visit` sees every path,
 * with `end` true when the path can go no further; it returns false to stop the whole walk. A down
 * walk stops at controls: they are what it looks for.
 */
function explore(graph: CatalogGraph, start: string, direction: 'up' | 'down', maxDepth: number, visit: (path: Chain, end: boolean) => boolean): void {
  const path: Chain = [{ node: start }];
  const visited = new Set<string>([start]);
  const left = new Set<string>();
  let stopped = false;
  const step = (): void => {
    const here = path[path.length - 1]?.node ?? start;
    const stopHere = direction === 'down' && path.length > 1 && isControl(here);
    const next = stopHere || path.length > maxDepth
      ? []
      : movesFrom(graph, here).filter((m) => (m.direction === direction || m.direction === 'lateral') && !visited.has(m.node) && !left.has(frameworkOf(m.node)));
    if (!visit(path, next.length === 0)) {
      stopped = true;
      return;
    }
    for (const move of next) {
      if (stopped) return;
      const leaving = frameworkOf(move.node) !== frameworkOf(here) && !left.has(frameworkOf(here));
      if (leaving) left.add(frameworkOf(here));
      visited.add(move.node);
      path.push({ node: move.node, via: move.via });
      step();
      path.pop();
      visited.delete(move.node);
      if (leaving) left.delete(frameworkOf(here));
    }
  };
  step();
}
