import type { CompiledPolicy, CompiledStatement } from './compile.js';
import { strongest, type PrincipalMatch } from './match.js';
import { LazyContext, principalFacts, resourceAccountOf, type AuthorizationRequest, type PrincipalFacts, type RequestContext } from './request.js';

/**
 * AWS's policy evaluation logic ("Policy evaluation logic", "How AWS enforcement code logic evaluates
 * requests", "Cross-account policy evaluation logic", SCP and RCP evaluation), for one request:
 *
 * 1. An explicit Deny in any applicable policy decides (`explicit-deny`).
 * 2. RCPs, then SCPs: at every level of the chain (the root, each OU down, the account) some attached
 *    policy must allow; a level without an allowing statement denies (`implicit-deny`). FullAWSAccess /
 *    RCPFullAWSAccess are ordinary Allow-everything policies the caller attaches like AWS does.
 *    SCPs restrict the principals of member accounts: not the management account, not service-linked
 *    roles, not AWS service principals. RCPs restrict the resources of member accounts, for the
 *    services that support them (`RCP_SERVICES` by default), not for service-linked roles.
 * 3. Identity and resource-based policies. In one account either allowing is enough, with AWS's
 *    nuances: a resource policy naming the user or role session itself allows even when identity
 *    policies, the permissions boundary and session policies are silent; naming the role (or `*`)
 *    still needs the boundary and session policies to allow; naming the account delegates to the
 *    identity policies. Across accounts both the identity policy and the resource policy must allow.
 *    A permissions boundary or session policy, when present, must allow too. The root user needs no
 *    identity policy. An AWS service principal is allowed only by a resource-based policy.
 *
 * Leave `identity` out to ask only what the organisation's guardrails say (step 3 is then taken as
 * allowing): the impact replay does this, since a logged call was allowed by IAM when it happened.
 * With several resources, each is evaluated and the strictest answer is returned.
 */
export type EvaluationPolicies = {
  /** The SCPs of the principal's account, one list per level: the root, each OU down the chain, the account. */
  scps?: readonly (readonly CompiledPolicy[])[];
  /** The RCPs of the resource's account, one list per level like `scps`. */
  rcps?: readonly (readonly CompiledPolicy[])[];
  identity?: readonly CompiledPolicy[];
  resource?: readonly CompiledPolicy[];
  permissionsBoundary?: readonly CompiledPolicy[];
  sessionPolicies?: readonly CompiledPolicy[];
};

export type Stage = 'scp' | 'rcp' | 'resource' | 'identity' | 'permissions-boundary' | 'session' | 'organization';

export type DecisionReason = {
  stage: Stage;
  /** For SCPs and RCPs: the index of the level in the chain given (0 = the root). */
  level?: number;
  policy?: string;
  sid?: string;
  /** The statement's index in its policy. */
  statement?: number;
  message: string;
};

export type Decision = { decision: 'allow' | 'explicit-deny' | 'implicit-deny'; reason: DecisionReason };

export type EvaluateOptions = {
  /** The services whose resources RCPs restrict (IAM prefixes). */
  rcpServices?: ReadonlySet<string>;
};

/** The services RCPs applied to at launch: S3, STS, KMS, SQS and Secrets Manager. */
export const RCP_SERVICES: ReadonlySet<string> = new Set(['s3', 'sts', 'kms', 'sqs', 'secretsmanager']);

type Hit = { policy: CompiledPolicy; statement: CompiledStatement; match: PrincipalMatch };
type Scan = { deny?: Hit; allow?: Hit };
type Input = { action: string; resource: string; context: RequestContext; facts: PrincipalFacts };

/** Statements of some policies that apply to the request: the first Deny, and the strongest Allow. */
function scan(policies: readonly CompiledPolicy[], input: Input, bestAllow: boolean): Scan {
  let allow: Hit | undefined;
  for (const policy of policies) {
    for (const statement of policy.statementsFor(input.action)) {
      const isAllow = statement.effect === 'Allow';
      // One allow is enough unless a stronger principal match could change the outcome.
      if (isAllow && allow !== undefined && (!bestAllow || allow.match === 'exact')) continue;
      if (!statement.resource(input.resource, input.context)) continue;
      const match = statement.principal === undefined ? 'exact' : statement.principal(input.facts);
      if (match === 'none') continue;
      if (statement.condition !== undefined && !statement.condition(input.context)) continue;
      const hit = { policy, statement, match };
      if (!isAllow) return { deny: hit };
      allow = allow === undefined || strongest(allow.match, match) !== allow.match ? hit : allow;
    }
  }
  return allow === undefined ? {} : { allow };
}

export function evaluate(request: AuthorizationRequest, policies: EvaluationPolicies, options: EvaluateOptions = {}): Decision {
  const facts = principalFacts(request.principal);
  const action = request.action.toLowerCase();
  const resources = request.resources === undefined || request.resources.length === 0 ? ['*'] : request.resources;
  let strictest: Decision | undefined;
  for (const resource of resources) {
    const decision = evaluateOne(request, { action, resource, facts, context: new LazyContext(request, facts, resource) }, policies, options);
    if (decision.decision === 'explicit-deny') return decision;
    if (strictest === undefined || (decision.decision === 'implicit-deny' && strictest.decision === 'allow')) strictest = decision;
  }
  return strictest ?? { decision: 'implicit-deny', reason: { stage: 'identity', message: 'no resource' } };
}

const describe = (stage: Stage, hit: Hit, message: string, level?: number): DecisionReason => ({
  stage,
  ...(level === undefined ? {} : { level }),
  policy: hit.policy.name,
  ...(hit.statement.sid === undefined ? {} : { sid: hit.statement.sid }),
  statement: hit.statement.index,
  message,
});

function evaluateOne(request: AuthorizationRequest, input: Input, policies: EvaluationPolicies, options: EvaluateOptions): Decision {
  const { facts, resource } = input;
  const resourceAccount = resourceAccountOf(request, resource);
  const service = input.action.slice(0, input.action.indexOf(':'));
  const management = request.managementAccountId;
  const scpsApply = facts.type !== 'service' && !facts.serviceLinked && facts.accountId !== management;
  const rcpsApply = !facts.serviceLinked && resourceAccount !== management && (options.rcpServices ?? RCP_SERVICES).has(service);
  const explicit = (stage: Stage, hit: Hit, level?: number): Decision => ({
    decision: 'explicit-deny',
    reason: describe(stage, hit, `explicitly denied by ${hit.policy.name}`, level),
  });
  const implicit = (stage: Stage, message: string, level?: number): Decision => ({
    decision: 'implicit-deny',
    reason: { stage, ...(level === undefined ? {} : { level }), message },
  });

  // Explicit denies first, wherever they are; note the first level of each chain that allows nothing.
  const gaps: { rcp?: number; scp?: number } = {};
  for (const [stage, chain, applies] of [['rcp', policies.rcps, rcpsApply], ['scp', policies.scps, scpsApply]] as const) {
    if (!applies || chain === undefined) continue;
    for (let level = 0; level < chain.length; level++) {
      const found = scan(chain[level] ?? [], input, false);
      if (found.deny !== undefined) return explicit(stage, found.deny, level);
      if (found.allow === undefined) gaps[stage] ??= level;
    }
  }
  const scanned = (list: readonly CompiledPolicy[] | undefined, best = false): Scan | undefined => (list === undefined ? undefined : scan(list, input, best));
  const resourceScan = scanned(policies.resource, true);
  if (resourceScan?.deny !== undefined) return explicit('resource', resourceScan.deny);
  const identityScan = scanned(policies.identity);
  if (identityScan?.deny !== undefined) return explicit('identity', identityScan.deny);
  const boundaryScan = scanned(policies.permissionsBoundary);
  if (boundaryScan?.deny !== undefined) return explicit('permissions-boundary', boundaryScan.deny);
  const sessionScan = scanned(policies.sessionPolicies);
  if (sessionScan?.deny !== undefined) return explicit('session', sessionScan.deny);

  if (gaps.rcp !== undefined) return implicit('rcp', `no RCP attached at level ${gaps.rcp} allows ${request.action}`, gaps.rcp);
  if (gaps.scp !== undefined) return implicit('scp', `no SCP attached at level ${gaps.scp} allows ${request.action}`, gaps.scp);
  if (identityScan === undefined) {
    return { decision: 'allow', reason: { stage: 'organization', message: 'no guardrail denies and every level allows' } };
  }

  const allowed = (stage: Stage, hit: Hit): Decision => ({ decision: 'allow', reason: describe(stage, hit, `allowed by ${hit.policy.name}`) });
  const byResource = resourceScan?.allow;
  if (facts.type === 'service') {
    return byResource === undefined ? implicit('resource', 'an AWS service principal needs a resource-based policy that allows it') : allowed('resource', byResource);
  }
  const rootAllow = facts.type === 'root';
  const byIdentity = identityScan.allow;
  // The boundary and session policies limit what the principal's own permissions and role grants give.
  const limits = (): Decision | undefined => {
    if (!rootAllow && boundaryScan !== undefined && boundaryScan.allow === undefined) return implicit('permissions-boundary', 'the permissions boundary does not allow it');
    if (sessionScan !== undefined && sessionScan.allow === undefined) return implicit('session', 'the session policy does not allow it');
    return undefined;
  };
  const viaIdentity = (): Decision => {
    if (byIdentity === undefined && !rootAllow) return implicit('identity', 'no identity-based policy allows it');
    return limits() ?? (byIdentity === undefined ? { decision: 'allow', reason: { stage: 'identity', message: 'the root user needs no identity policy' } } : allowed('identity', byIdentity));
  };

  if (facts.accountId !== resourceAccount) {
    if (byResource === undefined) return implicit('resource', "a cross-account request needs the resource-based policy in the resource's account to allow it as well");
    return viaIdentity();
  }
  if (byResource !== undefined && byResource.match === 'exact') return allowed('resource', byResource);
  if (byResource !== undefined && (byResource.match === 'role' || byResource.match === 'any')) return limits() ?? allowed('resource', byResource);
  return viaIdentity();
}
