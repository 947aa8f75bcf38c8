import type { CompiledPolicy, CompiledStatement, PolicyReads } from './compile.js';
import type { ConditionTest } from './conditions.js';
import { evaluate, type Decision, type EvaluateOptions, type EvaluationPolicies } from './evaluate.js';
import type { PrincipalMatch } from './match.js';
import { isPrincipalKey, LazyContext, principalFacts, resourceAccountOf, type AuthorizationRequest, type ContextValue, type PrincipalFacts, type RequestPrincipal } from './request.js';

/**
 * Memoising decisions. Two requests get the same key whenever the policies cannot tell them apart:
 * - always the action and what the evaluation order depends on (principal type, service-linked,
 *   management account, same or cross account);
 * - the caller as the policies see it: the answers of the conditions that read only the caller
 *   (`aws:PrincipalArn`, `aws:PrincipalTag/…`) and of the Principal elements, worked out once per
 *   caller. Fifty roles in two hundred accounts that an `ArnNotLike …role/Admin` tells apart make
 *   two callers, not ten thousand. (When a policy variable mixes the caller into another test, the
 *   caller's own fields go in the key instead.)
 * - the region, the resources, the time … only when some statement reads them.
 * A replay of a million calls made of a few thousand kinds of request evaluates each kind once.
 */

export function readsOf(policies: EvaluationPolicies): PolicyReads {
  const all = policiesOf(policies);
  const keys = new Set<string>();
  for (const policy of all) for (const key of policy.reads.keys) keys.add(key);
  return { keys, principal: all.some((p) => p.reads.principal), resource: all.some((p) => p.reads.resource) };
}

const policiesOf = (policies: EvaluationPolicies): CompiledPolicy[] => [
  ...(policies.scps ?? []).flat(),
  ...(policies.rcps ?? []).flat(),
  ...(policies.identity ?? []),
  ...(policies.resource ?? []),
  ...(policies.permissionsBoundary ?? []),
  ...(policies.sessionPolicies ?? []),
];

const SEP = '\u0001';
const MATCH_CODE: Record<PrincipalMatch, string> = { none: '0', account: '1', any: '2', role: '3', exact: '4' };

/** What a request's memo key must hold for some policies, worked out once. */
type Projection = {
  /** Conditions on the caller alone, and Principal elements: answered once per caller. */
  callerTests: ConditionTest[];
  callerElements: ((facts: PrincipalFacts) => PrincipalMatch)[];
  /** A policy variable mixes the caller into another test: key on the caller's fields themselves. */
  rawCaller: boolean;
  /** The other context keys read. */
  keys: ReadonlySet<string>;
  resource: boolean;
};

function projectionOf(policies: EvaluationPolicies): Projection {
  const statements: CompiledStatement[] = policiesOf(policies).flatMap((p) => [...p.statements]);
  const parts = statements.flatMap((s) => [...s.conditionParts]);
  const rawCaller =
    statements.some((s) => s.resourceVariables.some(isPrincipalKey)) ||
    parts.some((p) => p.variables.some(isPrincipalKey) || (isPrincipalKey(p.key) && p.variables.length > 0));
  const keys = new Set<string>();
  for (const p of parts) for (const key of [p.key, ...p.variables]) if (!isPrincipalKey(key)) keys.add(key);
  for (const s of statements) for (const key of s.resourceVariables) if (!isPrincipalKey(key)) keys.add(key);
  return {
    callerTests: parts.filter((p) => isPrincipalKey(p.key) && p.variables.length === 0).map((p) => p.test),
    callerElements: statements.flatMap((s) => (s.principal === undefined ? [] : [s.principal])),
    rawCaller,
    keys,
    resource: policiesOf(policies).some((p) => p.reads.resource),
  };
}

const callerEntries = (context: Readonly<Record<string, ContextValue>> | undefined): Record<string, ContextValue> | undefined => {
  if (context === undefined) return undefined;
  const entries = Object.entries(context).filter(([k]) => isPrincipalKey(k.toLowerCase()));
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
};

/**
 * The memo key of a request in three parts: how the policies see the caller, the action, and the
 * rest. The first two are strings seen before (so Maps hash them once), the last is short.
 */
export type MemoKeyer = {
  caller: (request: AuthorizationRequest) => string;
  action: (request: AuthorizationRequest) => string;
  rest: (request: AuthorizationRequest) => string;
};

/** The memo key of a request for some policies. */
export function decisionKeyer(policies: EvaluationPolicies): MemoKeyer {
  const projection = projectionOf(policies);
  const has = (...keys: string[]): boolean => keys.some((k) => projection.keys.has(k));
  const resourceAccount = has('aws:resourceaccount');
  const region = has('aws:requestedregion');
  const time = has('aws:currenttime', 'aws:epochtime');
  const transport = has('aws:securetransport');
  const via = has('aws:viaawsservice');
  const ip = has('aws:sourceip');
  const resourceTags = [...projection.keys].some((k) => k.startsWith('aws:resourcetag/'));

  /** How the policies see a caller: its type, service-linked or not, management account or not, and its answers. */
  const callerKey = (principal: RequestPrincipal, management: string | undefined, overrides: Record<string, ContextValue> | undefined): string => {
    const facts = principalFacts(principal);
    const context = new LazyContext({ principal, action: '', region: '', ...(overrides === undefined ? {} : { context: overrides }) }, facts, '*');
    let key = `${facts.type}${SEP}${facts.serviceLinked ? 1 : 0}${principal.accountId === management ? 1 : 0}${SEP}`;
    for (const test of projection.callerTests) key += test(context) ? 'T' : 'F';
    for (const element of projection.callerElements) key += MATCH_CODE[element(facts)];
    if (projection.rawCaller) key += `${SEP}${principal.arn}${SEP}${principal.roleArn ?? ''}${SEP}${principal.orgId ?? ''}${SEP}${JSON.stringify(principal.tags ?? {})}`;
    return key;
  };
  const byObject = new WeakMap<RequestPrincipal, { management: string | undefined; key: string }>();
  const byFields = new Map<string, string>();
  const caller = (request: AuthorizationRequest): string => {
    const { principal, managementAccountId: management } = request;
    const overrides = callerEntries(request.context);
    if (overrides !== undefined) return callerKey(principal, management, overrides);
    const known = byObject.get(principal);
    if (known !== undefined && known.management === management) return known.key;
    const fields = [principal.arn, principal.type, principal.accountId, principal.roleArn, principal.orgId, principal.serviceLinked, principal.tags, management];
    const id = JSON.stringify(fields);
    let key = byFields.get(id);
    if (key === undefined) {
      key = callerKey(principal, management, undefined);
      if (byFields.size >= 100_000) byFields.clear();
      byFields.set(id, key);
    }
    byObject.set(principal, { management, key });
    return key;
  };
  const lowered = new Map<string, string>();

  const action = (request: AuthorizationRequest): string => {
    let lower = lowered.get(request.action);
    if (lower === undefined) {
      lower = request.action.toLowerCase();
      if (lowered.size >= 100_000) lowered.clear();
      lowered.set(request.action, lower);
    }
    return lower;
  };
  const rest = (request: AuthorizationRequest): string => {
    const { principal } = request;
    const management = request.managementAccountId;
    let key = '';
    const resources = request.resources === undefined || request.resources.length === 0 ? ['*'] : request.resources;
    for (const resource of resources) {
      const account = resourceAccountOf(request, resource);
      key += `${account === principal.accountId ? 1 : 0}${account === management ? 1 : 0}${resourceAccount ? account : ''}${projection.resource ? resource : ''}${SEP}`;
    }
    if (region) key += request.region;
    if (time) key += SEP + String(request.currentTime?.getTime());
    if (transport) key += SEP + String(request.secureTransport);
    if (via) key += SEP + String(request.viaAWSService);
    if (ip) key += SEP + String(request.sourceIp);
    if (resourceTags) key += SEP + JSON.stringify(request.resourceTags ?? {});
    if (request.context !== undefined) {
      for (const [name, value] of Object.entries(request.context)) {
        if (projection.keys.has(name.toLowerCase())) key += `${SEP}${name.toLowerCase()}=${JSON.stringify(value)}`;
      }
    }
    return key;
  };
  return { caller, action, rest };
}

export type MemoStats = { hits: number; misses: number };

/**
 * `evaluate` with decisions kept per memo key (at most `limit` of them; the memo starts over when
 * full). `stats` counts hits and misses.
 */
export function memoisedEvaluator(
  policies: EvaluationPolicies,
  options: EvaluateOptions & { limit?: number; stats?: MemoStats } = {},
): { evaluate: (request: AuthorizationRequest) => Decision; stats: MemoStats } {
  const keyOf = decisionKeyer(policies);
  let memo = new Map<string, Map<string, Map<string, Decision>>>();
  let size = 0;
  const limit = options.limit ?? 1_000_000;
  const stats: MemoStats = options.stats ?? { hits: 0, misses: 0 };
  return {
    stats,
    evaluate(request) {
      const caller = keyOf.caller(request);
      let byAction = memo.get(caller);
      if (byAction === undefined) memo.set(caller, (byAction = new Map()));
      const action = keyOf.action(request);
      let byRest = byAction.get(action);
      if (byRest === undefined) byAction.set(action, (byRest = new Map()));
      const rest = keyOf.rest(request);
      const known = byRest.get(rest);
      if (known !== undefined) {
        stats.hits++;
        return known;
      }
      stats.misses++;
      const decision = evaluate(request, policies, options);
      if (++size > limit) {
        memo = new Map();
        size = 0;
      }
      byRest.set(rest, decision);
      return decision;
    },
  };
}
