import { z } from 'zod';
import type { Issue } from '../../domain/errors.js';
import { parseYamlTemplate, readCloudFormation, type ParsedTemplate, type TemplateResource } from '../templates/cloudformation.js';
import { readTerraformPlan } from '../templates/terraform.js';
import type { InputKind } from './report.js';

/**
 * Tells what a file is (a CloudFormation template, a Terraform plan, a CDK cloud assembly manifest,
 * or something else) and reads the resources of the first two. Pure: the CLI does the file system.
 */

/** A resource as the scan sees it: where it is, and what its Metadata says (suppressions, the CDK path). */
export type ScannedResource = TemplateResource & { source: InputKind; name?: string; metadata: Record<string, unknown> };

export type Recognised =
  | { kind: 'cloudformation'; metadata: Map<string, Record<string, unknown>>; parsed?: ParsedTemplate }
  | { kind: 'terraform-plan' }
  | { kind: 'cdk-manifest'; manifest: CdkManifest }
  | { kind: 'other'; reason: string }
  | { kind: 'unparsable'; issues: Issue[] };

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : undefined;

/**
 * JSON first (fast, and most generated templates are JSON); YAML for the rest and for the line of a
 * JSON error. The parse is kept for the template reader, so a template is parsed once.
 */
function parse(text: string, file: string): { data: unknown; parsed: ParsedTemplate } | { issues: Issue[] } {
  if (/^\s*[[{]/.test(text)) {
    try {
      const data: unknown = JSON.parse(text);
      return { data, parsed: { json: data } };
    } catch {
      // fall through: YAML (a superset) either reads it or says where it breaks
    }
  }
  const parsed = parseYamlTemplate(text);
  const doc = parsed.yaml;
  // A repeated key or a second document does not stop us telling what the file is: the template
  // reader reports them, with their lines.
  const errors = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY' && e.code !== 'MULTIPLE_DOCS');
  if (errors.length > 0) {
    return { issues: errors.map((e) => ({ path: [file, parsed.lines.linePos(e.pos[0]).line], message: e.message.split('\n')[0] ?? e.message })) };
  }
  // Custom tags (!Ref …) resolve to their scalar here; only the shape matters for recognising.
  // Silent: whatever toJS would warn about is not a problem for recognising.
  const logLevel = doc.options.logLevel;
  doc.options.logLevel = 'silent';
  try {
    return { data: doc.toJS({ maxAliasCount: 1000 }), parsed };
  } finally {
    doc.options.logLevel = logLevel;
  }
}

const CdkArtifact = z.object({
  type: z.string(),
  displayName: z.string().optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});
export const CdkManifest = z.object({ version: z.string(), artifacts: z.record(z.string(), CdkArtifact).optional() });
export type CdkManifest = z.infer<typeof CdkManifest>;

/** What a cloud assembly asks us to read: its stacks' templates, and its nested assemblies (CDK Stages). */
export function cdkEntries(manifest: CdkManifest): { templates: { file: string; stack: string }[]; nested: string[] } {
  const templates: { file: string; stack: string }[] = [];
  const nested: string[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const props = artifact.properties ?? {};
    if (artifact.type === 'aws:cloudformation:stack' && typeof props.templateFile === 'string') {
      templates.push({ file: props.templateFile, stack: artifact.displayName ?? id });
    }
    if (artifact.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string') nested.push(props.directoryName);
  }
  return { templates, nested };
}

function recogniseData(data: unknown, name: string): Recognised {
  const top = asRecord(data);
  if (top === undefined) return { kind: 'other', reason: 'not a JSON or YAML object' };
  const resources = asRecord(top.Resources);
  if (resources !== undefined) {
    const bodies = Object.values(resources).map(asRecord);
    if (bodies.length > 0 && bodies.some((b) => typeof b?.Type === 'string')) {
      const metadata = new Map<string, Record<string, unknown>>();
      for (const [id, body] of Object.entries(resources)) {
        const meta = asRecord(asRecord(body)?.Metadata);
        if (meta !== undefined) metadata.set(id, meta);
      }
      return { kind: 'cloudformation', metadata };
    }
    return { kind: 'other', reason: 'its Resources have no Type' };
  }
  if (typeof top.format_version === 'string') {
    if (top.planned_values !== undefined || top.resource_changes !== undefined) return { kind: 'terraform-plan' };
    return { kind: 'other', reason: 'Terraform JSON without planned_values: a state, not a plan (use terraform show -json PLANFILE)' };
  }
  if (name.endsWith('manifest.json')) {
    const manifest = CdkManifest.safeParse(top);
    if (manifest.success && manifest.data.artifacts !== undefined) return { kind: 'cdk-manifest', manifest: manifest.data };
  }
  return { kind: 'other', reason: 'not a CloudFormation template, Terraform plan or CDK cloud assembly' };
}

export function recognise(text: string, file: string): Recognised {
  const parsed = parse(text, file);
  if ('issues' in parsed) return { kind: 'unparsable', issues: parsed.issues };
  const recognised = recogniseData(parsed.data, file);
  return recognised.kind === 'cloudformation' ? { ...recognised, parsed: parsed.parsed } : recognised;
}

/** Reads a recognised template or plan. `source` says whether a CloudFormation template came from the CDK. */
export function readResources(
  text: string,
  file: string,
  recognised: Extract<Recognised, { kind: 'cloudformation' | 'terraform-plan' }>,
  source: InputKind = recognised.kind,
): { resources: ScannedResource[]; issues: Issue[]; notes: Issue[] } {
  if (recognised.kind === 'terraform-plan') {
    const plan = readTerraformPlan(text, file);
    const notes = plan.skipped.length === 0 ? [] : [{ path: [file], message: `not mapped to CloudFormation types, not checked: ${plan.skipped.join(', ')}` }];
    return { resources: plan.resources.map((r) => ({ ...r, source: 'terraform-plan', metadata: {} })), issues: plan.issues, notes };
  }
  const template = readCloudFormation(text, file, recognised.parsed);
  const resources = template.resources.map((r): ScannedResource => {
    const metadata = recognised.metadata.get(r.logicalId) ?? {};
    const path = metadata['aws:cdk:path'];
    return { ...r, source, metadata, ...(typeof path === 'string' ? { name: path } : {}) };
  });
  return { resources, issues: template.issues, notes: [] };
}

