import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Issue } from '../../domain/errors.js';
import type { ResourceShape } from '../rules/rule.js';
import { linesOf, resourceKeyOffsets } from './json-keys.js';

/**
 * Reads a CloudFormation template, JSON or YAML (JSON is YAML), with the short-form intrinsics
 * (`!Ref`, `!Sub`, `!GetAtt a.b`, …) turned into their long form (`{"Ref": …}`, `{"Fn::Sub": …}`), so a
 * rule sees one shape whatever the author wrote. Every resource keeps the line it starts on, for
 * reports that point into the file (SARIF). Problems come back as issues at [file, line].
 */
export type TemplateResource = ResourceShape & { logicalId: string; file: string; line: number };

const FN_TAGS = new Set([
  'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAZs', 'If', 'ImportValue', 'Join', 'Length', 'Not', 'Or', 'Select', 'Split', 'Sub', 'ToJsonString', 'Transform',
]);

/** A template already parsed by whoever recognised it, so that it is parsed once. */
export type ParsedTemplate = { json: unknown } | ParsedYaml;
export type ParsedYaml = { yaml: Document.Parsed; lines: LineCounter };

/** The YAML parse the reader needs: duplicate keys are errors, and every offset has its line. */
export function parseYamlTemplate(text: string): ParsedYaml {
  const lines = new LineCounter();
  return { yaml: parseDocument(text, { lineCounter: lines, uniqueKeys: true }), lines };
}

type Read = { resources: TemplateResource[]; issues: Issue[] };

export function readCloudFormation(text: string, file: string, parsed?: ParsedTemplate): Read {
  // JSON (what generators such as the CDK write) is read with JSON.parse, many times faster than
  // YAML; anything the fast path does not take (a repeated key, JSON that JSON.parse refuses but
  // YAML accepts) goes through the YAML reader, which reports problems with line and column.
  const json = parsed === undefined ? parseJson(text) : 'json' in parsed ? { data: parsed.json } : undefined;
  const fast = json === undefined ? undefined : readJson(text, file, json.data);
  if (fast !== undefined) return fast;
  const { yaml: doc, lines } = parsed !== undefined && 'yaml' in parsed ? parsed : parseYamlTemplate(text);
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lines.linePos(offset).line);
  const issues: Issue[] = [];
  for (const error of doc.errors) issues.push({ path: [file, lineOf(error.pos[0])], message: error.message.split('\n')[0] ?? error.message });
  if (issues.length > 0) return { resources: [], issues };

  const toJs = (node: Node | null | undefined): unknown => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return toJs(node.resolve(doc) ?? null);
    let value: unknown;
    if (isScalar(node)) value = node.value;
    else if (isSeq(node)) value = node.items.map((item) => (isScalar(item) || isMap(item) || isSeq(item) || isAlias(item) ? toJs(item) : item));
    else if (isMap(node)) {
      const entries: [string, unknown][] = [];
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        entries.push([key, isScalar(pair.value) || isMap(pair.value) || isSeq(pair.value) || isAlias(pair.value) ? toJs(pair.value) : pair.value]);
      }
      value = Object.fromEntries(entries);
    }
    return node.tag === undefined || !node.tag.startsWith('!') ? value : intrinsic(node.tag.slice(1), value, lineOf(node.range?.[0]));
  };

  const intrinsic = (name: string, value: unknown, line: number): unknown => {
    if (name === 'Ref' || name === 'Condition') return { [name]: value };
    if (name === 'GetAtt') {
      if (typeof value !== 'string') return { 'Fn::GetAtt': value };
      const dot = value.indexOf('.');
      return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
    }
    if (FN_TAGS.has(name)) return { [`Fn::${name}`]: value };
    issues.push({ path: [file, line], message: `unknown tag !${name}` });
    return value;
  };

  const resourcesNode = doc.get('Resources', true);
  if (!isMap(resourcesNode)) {
    issues.push({ path: [file, 1], message: 'the template has no Resources section' });
    return { resources: [], issues };
  }
  const resources: TemplateResource[] = [];
  for (const pair of resourcesNode.items) {
    const logicalId = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = isScalar(pair.key) ? lineOf(pair.key.range?.[0]) : 1;
    const body = isMap(pair.value) ? toJs(pair.value) : undefined;
    const type = typeof body === 'object' && body !== null && 'Type' in body ? body.Type : undefined;
    if (typeof body !== 'object' || body === null || typeof type !== 'string') {
      issues.push({ path: [file, line], message: `resource ${logicalId} has no Type` });
      continue;
    }
    resources.push({ logicalId, type, file, line, properties: propertiesOf(body) });
  }
  return { resources, issues };
}

function propertiesOf(body: object): Record<string, unknown> {
  const properties = 'Properties' in body ? body.Properties : {};
  return typeof properties === 'object' && properties !== null && !Array.isArray(properties) ? Object.fromEntries(Object.entries(properties)) : {};
}

function parseJson(text: string): { data: unknown } | undefined {
  if (!/^\s*\{/.test(text)) return undefined;
  try {
    return { data: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** The JSON fast path: the same resources and issues as the YAML reader gives for the same text, or undefined to use it. */
function readJson(text: string, file: string, data: unknown): Read | undefined {
  const section = typeof data === 'object' && data !== null && !Array.isArray(data) && 'Resources' in data ? data.Resources : undefined;
  if (typeof section !== 'object' || section === null || Array.isArray(section)) return undefined;
  const keys = resourceKeyOffsets(text);
  if (keys === undefined) return undefined;
  const bodies = new Map(Object.entries(section));
  if (bodies.size !== keys.length) return undefined;
  const lines = linesOf(text, keys.map((k) => k.offset));
  const resources: TemplateResource[] = [];
  const issues: Issue[] = [];
  keys.forEach(({ key: logicalId }, i) => {
    const line = lines[i] ?? 1;
    const body = bodies.get(logicalId);
    const type = typeof body === 'object' && body !== null && !Array.isArray(body) && 'Type' in body ? body.Type : undefined;
    if (typeof body !== 'object' || body === null || typeof type !== 'string') {
      issues.push({ path: [file, line], message: `resource ${logicalId} has no Type` });
      return;
    }
    resources.push({ logicalId, type, file, line, properties: propertiesOf(body) });
  });
  return { resources, issues };
}
