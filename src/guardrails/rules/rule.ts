import { celEnv, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
import type { Issue } from '../../domain/errors.js';
import { memoisedRe2 } from './matches.js';

/**
 * One rule, two moments: the same CEL expression judges a resource declared in a template
 * (proactive) and a live resource (detective). The expression sees `resource` (the properties, in
 * CloudFormation's shape) and `type` (e.g. "AWS::EC2::SecurityGroup"), and is true when the resource
 * complies.
 */
export type ResourceShape = { type: string; properties: Record<string, unknown> };

export type RuleOutcome =
  | { result: 'pass' }
  | { result: 'fail' }
  /** The outcome depends on values a template leaves open (a Ref to a parameter, Fn::…): not guessed. */
  | { result: 'unresolvable'; paths: string[] }
  | { result: 'error'; message: string };

export type CompiledRule = { expression: string; evaluate: (resource: ResourceShape) => RuleOutcome };

const env = celEnv({ re2: memoisedRe2() });

// Several rules judge the same resource (a scan, a sweep): its CEL form and its open values are
// computed once per properties object, which is treated as immutable once handed to a rule.
const prepared = new WeakMap<Record<string, unknown>, { cel: CelInput; open: string[] }>();
function prepare(properties: Record<string, unknown>): { cel: CelInput; open: string[] } {
  let found = prepared.get(properties);
  if (found === undefined) {
    found = { cel: toCel(properties), open: intrinsicPaths(properties) };
    prepared.set(properties, found);
  }
  return found;
}

/** Compiles once; a rule that does not parse is reported as issues at `path`, with CEL's position. */
export function compileRule(expression: string, path: (string | number)[] = ['rule']): { rule: CompiledRule } | { issues: Issue[] } {
  let program: ReturnType<typeof plan>;
  try {
    program = plan(env, parse(expression));
  } catch (error) {
    return { issues: [{ path, message: `the CEL expression does not parse: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const candidates = probeValues(expression);
  const run = (resource: ResourceShape): boolean | string => {
    const value = program({ resource: prepare(resource.properties).cel, type: resource.type });
    if (isCelError(value)) return value.message;
    return typeof value === 'boolean' ? value : `the rule must give true or false, not ${typeof value}`;
  };
  return {
    rule: {
      expression,
      evaluate(resource) {
        const open = prepare(resource.properties).open;
        const first = run(resource);
        if (open.length === 0) return typeof first === 'boolean' ? { result: first ? 'pass' : 'fail' } : { result: 'error', message: first };
        // Would some value of the open ones change the answer? Try the values the rule itself tells
        // apart (its literals, numbers on either side) and a few neutral ones: if the answer moves, the
        // template does not say enough; if it never does, the open values do not matter to this rule.
        const moves = (only?: string): boolean => {
          const answers = [first, ...candidates.map((value) => run(withIntrinsics(resource, value, only)))];
          return !(answers.every((a) => a === true) || answers.every((a) => a === false));
        };
        if (!moves()) return typeof first === 'boolean' ? { result: first ? 'pass' : 'fail' } : { result: 'error', message: first };
        // Name the open values that decide; if none does alone, they decide together: name them all.
        const deciding = open.filter((path) => moves(path));
        return { result: 'unresolvable', paths: deciding.length > 0 ? deciding : open };
      },
    },
  };
}

/** A CloudFormation intrinsic: an object with the single key Ref or Fn::Something. */
export function isIntrinsic(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || (keys[0]?.startsWith('Fn::') ?? false));
}

/** Where intrinsics sit in a resource's properties, as `A.B[0].C`. */
export function intrinsicPaths(value: unknown, at = ''): string[] {
  if (isIntrinsic(value)) return [at];
  if (Array.isArray(value)) return value.flatMap((item, i) => intrinsicPaths(item, `${at}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => intrinsicPaths(item, at === '' ? key : `${at}.${key}`));
  }
  return [];
}

type Probe = null | string | number | boolean;

/** The literals of an expression, numbers also one below and above, plus null, '' and the booleans. */
export function probeValues(expression: string): Probe[] {
  const probes: Probe[] = [null, '', true, false];
  for (const match of expression.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(?<![\w.])(-?\d+(?:\.\d+)?)(?![\w.])/g)) {
    const text = match[1] ?? match[2];
    if (text !== undefined) probes.push(text);
    else if (match[3] !== undefined) {
      const n = Number(match[3]);
      probes.push(n - 1, n, n + 1);
    }
  }
  return [...new Set(probes)];
}

/** Replaces the intrinsics (only the one at path `only`, when given) by a probe value. */
function replaceIntrinsics(value: unknown, by: Probe, only: string | undefined, at = ''): unknown {
  if (isIntrinsic(value)) return only === undefined || only === at ? by : value;
  if (Array.isArray(value)) return value.map((item, i) => replaceIntrinsics(item, by, only, `${at}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceIntrinsics(v, by, only, at === '' ? k : `${at}.${k}`)]));
  }
  return value;
}

function withIntrinsics(resource: ResourceShape, by: Probe, only?: string): ResourceShape {
  const properties = replaceIntrinsics(resource.properties, by, only);
  return { type: resource.type, properties: typeof properties === 'object' && properties !== null && !Array.isArray(properties) ? Object.fromEntries(Object.entries(properties)) : {} };
}

/** Plain JSON (what templates and the twin hold) as CEL values: objects become maps, numbers doubles. */
export function toCel(value: unknown): CelInput {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'object') return new Map(Object.entries(value).map(([key, item]) => [key, toCel(item)]));
  return String(value);
}
