import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { RouteModule } from '../app.js';
import {
  ControlDetail,
  ControlParam,
  ControlSearchQuery,
  ControlSearchResult,
  ControlSummary,
  CoverageView,
  FrameworkList,
  FrameworkParam,
  Trace,
  TraceQuery,
  type NodeView,
} from '../../contracts/controls.js';
import { DomainError, notFound } from '../../domain/errors.js';
import { controlRef, splitRef, type Catalog } from '../../guardrails/catalog/catalog.js';
import type { CompiledControl } from '../../guardrails/catalog/compiled.js';
import { coverage } from '../../guardrails/catalog/coverage.js';
import { walk, type Chain } from '../../guardrails/catalog/graph.js';
import { normaliseRequirementId } from '../../guardrails/catalog/ids.js';
import { fold, searchControls, typesOf } from '../../guardrails/catalog/search.js';
import type { Framework } from '../../guardrails/catalog/schema.js';
import { CONTROL_TYPE_LABELS, FRAMEWORK_KIND_LABELS, OBJECTIVE_LABELS, RELATIONSHIP_LABELS, SEVERITY_LABELS } from '../../guardrails/catalog/vocabulary.js';
import { json, problem } from '../responses.js';

const problems = { 404: problem('Not found'), 422: problem('Invalid request: every problem with its location') };
const MAX_CHAINS = 200;

const frameworkRef = (f: Framework) => ({ id: f.id, kind: f.kind, kindLabel: FRAMEWORK_KIND_LABELS[f.kind], title: f.title });

export const presentControl = (c: CompiledControl): ControlSummary => ({
  id: c.id,
  title: c.title,
  description: c.description,
  objectives: c.objectives.map((value) => ({ value, label: OBJECTIVE_LABELS[value] })),
  services: c.services,
  resourceTypes: c.resourceTypes,
  severity: c.severity,
  severityLabel: SEVERITY_LABELS[c.severity],
  types: typesOf(c).map((value) => ({ value, label: CONTROL_TYPE_LABELS[value] })),
  references: {
    securityHub: c.implementations.references?.securityHub ?? [],
    configRule: c.implementations.references?.configRule ?? [],
    prowler: c.implementations.references?.prowler ?? [],
  },
});

function presentNode(catalog: Catalog, ref: string): NodeView {
  const requirement = catalog.requirements.get(ref);
  if (requirement !== undefined) {
    return { ref, kind: 'requirement', id: requirement.requirement.id, title: requirement.requirement.title, framework: frameworkRef(requirement.framework) };
  }
  const control = catalog.controlsById.get(ref.slice('control:'.length));
  return { ref, kind: 'control', id: control?.id ?? ref, title: control?.title ?? { en: ref } };
}

const presentChain = (catalog: Catalog, chain: Chain) =>
  chain.map((hop) => ({
    node: presentNode(catalog, hop.node),
    ...(hop.via === undefined ? {} : { via: { ...hop.via, relationshipLabel: RELATIONSHIP_LABELS[hop.via.relationship] } }),
  }));

const LEVEL = { framework: 1, guideline: 2, regulation: 3, law: 4 };
const topLevel = (catalog: Catalog, chain: Chain): number => LEVEL[catalog.requirements.get(chain[chain.length - 1]?.node ?? '')?.framework.kind ?? 'framework'];

/**
 * The chains from a node, those that reach a law first (then a regulation, a guideline), shorter
 * before longer: CSF's family-level edges give hundreds of framework-only chains that would
 * otherwise crowd out the few that lead to Japanese law.
 */
function presentTrace(catalog: Catalog, ref: string): Trace {
  const result = walk(catalog, ref, { maxChains: MAX_CHAINS * 20 });
  const up = [...result.up].sort((a, b) => topLevel(catalog, b) - topLevel(catalog, a) || a.length - b.length);
  return {
    up: up.slice(0, MAX_CHAINS).map((c) => presentChain(catalog, c)),
    down: result.down.slice(0, MAX_CHAINS).map((c) => presentChain(catalog, c)),
    truncated: result.truncated || up.length > MAX_CHAINS || result.down.length > MAX_CHAINS,
  };
}

/** Per framework (lowest level first), the requirements a control reaches, in the framework's own order. */
function reachesOf(catalog: Catalog, control: CompiledControl) {
  const reached = catalog.reach.get(control.id) ?? new Set<string>();
  return [...catalog.frameworks]
    .sort((a, b) => LEVEL[a.kind] - LEVEL[b.kind] || (a.id < b.id ? -1 : 1))
    .map((f) => ({ framework: frameworkRef(f), requirements: f.requirements.filter((r) => reached.has(`${f.id}:${r.id}`)).map((r) => ({ id: r.id, title: r.title })) }))
    .filter((entry) => entry.requirements.length > 0);
}

function presentDetail(catalog: Catalog, control: CompiledControl): ControlDetail {
  const ref = controlRef(control.id);
  const { preventive, rule } = control.implementations;
  return {
    ...presentControl(control),
    implementations: {
      ...(preventive === undefined ? {} : { preventive: { kind: preventive.kind, statements: preventive.statements } }),
      ...(rule === undefined ? {} : { rule: { expression: rule.expression, examples: rule.examples } }),
    },
    mappings: (catalog.edges.get(ref) ?? []).map((m) => {
      const forward = m.source === ref;
      return { relationship: m.relationship, provenance: m.provenance, written: forward ? ('forward' as const) : ('backward' as const), node: presentNode(catalog, forward ? m.target : m.source) };
    }),
    reaches: reachesOf(catalog, control),
    trace: presentTrace(catalog, ref),
  };
}

/** `htb-s3-001` and full-width input find HTB-S3-001. */
const findControl = (catalog: Catalog, id: string): CompiledControl => {
  const control = catalog.controlsById.get(fold(id).toUpperCase());
  if (control === undefined) throw notFound('control', id);
  return control;
};

/** A node as the user wrote it, in canonical form (`nist-sp-800-53-r5:ac-2.1` -> `…:AC-2(1)`); not found when it does not exist. */
function findNode(catalog: Catalog, raw: string): string {
  const node = splitRef(raw.normalize('NFKC').trim());
  if (node?.kind === 'control') return controlRef(findControl(catalog, node.id).id);
  if (node !== undefined) {
    const ref = `${node.framework}:${normaliseRequirementId(node.framework, node.id) ?? node.id}`;
    if (catalog.requirements.has(ref)) return ref;
  }
  throw notFound('catalog node', raw);
}

/** The search names its filters as the query does; over HTTP they sit in the query string. */
function inQuery<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'validation_failed') {
      throw new DomainError(error.code, error.message, { issues: error.issues.map((i) => ({ ...i, path: ['query', ...i.path] })), cause: error });
    }
    throw error;
  }
}

/** The controls catalog, read once at startup: search, one control traced to frameworks and laws, frameworks and coverage. */
export function controlRoutes(catalog: Catalog): RouteModule {
  return (app: OpenAPIHono) => {
    const tags = ['controls'];

    app.openapi(
      createRoute({
        method: 'get', path: '/api/controls', tags, summary: 'Search the controls: words (ja/en, ids) and filters; best matches first',
        request: { query: ControlSearchQuery }, responses: { 200: json(ControlSearchResult, 'The matching controls'), 422: problems[422] },
      }),
      (c) => {
        const hits = inQuery(() => searchControls(catalog, c.req.valid('query')));
        return c.json({ items: hits.map((h) => ({ ...presentControl(h.control), matched: h.matched })), total: hits.length }, 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/controls/{id}', tags, summary: 'One control with its implementations, its mappings, and the chains from it to frameworks and laws',
        request: { params: ControlParam }, responses: { 200: json(ControlDetail, 'The control'), 404: problems[404] },
      }),
      (c) => c.json(presentDetail(catalog, findControl(catalog, c.req.valid('param').id)), 200),
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/catalog/trace', tags, summary: 'The chains from any node of the mapping graph: up to frameworks and laws, down to controls',
        request: { query: TraceQuery }, responses: { 200: json(Trace, 'The chains'), 404: problems[404], 422: problems[422] },
      }),
      (c) => c.json(presentTrace(catalog, findNode(catalog, c.req.valid('query').node)), 200),
    );

    app.openapi(
      createRoute({ method: 'get', path: '/api/frameworks', tags, summary: 'The frameworks, guidelines, regulations and laws in the catalog', responses: { 200: json(FrameworkList, 'The frameworks') } }),
      (c) =>
        c.json({
          items: catalog.frameworks.map((f) => ({
            ...frameworkRef(f),
            publisher: f.publisher,
            version: f.version,
            source: f.source,
            requirements: f.requirements.filter((r) => r.withdrawn === undefined).length,
            withdrawn: f.requirements.filter((r) => r.withdrawn !== undefined).length,
          })),
        }, 200),
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/frameworks/{id}/coverage', tags, summary: 'Which requirements in force at least one implemented control reaches',
        request: { params: FrameworkParam }, responses: { 200: json(CoverageView, 'The coverage'), 404: problems[404] },
      }),
      (c) => {
        const result = coverage(catalog, c.req.valid('param').id);
        return c.json({
          framework: frameworkRef(result.framework),
          total: result.total,
          covered: result.covered,
          percentage: result.percentage,
          leaves: result.leaves,
          requirements: result.requirements.map((r) => ({
            id: r.requirement.id,
            title: r.requirement.title,
            ...(r.requirement.parent === undefined ? {} : { parent: r.requirement.parent }),
            hasChildren: r.hasChildren,
            covered: r.controls.length > 0,
            controls: r.controls,
          })),
          uncovered: result.uncovered,
        }, 200);
      },
    );
  };
}
