import type { Issue } from '../../domain/errors.js';
import { inCidr, parseAddress, parseCidr } from './ip.js';
import { globRegExp } from './match.js';
import type { ConditionBlock } from './policy-schema.js';
import type { RequestContext } from './request.js';
import { parseTemplate, resolveTemplate, unescapeGlob, type Template } from './variables.js';

/**
 * The Condition element, compiled once into closures, following AWS's "Condition operators" and
 * "Conditions with multiple context keys or values":
 * - operators AND together, keys under one operator AND together, values of one key OR together;
 *   a negated operator (StringNotEquals, NotIpAddress, ArnNotLike …) is true when the context value
 *   matches none of the values (NOR);
 * - a key absent from the request makes a positive operator false and a negated one true, except
 *   `…IfExists` (true when absent) and `Null` (tests presence);
 * - `ForAnyValue:` is true when some context value matches (false when the key is absent or empty),
 *   `ForAllValues:` when every context value matches (true when absent or empty); with a negated
 *   operator "matches" means "matches none of the policy values". Without a qualifier a
 *   multi-valued key behaves as ForAnyValue for positive operators and as "no value matches" for
 *   negated ones;
 * - a policy variable that does not resolve makes the statement not apply (the test is false).
 * An operator this evaluator does not know is a compile issue, never a silent false.
 */
export type ConditionTest = (context: RequestContext) => boolean;

type Path = (string | number)[];
type ValueTest = (value: string) => boolean;
/** Prepares the test of one context value for a request, or undefined when a variable does not resolve. */
type Prepared = (context: RequestContext) => ValueTest | undefined;
type Builder = (values: string[], at: Path, issues: Issue[]) => Prepared;
type Operator = { build: Builder; negated: boolean };

const fixed = (test: ValueTest): Prepared => () => test;

/** Values that may hold policy variables: resolved per request (and built once when they hold none). */
function templated(values: string[], make: (globs: string[]) => ValueTest): Prepared {
  const templates: Template[] = values.map((v) => parseTemplate(v));
  if (templates.every((t) => t.fixed !== undefined)) return fixed(make(templates.map((t) => t.fixed ?? '')));
  return (context) => {
    const globs: string[] = [];
    for (const t of templates) {
      const glob = resolveTemplate(t, context);
      if (glob === undefined) return undefined;
      globs.push(glob);
    }
    return make(globs);
  };
}

const equality = (fold: boolean): Builder => (values) =>
  templated(values, (globs) => {
    const set = new Set(globs.map((g) => (fold ? unescapeGlob(g).toLowerCase() : unescapeGlob(g))));
    return fold ? (v) => set.has(v.toLowerCase()) : (v) => set.has(v);
  });

const like = (mode: 'text' | 'arn'): Builder => (values) =>
  templated(values, (globs) => {
    const re = globRegExp(globs, mode);
    return (v) => re.test(v);
  });

const bool: Builder = (values, at, issues) => {
  values.forEach((v, i) => {
    if (!v.includes('${') && !/^(true|false)$/i.test(v)) issues.push({ path: [...at, i], message: `a Bool condition compares with true or false, not "${v}"` });
  });
  return templated(values, (globs) => {
    const set = new Set(globs.map((g) => unescapeGlob(g).toLowerCase()));
    return (v) => set.has(v.toLowerCase());
  });
};

const binary: Builder = (values) => {
  const set = new Set(values);
  return fixed((v) => set.has(v));
};

const toNumber = (text: string): number | undefined => {
  const n = text.trim() === '' ? NaN : Number(text);
  return Number.isFinite(n) ? n : undefined;
};

/** ISO 8601 (W3C profile) or epoch seconds, as AWS accepts for Date operators. */
export const toTime = (text: string): number | undefined => {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const ms = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/.test(trimmed) ? Date.parse(trimmed) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
};

type Compare = (request: number, policy: number) => boolean;
const same: Compare = (a, b) => a === b;
const COMPARE: [string, Compare][] = [
  ['equals', same],
  ['lessthan', (a, b) => a < b],
  ['lessthanequals', (a, b) => a <= b],
  ['greaterthan', (a, b) => a > b],
  ['greaterthanequals', (a, b) => a >= b],
];
const DATE = 'date (ISO 8601 or epoch seconds)';

const ordered = (parse: (text: string) => number | undefined, what: string, compare: Compare): Builder => (values, at, issues) => {
  const parsed: number[] = [];
  values.forEach((v, i) => {
    const n = parse(v);
    if (n === undefined) issues.push({ path: [...at, i], message: `"${v}" is not a ${what}` });
    else parsed.push(n);
  });
  return fixed((v) => {
    const n = parse(v);
    return n !== undefined && parsed.some((p) => compare(n, p));
  });
};

const ipAddress: Builder = (values, at, issues) => {
  const ranges = values.flatMap((v, i) => {
    const cidr = parseCidr(v);
    if (cidr === undefined) issues.push({ path: [...at, i], message: `"${v}" is not an IPv4 or IPv6 address or CIDR range` });
    return cidr === undefined ? [] : [cidr];
  });
  return fixed((v) => {
    const address = parseAddress(v);
    return address !== undefined && ranges.some((r) => inCidr(r, address));
  });
};

const OPERATORS = new Map<string, Operator>([
  ['stringequals', { build: equality(false), negated: false }],
  ['stringnotequals', { build: equality(false), negated: true }],
  ['stringequalsignorecase', { build: equality(true), negated: false }],
  ['stringnotequalsignorecase', { build: equality(true), negated: true }],
  ['stringlike', { build: like('text'), negated: false }],
  ['stringnotlike', { build: like('text'), negated: true }],
  ['numericnotequals', { build: ordered(toNumber, 'number', same), negated: true }],
  ['datenotequals', { build: ordered(toTime, DATE, same), negated: true }],
  ['bool', { build: bool, negated: false }],
  ['binaryequals', { build: binary, negated: false }],
  ['ipaddress', { build: ipAddress, negated: false }],
  ['notipaddress', { build: ipAddress, negated: true }],
  ['arnequals', { build: like('arn'), negated: false }],
  ['arnlike', { build: like('arn'), negated: false }],
  ['arnnotequals', { build: like('arn'), negated: true }],
  ['arnnotlike', { build: like('arn'), negated: true }],
]);
for (const [suffix, compare] of COMPARE) {
  OPERATORS.set(`numeric${suffix}`, { build: ordered(toNumber, 'number', compare), negated: false });
  OPERATORS.set(`date${suffix}`, { build: ordered(toTime, DATE, compare), negated: false });
}

/** Whether this evaluator knows an operator name (with its qualifier and IfExists). */
export const knowsOperator = (name: string): boolean => 'operator' in parseOperator(name);

type ParsedOperator = { operator: Operator | 'null'; qualifier: 'any' | 'all' | undefined; ifExists: boolean } | { unknown: string };

function parseOperator(name: string): ParsedOperator {
  let base = name.toLowerCase();
  let qualifier: 'any' | 'all' | undefined;
  if (base.startsWith('foranyvalue:')) qualifier = 'any';
  if (base.startsWith('forallvalues:')) qualifier = 'all';
  if (qualifier !== undefined) base = base.slice(base.indexOf(':') + 1);
  const ifExists = base.endsWith('ifexists') && base !== 'ifexists';
  if (ifExists) base = base.slice(0, -'ifexists'.length);
  if (base === 'null') return qualifier === undefined && !ifExists ? { operator: 'null', qualifier, ifExists } : { unknown: 'Null takes neither a set qualifier nor IfExists' };
  const operator = OPERATORS.get(base);
  return operator === undefined ? { unknown: `unknown condition operator "${name}"` } : { operator, qualifier, ifExists };
}

const asList = (value: ConditionBlock[string][string]): string[] => (Array.isArray(value) ? value : [value]).map((v) => String(v));

/** One key under one operator: the unit the Condition element ANDs together. */
export type ConditionPart = {
  /** The lower-cased context key it tests. */
  key: string;
  /** The lower-cased context keys its values' policy variables read. */
  variables: readonly string[];
  test: ConditionTest;
};

/** Compiles a Condition element into its parts (all must hold) and their conjunction. */
export function compileConditions(block: ConditionBlock, at: Path): { test: ConditionTest | undefined; parts: ConditionPart[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const parts: ConditionPart[] = [];
  for (const [name, entries] of Object.entries(block)) {
    const parsed = parseOperator(name);
    if ('unknown' in parsed) {
      issues.push({ path: [...at, name], message: parsed.unknown });
      continue;
    }
    for (const [rawKey, rawValues] of Object.entries(entries)) {
      const key = rawKey.toLowerCase();
      const values = asList(rawValues);
      const where = [...at, name, rawKey];
      if (parsed.operator === 'null') {
        values.forEach((v, i) => {
          if (!/^(true|false)$/i.test(v)) issues.push({ path: [...where, i], message: `a Null condition takes true or false, not "${v}"` });
        });
        parts.push({ key, variables: [], test: nullTest(key, values) });
        continue;
      }
      const variables = values.flatMap((v) => parseTemplate(v).keys);
      parts.push({ key, variables, test: keyTest(key, parsed.operator, parsed.qualifier, parsed.ifExists, parsed.operator.build(values, where, issues)) });
    }
  }
  const tests = parts.map((p) => p.test);
  const test: ConditionTest | undefined =
    tests.length === 0 ? undefined : tests.length === 1 ? tests[0] : (context) => tests.every((t) => t(context));
  return { test, parts, issues };
}

function nullTest(key: string, values: string[]): ConditionTest {
  const wantAbsent = values.map((v) => v.toLowerCase() === 'true');
  return (context) => {
    const present = (context.get(key)?.length ?? 0) > 0;
    return wantAbsent.some((absent) => absent !== present);
  };
}

function keyTest(key: string, operator: Operator, qualifier: 'any' | 'all' | undefined, ifExists: boolean, prepare: Prepared): ConditionTest {
  const { negated } = operator;
  const whenAbsent = ifExists || qualifier === 'all' || (qualifier === undefined && negated);
  return (context) => {
    const values = context.get(key);
    if (values === undefined || values.length === 0) return whenAbsent;
    const matches = prepare(context);
    if (matches === undefined) return false;
    if (qualifier === 'all') return negated ? values.every((v) => !matches(v)) : values.every(matches);
    if (qualifier === 'any') return negated ? values.some((v) => !matches(v)) : values.some(matches);
    return negated ? !values.some(matches) : values.some(matches);
  };
}
