import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { RouteModule } from '../app.js';
import {
  ControlDetail,
  ControlExportQuery,
  ControlParam,
  ControlSearchQuery,
  ControlSearchResult,
  ControlSummary,
  CoverageView,
  FrameworkList,
  FrameworkParam,
  OSCAL_FILE_NAMES,
  OscalDocument,
  Trace,
  TraceQuery,
  type NodeView,
  type OscalExportFormat,
} from '../../contracts/controls.js';
import { DomainError } from '../../domain/errors.js';
import { controlRef, splitRef, type Catalog } from '../../guardrails/catalog/catalog.js';
import type { CompiledControl } from '../../guardrails/catalog/compiled.js';
import { coverage } from '../../guardrails/catalog/coverage.js';
import { walk, type Chain } from '../../guardrails/catalog/graph.js';
import { idShapeOf, normaliseRequirementId, notAnId, withdrawnReason } from '../../guardrails/catalog/ids.js';
import { fold, searchControls, typesOf } from '../../guardrails/catalog/search.js';
import type { Framework } from '../../guardrails/catalog/schema.js';
import { CONTROL_TYPE_LABELS, FRAMEWORK_KIND_LABELS, OBJECTIVE_LABELS, RELATIONSHIP_LABELS, SEVERITY_LABELS } from '../../guardrails/catalog/vocabulary.js';
import { toOscalCatalog } from '../../guardrails/oscal/catalog.js';
import { toOscalComponentDefinition } from '../../guardrails/oscal/component-definition.js';
import type { OscalCatalog, OscalComponentDefinition, OscalExportOptions } from '../../guardrails/oscal/types.js';
import { inQuery, invalidRequest, json, problem } from '../responses.js';

const problems = { 404: problem('Not found'), 422: invalidRequest };

const notFound = (ja: string, en: string): DomainError => new DomainError('not_found', `${ja}が見つかりません / ${en} was not found`);
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
  if (control === undefined) throw notFound(`コントロール ${id} `, `control ${id}`);
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
  throw notFound(`カタログのノード ${raw} `, `catalog node ${raw}`);
}

/**
 * Why the search's `framework` filter (a framework id, or `<framework>:<requirement>`) names nothing
 * in the catalog, in Japanese and English; undefined when it names something. The search checks
 * the same, in English only; checked here, it is reported together with the other filters.
 */
function frameworkFilterProblem(catalog: Catalog, filter: string | undefined): string | undefined {
  if (filter === undefined || filter === '') return undefined;
  const colon = filter.indexOf(':');
  const frameworkId = colon < 0 ? filter : filter.slice(0, colon);
  const framework = catalog.frameworksById.get(frameworkId);
  if (framework === undefined) {
    const known = [...catalog.frameworksById.keys()].sort().join(', ');
    return `カタログにフレームワーク ${frameworkId} はありません（登録済み: ${known || 'なし'}） / no framework ${frameworkId} in the catalog (known: ${known || 'none'})`;
  }
  if (colon < 0) return undefined;
  const raw = filter.slice(colon + 1);
  const id = normaliseRequirementId(frameworkId, raw);
  if (id === undefined) {
    const shape = idShapeOf(frameworkId);
    return `「${raw}」は ${frameworkId} の要件 ID ではありません${shape === undefined ? '' : `（例: ${shape}）`} / ${notAnId(frameworkId, raw)}`;
  }
  const requirement = framework.requirements.find((r) => r.id === id);
  if (requirement === undefined) return `${frameworkId} に ${id} という要件はありません / ${id} is not a requirement of ${frameworkId}`;
  const movedTo = requirement.withdrawn?.movedTo;
  if (movedTo === undefined) return undefined;
  return `${id} は廃止されました${movedTo.length === 0 ? '' : `（移行先: ${movedTo.join(', ')}）`} / ${withdrawnReason(id, movedTo)}`;
}

/** The whole catalog as an OSCAL document; the same catalog and options always give the same document. */
function oscalDocument(catalog: Catalog, format: OscalExportFormat, options: OscalExportOptions): OscalCatalog | OscalComponentDefinition {
  if (format === 'oscal-catalog') return toOscalCatalog(catalog.controls, options);
  return toOscalComponentDefinition(catalog.controls, catalog.mappings, { ...options, frameworks: catalog.frameworks, catalogHref: OSCAL_FILE_NAMES['oscal-catalog'] });
}

/**
 * The controls catalog, read once at startup: search, one control traced to frameworks and laws,
 * frameworks and coverage, and the OSCAL export (`oscal`: the document version and last-modified time).
 */
export function controlRoutes(catalog: Catalog, oscal: OscalExportOptions): RouteModule {
  const exported = new Map<OscalExportFormat, OscalCatalog | OscalComponentDefinition>();
  const exportOf = (format: OscalExportFormat) => {
    const document = exported.get(format) ?? oscalDocument(catalog, format, oscal);
    exported.set(format, document);
    return document;
  };

  // The framework filter is checked in the same pass as the others, so that every problem comes in one answer.
  const searchQuery = ControlSearchQuery.extend({
    framework: ControlSearchQuery.shape.framework.superRefine((filter, ctx) => {
      const message = frameworkFilterProblem(catalog, filter);
      if (message !== undefined) ctx.addIssue({ code: 'custom', message });
    }),
  });

  return (app: OpenAPIHono) => {
    const tags = ['controls'];

    // Before /api/controls/{id}, which would otherwise take "export" for a control id.
    app.openapi(
      createRoute({
        method: 'get', path: '/api/controls/export', tags, summary: 'The catalog as an OSCAL 1.1 document: the controls (catalog) or what they implement per framework (component definition)',
        request: { query: ControlExportQuery }, responses: { 200: json(OscalDocument, 'The OSCAL document, as a file to save'), 422: problems[422] },
      }),
      (c) => {
        const format = c.req.valid('query').format;
        return c.json(exportOf(format), 200, { 'content-disposition': `attachment; filename="${OSCAL_FILE_NAMES[format]}"` });
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/controls', tags, summary: 'Search the controls: words (ja/en, ids) and filters; best matches first',
        request: { query: searchQuery }, responses: { 200: json(ControlSearchResult, 'The matching controls'), 422: problems[422] },
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
        const id = c.req.valid('param').id;
        if (!catalog.frameworksById.has(id)) throw notFound(`フレームワーク ${id} `, `framework ${id}`);
        const result = coverage(catalog, id);
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
