import { z } from 'zod';
import { CloudError, type CallerIdentity, type CallerType } from '../../app/ports/cloud.js';
import { compilePolicyJson, type CompiledPolicy } from '../../guardrails/iam/compile.js';
import { evaluate, type Decision } from '../../guardrails/iam/evaluate.js';
import type { AuthorizationRequest, ContextValue, PrincipalType } from '../../guardrails/iam/request.js';
import { materialize } from './accounts.js';
import { identityOf, roleOfSession } from './activity.js';
import { newEventId } from './ids.js';
import { seq, type TwinContext } from './organization.js';

/**
 * SCP enforcement on the twin's tenant activity: a call made by a principal inside a member account
 * is judged against the SCPs attached along its chain (the root, each OU down, the account) with the
 * product's own evaluator, and logged — allowed or denied — in CloudTrail's shape, so the impact
 * replay and tenants see it. The management account and service-linked roles are exempt, as on AWS.
 * A role session of IAM Identity Center is judged as its role with the role's reserved path
 * (aws:PrincipalArn), which is what the catalog's exemptions of the tenant Admin role name.
 *
 * Each account's compiled chain is cached. Triggers bump the organisation's policy epoch whenever a
 * policy, an attachment or an account's place changes (migration 006), so one primary-key read per
 * call tells every process whether its cache is still good; compiled policies are shared between
 * accounts, so a twin of thousands of accounts under a few OUs compiles a few policies.
 */

export type { CallerType };

export type SimulatedCall = {
  /** The member account the call is made in; its trail records the call. */
  accountId: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>`, an IAM user, the root user, or a service principal's name. */
  principal: CallerIdentity;
  /** `service:Action`, e.g. `ec2:RunInstances`. */
  action: string;
  /** The resource's ARN; logged in the event's `resources`, with the account that owns it. */
  resource?: string;
  /** The account that owns `resource` when its ARN does not say (an S3 bucket's); the call's account by default. */
  resourceAccountId?: string;
  /** CloudTrail's resource type (`AWS::CloudTrail::Trail`), when known. */
  resourceType?: string;
  region: string;
  /** Other request context keys (service keys, aws:MultiFactorAuthPresent …). */
  context?: Readonly<Record<string, ContextValue>>;
  requestParameters?: Record<string, unknown>;
  /** CloudTrail's readOnly; guessed from the action's verb when absent. */
  readOnly?: boolean;
  /** When the call happened; now by default. The demo uses it to lay down a history. */
  eventTime?: Date;
};

export type SimulatedCallResult = { eventId: string; decision: Decision['decision'] };

const PRINCIPAL_TYPE: Record<CallerType, PrincipalType> = {
  AssumedRole: 'assumed-role',
  IAMUser: 'user',
  Root: 'root',
  FederatedUser: 'federated-user',
  AWSService: 'service',
};

const ACTION = /^([a-z0-9-]+):([A-Za-z0-9]+)$/;
const READ_VERBS = /^(Get|List|Describe|Head|Lookup|Search|Batch(Get|Describe))/;
const CHAIN_CACHE_LIMIT = 50_000;

type Chain = readonly (readonly CompiledPolicy[])[];

const ChainRow = z.object({
  depth: seq,
  target_id: z.string(),
  policy_id: z.string().nullable(),
  name: z.string().nullable(),
  content: z.string().nullable(),
});

/**
 * How a call was made: `invokedBy` names the service that made it for the principal (aws:ViaAWSService);
 * `log: false` when the caller logs the call itself (a denial is still thrown).
 */
export type CallOptions = { invokedBy?: string; log?: false };

export type Enforcement = {
  simulateCall(call: SimulatedCall): Promise<SimulatedCallResult>;
  /** simulateCall for a call a service makes on the principal's behalf (Cloud Control's calls for a resource write). */
  authorize(call: SimulatedCall, options: CallOptions): Promise<{ eventId?: string; decision: Decision['decision'] }>;
};

export function createEnforcement(ctx: TwinContext): Enforcement {
  let cachedEpoch: number | undefined;
  const chains = new Map<string, Chain>();
  const compiled = new Map<string, CompiledPolicy | null>();

  async function currentEpoch(): Promise<number> {
    const row = (await ctx.db.query('SELECT epoch FROM twin_policy_epochs WHERE org_id = $1', [ctx.org.id]))[0];
    return row === undefined ? 0 : seq.parse(row.epoch);
  }

  /** A policy the twin stored but the evaluator cannot read allows nothing (AWS would have refused it on create). */
  function compile(policyId: string, name: string, content: string): CompiledPolicy | null {
    const key = `${policyId}\n${content}`;
    const known = compiled.get(key);
    if (known !== undefined) return known;
    let document: unknown;
    try {
      document = JSON.parse(content);
    } catch {
      document = undefined;
    }
    const result = compilePolicyJson(document, { kind: 'SCP', name });
    const policy = 'policy' in result ? result.policy : null;
    compiled.set(key, policy);
    return policy;
  }

  /** The SCPs of each level from the root down to the account, or undefined when the account does not exist. */
  async function loadChain(accountId: string): Promise<Chain | undefined> {
    const rows = (
      await ctx.db.query(
        `WITH RECURSIVE up (target_id, parent_id, depth) AS (
           SELECT id, parent_id, 0 FROM twin_accounts WHERE org_id = $1 AND id = $2
           UNION ALL
           SELECT o.id, o.parent_id, up.depth + 1 FROM up JOIN twin_ous o ON o.org_id = $1 AND o.id = up.parent_id
         ), chain AS (
           SELECT target_id, depth FROM up
           UNION ALL SELECT parent_id, depth + 1 FROM up WHERE parent_id = $3
         )
         SELECT chain.depth, chain.target_id, p.id AS policy_id, p.name, p.content
           FROM chain
           LEFT JOIN twin_policy_attachments att ON att.org_id = $1 AND att.target_id = chain.target_id
           LEFT JOIN twin_policies p ON p.org_id = att.org_id AND p.id = att.policy_id AND p.type = 'SERVICE_CONTROL_POLICY'
          ORDER BY chain.depth DESC, att.seq`,
        [ctx.org.id, accountId, ctx.org.rootId],
      )
    ).map((r) => ChainRow.parse(r));
    if (rows.length === 0) return undefined;
    const levels = new Map<number, CompiledPolicy[]>();
    for (const row of rows) {
      const level = levels.get(row.depth) ?? [];
      levels.set(row.depth, level);
      if (row.policy_id === null || row.name === null || row.content === null) continue;
      const policy = compile(row.policy_id, row.name, row.content);
      if (policy !== null) level.push(policy);
    }
    // The root has the greatest depth: levels run from it down to the account.
    return [...levels.keys()].sort((a, b) => b - a).map((depth) => levels.get(depth) ?? []);
  }

  async function chainOf(accountId: string, now: Date): Promise<Chain> {
    const epoch = await currentEpoch();
    if (epoch !== cachedEpoch || chains.size >= CHAIN_CACHE_LIMIT) {
      chains.clear();
      cachedEpoch = epoch;
    }
    const cached = chains.get(accountId);
    if (cached !== undefined) return cached;
    let chain = await loadChain(accountId);
    if (chain === undefined) {
      // A creation past its completion time may not be materialised yet.
      await materialize(ctx, now);
      chain = await loadChain(accountId);
    }
    if (chain === undefined) throw new CloudError('AccountNotFoundException', `You specified an account that doesn't exist: ${accountId}.`);
    chains.set(accountId, chain);
    return chain;
  }

  async function log(call: SimulatedCall, at: Date, readOnly: boolean, denial: CloudError | undefined, invokedBy: string | undefined): Promise<string> {
    const [, service, operation] = ACTION.exec(call.action) ?? [];
    const eventId = newEventId();
    const identity = identityOf(ctx.config, call.principal, accountOf(call.principal.arn) ?? call.accountId, invokedBy);
    const params = call.requestParameters ?? {};
    const owner = resourceOwner(call);
    // CloudTrail's shape: the resource in `resources` with its owner; the owner's trail can find the call too (subject).
    const resources = call.resource === undefined ? null : [{ ARN: call.resource, accountId: owner, ...(call.resourceType === undefined ? {} : { type: call.resourceType }) }];
    await ctx.db.query(
      `INSERT INTO twin_events (event_id, org_id, event_time, event_source, event_name, aws_region, read_only, user_identity,
         recipient_account_id, subject_account_id, request_parameters, response_elements, error_code, error_message, resources)
       VALUES ($1, $2, $3::timestamptz, $4, $5, $6, $7, $8::jsonb, $9, $13, $10::jsonb, NULL, $11, $12, $14::jsonb)`,
      [
        eventId,
        ctx.org.id,
        at.toISOString(),
        `${service}.amazonaws.com`,
        operation,
        call.region,
        readOnly,
        JSON.stringify(identity),
        call.accountId,
        Object.keys(params).length === 0 ? null : JSON.stringify(params),
        denial?.code ?? null,
        denial?.message ?? null,
        owner,
        resources === null ? null : JSON.stringify(resources),
      ],
    );
    return eventId;
  }

  /** The SCPs' decision on a call, and the error a denial throws. */
  async function decide(call: SimulatedCall, options: CallOptions): Promise<{ decision: Decision; denial: CloudError | undefined; at: Date }> {
    const now = ctx.clock.now();
    const at = call.eventTime ?? now;
    const problems = problemsOf(call);
    if (problems.length > 0) throw new CloudError('ValidationException', problems.join('; '));
    const roleArn = call.principal.type === 'AssumedRole' ? roleOfSession(call.principal.arn, ctx.config.homeRegion) : undefined;
    const request: AuthorizationRequest = {
      principal: {
        arn: call.principal.arn,
        accountId: accountOf(call.principal.arn) ?? call.accountId,
        type: PRINCIPAL_TYPE[call.principal.type],
        ...(roleArn === undefined ? {} : { roleArn }),
      },
      action: call.action,
      ...(call.resource === undefined ? {} : { resources: [call.resource], resourceAccount: resourceOwner(call) }),
      region: call.region,
      currentTime: at,
      ...(options.invokedBy === undefined ? {} : { viaAWSService: true }),
      managementAccountId: ctx.org.managementAccountId,
      ...(call.context === undefined ? {} : { context: call.context }),
    };
    // The management account is never restricted by SCPs: no chain to load.
    const decision: Decision =
      call.accountId === ctx.org.managementAccountId
        ? { decision: 'allow', reason: { stage: 'organization', message: 'the management account is not restricted by SCPs' } }
        : evaluate(request, { scps: await chainOf(call.accountId, now) });
    return { decision, denial: decision.decision === 'allow' ? undefined : accessDenied(call, decision), at };
  }

  const readOnlyOf = (call: SimulatedCall): boolean => call.readOnly ?? READ_VERBS.test(call.action.slice(call.action.indexOf(':') + 1));

  return {
    async simulateCall(call) {
      const { decision, denial, at } = await decide(call, {});
      const eventId = await log(call, at, readOnlyOf(call), denial, undefined);
      if (denial !== undefined) throw denial;
      return { eventId, decision: decision.decision };
    },
    async authorize(call, options) {
      const { decision, denial, at } = await decide(call, options);
      const eventId = options.log === false ? undefined : await log(call, at, readOnlyOf(call), denial, options.invokedBy);
      if (denial !== undefined) throw denial;
      return { ...(eventId === undefined ? {} : { eventId }), decision: decision.decision };
    },
  };
}

const accountOf = (arn: string): string | undefined => {
  const account = arn.split(':', 5)[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
};

/** The account that owns the call's resource: named, else the one in its ARN, else the account the call is made in. */
const resourceOwner = (call: SimulatedCall): string =>
  call.resourceAccountId ?? (call.resource === undefined ? undefined : accountOf(call.resource)) ?? call.accountId;

function problemsOf(call: SimulatedCall): string[] {
  const problems: string[] = [];
  if (!/^\d{12}$/.test(call.accountId)) problems.push(`accountId "${call.accountId}" is not a 12-digit account id`);
  if (!ACTION.test(call.action)) problems.push(`action "${call.action}" is not of the form service:Action`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(call.region)) problems.push(`region "${call.region}" is not a region name`);
  if (call.resourceAccountId !== undefined && !/^\d{12}$/.test(call.resourceAccountId)) problems.push(`resourceAccountId "${call.resourceAccountId}" is not a 12-digit account id`);
  const principalAccount = accountOf(call.principal.arn);
  if (call.principal.type !== 'AWSService' && principalAccount !== undefined && principalAccount !== call.accountId) {
    problems.push(`the principal ${call.principal.arn} is not in account ${call.accountId}`);
  }
  return problems;
}

/** AWS's wording, which names the kind of policy that denied the call (and here, the policy). */
function accessDenied(call: SimulatedCall, decision: Decision): CloudError {
  const on = call.resource === undefined ? '' : ` on resource: ${call.resource}`;
  const why =
    decision.decision === 'explicit-deny'
      ? `with an explicit deny in a service control policy${decision.reason.policy === undefined ? '' : ` (${decision.reason.policy})`}`
      : `because no service control policy allows the ${call.action} action`;
  return new CloudError('AccessDeniedException', `User: ${call.principal.arn} is not authorized to perform: ${call.action}${on} ${why}`, { reason: 'SERVICE_CONTROL_POLICY' });
}
