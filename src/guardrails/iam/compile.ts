import type { Issue } from '../../domain/errors.js';
import { compileConditions, type ConditionPart, type ConditionTest } from './conditions.js';
import { actionMatcher, globRegExp, matchPrincipal, type PrincipalEntry, type PrincipalMatch } from './match.js';
import { PolicyDocument, type OrganizationPolicyKind, type PolicyStatement } from './policy-schema.js';
import type { PrincipalFacts, RequestContext } from './request.js';
import { parseTemplate, resolveTemplate } from './variables.js';

/**
 * A policy compiled once into closures and regular expressions, so that evaluating a request parses
 * nothing. The statements that can apply to an action are looked up once per action and kept.
 */
export type PolicyKind = OrganizationPolicyKind | 'identity' | 'resource' | 'permissions-boundary' | 'session';

export type CompiledStatement = {
  index: number;
  sid: string | undefined;
  effect: 'Allow' | 'Deny';
  /** Resource / NotResource against one resource ARN; true when the statement has neither. */
  resource: (arn: string, context: RequestContext) => boolean;
  /** Principal / NotPrincipal; undefined when the statement has neither (identity policies, SCPs). */
  principal: ((facts: PrincipalFacts) => PrincipalMatch) | undefined;
  condition: ConditionTest | undefined;
  /** The condition's parts, for memo keys that evaluate some of them on their own. */
  conditionParts: readonly ConditionPart[];
  /** The lower-cased context keys the Resource element's policy variables read. */
  resourceVariables: readonly string[];
};

/** What can change a policy's answer besides the action: for memo keys. */
export type PolicyReads = {
  /** Lower-cased context keys read by conditions and policy variables. */
  keys: ReadonlySet<string>;
  /** Whether a statement has Principal or NotPrincipal. */
  principal: boolean;
  /** Whether a statement names resources other than `*`. */
  resource: boolean;
};

export type CompiledPolicy = {
  name: string;
  kind: PolicyKind;
  statements: readonly CompiledStatement[];
  /** The statements whose Action / NotAction covers an action (lower-cased). */
  statementsFor: (action: string) => readonly CompiledStatement[];
  reads: PolicyReads;
};

export type PolicyMeta = { kind: PolicyKind; name: string };
type Path = (string | number)[];

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const ACTION_CACHE_LIMIT = 10_000;

/** Compiles a parsed policy document; every problem is reported with its path under `at`. */
export function compilePolicy(document: PolicyDocument, meta: PolicyMeta, at: Path = []): { policy: CompiledPolicy } | { issues: Issue[] } {
  const issues: Issue[] = [];
  const keys = new Set<string>();
  let readsPrincipal = false;
  let readsResource = false;
  const statements = (Array.isArray(document.Statement) ? document.Statement : [document.Statement]).map((statement, index) => {
    const where = Array.isArray(document.Statement) ? [...at, 'Statement', index] : [...at, 'Statement'];
    const actionTest = actionMatcher(list(statement.Action ?? statement.NotAction));
    const resource = compileResource(statement);
    const principal = compilePrincipal(statement, meta.kind, where, issues);
    const condition = statement.Condition === undefined ? undefined : compileConditions(statement.Condition, [...where, 'Condition']);
    if (condition !== undefined) issues.push(...condition.issues);
    for (const part of condition?.parts ?? []) for (const key of [part.key, ...part.variables]) keys.add(key);
    for (const key of resource.keys) keys.add(key);
    readsPrincipal ||= principal !== undefined;
    readsResource ||= resource.specific;
    const compiled: CompiledStatement = {
      index,
      sid: statement.Sid,
      effect: statement.Effect,
      resource: resource.test,
      principal,
      condition: condition?.test,
      conditionParts: condition?.parts ?? [],
      resourceVariables: resource.keys,
    };
    return { compiled, covers: statement.Action !== undefined ? actionTest : (action: string) => !actionTest(action) };
  });
  if (issues.length > 0) return { issues };
  const byAction = new Map<string, readonly CompiledStatement[]>();
  return {
    policy: {
      name: meta.name,
      kind: meta.kind,
      statements: statements.map((s) => s.compiled),
      statementsFor(action) {
        let found = byAction.get(action);
        if (found === undefined) {
          found = statements.filter((s) => s.covers(action)).map((s) => s.compiled);
          if (byAction.size >= ACTION_CACHE_LIMIT) byAction.clear();
          byAction.set(action, found);
        }
        return found;
      },
      reads: { keys, principal: readsPrincipal, resource: readsResource },
    },
  };
}

/** Parses (with the shared policy schema) and compiles a policy given as JSON data. */
export function compilePolicyJson(input: unknown, meta: PolicyMeta, at: Path = []): { policy: CompiledPolicy } | { issues: Issue[] } {
  const parsed = PolicyDocument.safeParse(input);
  if (!parsed.success) return { issues: parsed.error.issues.map((i) => ({ path: [...at, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: i.message })) };
  return compilePolicy(parsed.data, meta, at);
}

function compileResource(statement: PolicyStatement): { test: CompiledStatement['resource']; keys: string[]; specific: boolean } {
  const negate = statement.Resource === undefined && statement.NotResource !== undefined;
  const patterns = list(statement.Resource ?? statement.NotResource);
  if (patterns.length === 0) return { test: () => true, keys: [], specific: false };
  const templates = patterns.map((p) => parseTemplate(p));
  const keys = templates.flatMap((t) => t.keys);
  const specific = negate || patterns.some((p) => p !== '*');
  const fixedGlobs = templates.map((t) => t.fixed);
  if (fixedGlobs.every((g): g is string => g !== undefined)) {
    if (fixedGlobs.includes('*')) return { test: () => !negate, keys, specific };
    const re = globRegExp(fixedGlobs, 'arn');
    return { test: (arn) => re.test(arn) !== negate, keys, specific };
  }
  return {
    keys,
    specific,
    test(arn, context) {
      const globs: string[] = [];
      for (const t of templates) {
        const glob = resolveTemplate(t, context);
        // A variable that does not resolve invalidates the statement, whichever element it is in.
        if (glob === undefined) return false;
        globs.push(glob);
      }
      return globRegExp(globs, 'arn').test(arn) !== negate;
    },
  };
}

const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;

function principalEntries(block: NonNullable<PolicyStatement['Principal']>): PrincipalEntry[] {
  if (block === '*') return [{ type: '*', value: '*' }];
  return PRINCIPAL_TYPES.flatMap((type) => list(block[type]).map((value) => ({ type, value })));
}

function compilePrincipal(statement: PolicyStatement, kind: PolicyKind, at: Path, issues: Issue[]): CompiledStatement['principal'] {
  const negate = statement.Principal === undefined && statement.NotPrincipal !== undefined;
  const block = statement.Principal ?? statement.NotPrincipal;
  const element = negate ? 'NotPrincipal' : 'Principal';
  if (kind !== 'resource' && kind !== 'RCP') {
    if (block !== undefined) issues.push({ path: [...at, element], message: `a ${kind} policy has no ${element}: it applies to the principals it is attached to` });
    return undefined;
  }
  if (block === undefined) {
    issues.push({ path: at, message: `a ${kind === 'RCP' ? 'resource control' : 'resource-based'} policy statement names its principals (Principal or NotPrincipal)` });
    return undefined;
  }
  const entries = principalEntries(block);
  if (kind === 'RCP' && (negate || entries.some((e) => e.value !== '*'))) {
    issues.push({ path: [...at, element], message: 'an RCP statement has "Principal": "*" (limit principals with conditions instead)' });
  }
  entries.forEach((e) => {
    if (e.value !== '*' && /[*?]/.test(e.value)) issues.push({ path: [...at, element, e.type], message: `a principal cannot be a wildcard pattern: "${e.value}"` });
  });
  if (!negate) return (facts) => matchPrincipal(entries, facts);
  return (facts) => (exemptedBy(matchPrincipal(entries, facts)) ? 'none' : 'any');
}

/**
 * Whether NotPrincipal leaves out a caller it names this way. A role ARN does not leave out the role's
 * sessions: AWS judges an assumed-role caller by its session ARN, which NotPrincipal must list as well
 * (IAM User Guide, "AWS JSON policy elements: NotPrincipal").
 */
const exemptedBy = (match: PrincipalMatch): boolean => match !== 'none' && match !== 'role';

/** The AWS-managed policies that let everything through a level: FullAWSAccess (SCP) and RCPFullAWSAccess. */
export function fullAwsAccess(kind: OrganizationPolicyKind): CompiledPolicy {
  const document: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', ...(kind === 'RCP' ? { Principal: '*' } : {}) }],
  };
  const compiled = compilePolicy(document, { kind, name: kind === 'RCP' ? 'RCPFullAWSAccess' : 'FullAWSAccess' });
  if ('issues' in compiled) throw new Error('FullAWSAccess does not compile');
  return compiled.policy;
}
