import { z } from 'zod';
import { Objective, Relationship, Severity } from '../guardrails/catalog/schema.js';
import { CONTROL_TYPES } from '../guardrails/catalog/vocabulary.js';
import { Label } from './registry.js';

/**
 * The controls catalog over HTTP: search, one control with where it leads, frameworks and their
 * coverage. Browser-safe (zod and the catalog's vocabulary only). Texts come in both languages.
 */
export const ControlType = z.enum(CONTROL_TYPES);
export type ControlType = z.infer<typeof ControlType>;

export const ControlSearchQuery = z.object({
  /** Words to find in ids, reference ids, titles and descriptions (ja or en; full-width is fine). */
  text: z.string().max(200).optional(),
  objective: Objective.optional(),
  service: z.string().max(50).optional().meta({ description: 'as in IAM action prefixes: s3, ec2, iam' }),
  framework: z.string().max(200).optional().meta({ description: 'a framework id (nist-csf-2.0) or one requirement (nist-sp-800-53-r5:AC-2)' }),
  type: ControlType.optional(),
  severity: Severity.optional(),
});
export type ControlSearchQuery = z.infer<typeof ControlSearchQuery>;

const Text = z.object({ ja: z.string(), en: z.string() });
const OptionalJaText = z.object({ ja: z.string().optional(), en: z.string() });

export const ControlSummary = z
  .object({
    id: z.string(),
    title: Text,
    description: Text,
    objectives: z.array(z.object({ value: Objective, label: Label })),
    services: z.array(z.string()),
    resourceTypes: z.array(z.string()),
    severity: Severity,
    severityLabel: Label,
    types: z.array(z.object({ value: ControlType, label: Label })),
    references: z.object({ securityHub: z.array(z.string()), configRule: z.array(z.string()), prowler: z.array(z.string()) }),
  })
  .meta({ id: 'ControlSummary' });
export type ControlSummary = z.infer<typeof ControlSummary>;

export const ControlHit = ControlSummary.extend({
  /** Where the text matched, best first; empty without text. */
  matched: z.array(z.enum(['id', 'reference', 'title', 'description'])),
}).meta({ id: 'ControlHit' });

export const ControlSearchResult = z.object({ items: z.array(ControlHit), total: z.number().int() }).meta({ id: 'ControlSearchResult' });
export type ControlSearchResult = z.infer<typeof ControlSearchResult>;

export const FrameworkKind = z.enum(['law', 'regulation', 'guideline', 'framework']);

export const FrameworkRef = z.object({ id: z.string(), kind: FrameworkKind, kindLabel: Label, title: Text }).meta({ id: 'FrameworkRef' });

/** A node of the mapping graph: a control, or a framework's requirement. */
export const NodeView = z
  .object({
    ref: z.string(),
    kind: z.enum(['control', 'requirement']),
    id: z.string(),
    title: OptionalJaText,
    framework: FrameworkRef.optional(),
  })
  .meta({ id: 'CatalogNode' });
export type NodeView = z.infer<typeof NodeView>;

export const Hop = z.object({
  node: NodeView,
  /** How this node was reached from the previous one; absent on the first. */
  via: z
    .object({
      relationship: z.union([Relationship, z.literal('part-of')]),
      relationshipLabel: Label,
      provenance: z.string(),
      written: z.enum(['forward', 'backward']).meta({ description: 'forward: the mapping reads "previous <relationship> this"' }),
    })
    .optional(),
});
export const Trace = z
  .object({ up: z.array(z.array(Hop)), down: z.array(z.array(Hop)), truncated: z.boolean() })
  .meta({ id: 'CatalogTrace' });
export type Trace = z.infer<typeof Trace>;

export const ControlDetail = ControlSummary.extend({
  implementations: z.object({
    preventive: z.object({ kind: z.string(), statements: z.array(z.record(z.string(), z.unknown())) }).optional(),
    rule: z.object({ expression: z.string(), examples: z.object({ pass: z.array(z.record(z.string(), z.unknown())), fail: z.array(z.record(z.string(), z.unknown())) }) }).optional(),
  }),
  /** The mapping edges that touch this control, as written. */
  mappings: z.array(z.object({ relationship: Relationship, provenance: z.string(), written: z.enum(['forward', 'backward']), node: NodeView })),
  /** Per framework, the requirements this control's chains reach (directly, through mappings or parents). */
  reaches: z.array(z.object({ framework: FrameworkRef, requirements: z.array(z.object({ id: z.string(), title: OptionalJaText })) })),
  trace: Trace,
}).meta({ id: 'ControlDetail' });
export type ControlDetail = z.infer<typeof ControlDetail>;

export const ControlParam = z.object({ id: z.string().min(1).max(64).meta({ description: 'control id, e.g. HTB-S3-001' }) });
export const FrameworkParam = z.object({ id: z.string().min(1).max(100).meta({ description: 'framework id, e.g. nist-csf-2.0' }) });
export const TraceQuery = z.object({ node: z.string().min(3).max(300).meta({ description: 'control:<id> or <framework>:<requirement>' }) });

export const FrameworkView = FrameworkRef.extend({
  publisher: z.string(),
  version: z.string(),
  source: z.object({ url: z.string(), licence: z.string(), note: z.string().optional() }),
  requirements: z.number().int(),
  withdrawn: z.number().int(),
}).meta({ id: 'Framework' });
export const FrameworkList = z.object({ items: z.array(FrameworkView) }).meta({ id: 'FrameworkList' });
export type FrameworkList = z.infer<typeof FrameworkList>;

export const CoverageView = z
  .object({
    framework: FrameworkRef,
    total: z.number().int(),
    covered: z.number().int(),
    percentage: z.number(),
    leaves: z.object({ total: z.number().int(), covered: z.number().int(), percentage: z.number() }),
    requirements: z.array(
      z.object({ id: z.string(), title: OptionalJaText, parent: z.string().optional(), hasChildren: z.boolean(), covered: z.boolean(), controls: z.array(z.string()) }),
    ),
    uncovered: z.array(z.string()),
  })
  .meta({ id: 'Coverage' });
export type CoverageView = z.infer<typeof CoverageView>;

/** The catalog as OSCAL 1.1 JSON: the controls (catalog), or what they implement per framework (component definition). */
export const OSCAL_EXPORT_FORMATS = ['oscal-catalog', 'oscal-component-definition'] as const;
export const OscalExportFormat = z.enum(OSCAL_EXPORT_FORMATS);
export type OscalExportFormat = z.infer<typeof OscalExportFormat>;

export const ControlExportQuery = z.object({ format: OscalExportFormat });

/** The names the documents are saved under; the component definition links to the catalog by this name. */
export const OSCAL_FILE_NAMES: Record<OscalExportFormat, string> = {
  'oscal-catalog': 'hatoba-controls-catalog.json',
  'oscal-component-definition': 'hatoba-component-definition.json',
};

/** Checked against NIST's OSCAL JSON schemas in the tests, not here: a client only saves it. */
export const OscalDocument = z
  .record(z.string(), z.unknown())
  .meta({ id: 'OscalDocument', description: 'An OSCAL 1.1.3 JSON document: {"catalog": …} or {"component-definition": …}' });
export type OscalDocument = z.infer<typeof OscalDocument>;
