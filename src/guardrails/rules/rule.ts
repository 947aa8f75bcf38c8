import { celEnv, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
import type { Issue } from '../../domain/errors.js';
import { celForm, isIntrinsic, plain, watchingReads } from './cel-form.js';
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

const PASS: RuleOutcome = Object.freeze({ result: 'pass' });
const FAIL: RuleOutcome = Object.freeze({ result: 'fail' });
const verdict = (answer: boolean | string): RuleOutcome => (typeof answer === 'boolean' ? (answer ? PASS : FAIL) : { result: 'error', message: answer });

/** Compiles once; a rule that does not parse is reported as issues at `path`, with CEL's position. */
export function compileRule(expression: string, path: (string | number)[] = ['rule']): { rule: CompiledRule } | { issues: Issue[] } {
  let program: ReturnType<typeof plan>;
  try {
    program = plan(env, parse(expression));
  } catch (error) {
    return { issues: [{ path, message: `the CEL expression does not parse: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const candidates = probeValues(expression);
  const run = (resource: CelInput, type: string): boolean | string => {
    const value = program({ resource, type });
    if (isCelError(value)) return value.message;
    return typeof value === 'boolean' ? value : `the rule must give true or false, not ${typeof value}`;
  };
  return {
    rule: {
      expression,
      evaluate(resource) {
        const { cel, open } = celForm(resource.properties);
        if (open.length === 0) return verdict(run(cel, resource.type));
        const { value: first, read } = watchingReads(() => run(cel, resource.type));
        // An error with open values: some value of them may be what the rule stumbles on.
        if (typeof first !== 'boolean') return { result: 'unresolvable', paths: open };
        // Would some value of the open ones change the answer? An open value the rule did not read
        // cannot (the evaluation would be the same); for those it read, try the values the rule
        // itself tells apart (its literals, numbers on either side) and a few neutral ones: if the
        // answer moves, the template does not say enough; if it never does, they do not matter.
        // (Properties that are themselves an intrinsic: any read, even their size, may see it.)
        const matters = (path: string) => path === '' || read.has(path);
        if (!open.some(matters)) return verdict(first);
        const moves = (only?: string): boolean => candidates.some((value) => run(withIntrinsics(resource.properties, value, only), resource.type) !== first);
        if (!moves()) return verdict(first);
        // Name the open values that decide; if none does alone, they decide together: name them all.
        const deciding = open.filter((path) => matters(path) && moves(path));
        return { result: 'unresolvable', paths: deciding.length > 0 ? deciding : open };
      },
    },
  };
}

export { isIntrinsic };

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

/** The CEL form of the properties with their intrinsics (only the one at `only`, when given) replaced by a probe value. */
function withIntrinsics(properties: Record<string, unknown>, by: Probe, only?: string): CelInput {
  const replaced = replaceIntrinsics(properties, by, only);
  return plain(typeof replaced === 'object' && replaced !== null && !Array.isArray(replaced) ? replaced : {});
}

/** Plain JSON (what templates and the twin hold) as CEL values: objects become maps, numbers doubles. */
export function toCel(value: unknown): CelInput {
  return plain(value);
}
