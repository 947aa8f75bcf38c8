import { invalidState, notFound, validationFailed } from '../../domain/errors.js';
import { compilePolicy, compilePolicyJson, fullAwsAccess, type CompiledPolicy } from '../../guardrails/iam/compile.js';
import { principalAccountOf, resourceAccountOf } from '../../guardrails/iam/activity.js';
import { impactOfPages, type ChainLookup, type OrgPolicies } from '../../guardrails/iam/impact.js';
import type { OrganizationPolicyKind } from '../../guardrails/iam/policy-schema.js';
import { isManagedPolicy } from '../../guardrails/rollout/proposal.js';
import { findingsOf } from '../../guardrails/rollout/report.js';
import { proposalInAudit } from '../../guardrails/rollout/stage.js';
import type { ActivityEvent, OrganizationPolicy } from '../ports/cloud.js';
import type { StoredReport } from '../ports/rollout-store.js';
import type { GuardrailDeps, RolloutCloud } from './deps.js';
import { accountsUnder, attachedPolicies } from './org-tree.js';
import { locate, proposalFor, type TargetRef } from './rollouts.js';

/**
 * The impact report (issue 3 item 6): replay the provider's activity log over a window (by default the
 * last 30 days, whatever the audit's start: a report computed the moment an audit begins still measures
 * the activity the policies would meet), for the accounts of the target's whole subtree, against the
 * proposed policies layered on what is enforced today along each account's chain (the root, each OU,
 * the account), and count what the proposal would have denied that today's policies allow. The report
 * names the hash of the content it measured, its window and how many calls it replayed; only such a
 * report, computed in audit, allows enforcing that content (one that replayed nothing, only when the
 * operator accepts it). The log is read page by page into the replay, never whole.
 */

const DAY_MS = 86_400_000;
/** Without `since`, a report looks back this far (HATOBA_IMPACT_LOOKBACK_DAYS). */
export const DEFAULT_LOOKBACK_DAYS = 30;
/** Up to this many accounts, the log is read account by account rather than whole. */
const PER_ACCOUNT_READS = 25;
/** LookupEvents' largest page (MaxResults). */
const EVENTS_PER_PAGE = 50;

/** Compiled policies, shared by every level that has them attached. A policy the evaluator cannot read allows nothing. */
function compiler(kind: OrganizationPolicyKind) {
  const known = new Map<string, CompiledPolicy | null>();
  return (policy: Pick<OrganizationPolicy, 'id' | 'name' | 'content'>): CompiledPolicy | null => {
    const key = `${policy.id}\n${policy.content}`;
    const found = known.get(key);
    if (found !== undefined) return found;
    let document: unknown;
    try {
      document = JSON.parse(policy.content);
    } catch {
      document = undefined;
    }
    const result = compilePolicyJson(document, { kind, name: policy.name });
    const compiled = 'policy' in result ? result.policy : null;
    known.set(key, compiled);
    return compiled;
  };
}

type Level = { all: OrganizationPolicy[]; compiled: CompiledPolicy[] };

async function* pagesOf(cloud: RolloutCloud, filter: { accountId?: string; since: Date }): AsyncGenerator<ActivityEvent[]> {
  let token: string | undefined;
  do {
    const page = await cloud.lookupEvents({ ...filter, maxResults: EVENTS_PER_PAGE }, token);
    yield page.items;
    token = page.nextToken;
  } while (token !== undefined);
}

type ReadCount = { read: number; kept: number };

/**
 * The log since `since`, page by page, keeping the calls the policies of the kind judge in scope: an
 * SCP judges the caller's account, an RCP the account that owns the resource. Counts what it reads.
 */
async function* eventsInScope(
  cloud: RolloutCloud,
  since: Date,
  kind: OrganizationPolicyKind,
  accounts: ReadonlySet<string>,
  perAccountReads: number,
  count: ReadCount,
): AsyncGenerator<ActivityEvent[]> {
  const judged = kind === 'SCP' ? principalAccountOf : resourceAccountOf;
  const keep = (events: ActivityEvent[]): ActivityEvent[] => {
    const kept = events.filter((e) => accounts.has(judged(e)));
    count.kept += kept.length;
    return kept;
  };
  if (accounts.size === 0) return;
  if (accounts.size > perAccountReads) {
    for await (const page of pagesOf(cloud, { since })) {
      count.read += page.length;
      yield keep(page);
    }
    return;
  }
  for (const accountId of accounts) {
    for await (const page of pagesOf(cloud, { accountId, since })) {
      // An account's read also returns the calls about it recorded in another account's trail; when that
      // trail is in scope too, the call is taken from there, so no call is replayed twice.
      const own = page.filter((e) => e.recipientAccountId === accountId || !accounts.has(e.recipientAccountId));
      count.read += own.length;
      yield keep(own);
    }
  }
}

export async function computeImpact(deps: GuardrailDeps, input: TargetRef & { since?: Date | undefined; actor: string }): Promise<StoredReport> {
  const { tree, node, key, state } = await locate(deps, input);
  const proposal = await proposalFor(deps, node, input.kind, state.controls);
  if (proposal.policyHash === null) {
    throw invalidState('影響レポートの前に予防的コントロールを選んでください / select preventive controls before computing an impact report');
  }
  const now = deps.clock.now();
  const since = input.since ?? new Date(now.getTime() - (deps.impactLookbackDays ?? DEFAULT_LOOKBACK_DAYS) * DAY_MS);
  if (since > now) {
    throw validationFailed('再生の開始日時が未来です / since is in the future', [
      { path: ['since'], message: `${now.toISOString()} より後にはできません / must not be after ${now.toISOString()}` },
    ]);
  }

  const compile = compiler(input.kind);
  const levels = new Map<string, Level>();
  const levelOf = async (targetId: string): Promise<Level> => {
    const known = levels.get(targetId);
    if (known !== undefined) return known;
    const all = await attachedPolicies(deps.cloud, targetId, input.kind);
    const compiled = all.flatMap((p) => compile(p) ?? []);
    // The provider lists no RCPs: RCPFullAWSAccess is attached everywhere and cannot be detached.
    const level = { all, compiled: input.kind === 'RCP' ? [fullAwsAccess('RCP')] : compiled };
    levels.set(targetId, level);
    return level;
  };
  const generated = proposal.policies.flatMap((p) => {
    const result = compilePolicy(p.document, { kind: input.kind, name: p.name });
    return 'policy' in result ? [result.policy] : [];
  });

  const scope = await accountsUnder(deps.cloud, tree, node);
  // Accounts with the same chain and the same account-level policies share one chain array (and the replay's memo).
  const shared = new Map<string, { current: CompiledPolicy[][]; proposed: CompiledPolicy[][] }>();
  const byAccount = new Map<string, { current: CompiledPolicy[][]; proposed: CompiledPolicy[][] }>();
  for (const { account, chain } of scope) {
    if (account.id === deps.managementAccountId) continue;
    const current: CompiledPolicy[][] = [];
    const proposed: CompiledPolicy[][] = [];
    for (const targetId of chain) {
      const level = await levelOf(targetId);
      current.push(level.compiled);
      proposed.push(targetId === node.id ? [...level.compiled.filter((p) => !isManagedPolicy(p.name, node.id, input.kind)), ...generated] : level.compiled);
    }
    const signature = `${chain.slice(0, -1).join('/')}|${(await levelOf(account.id)).all.map((p) => p.id).join(',')}`;
    const chains = shared.get(signature) ?? { current, proposed };
    shared.set(signature, chains);
    byAccount.set(account.id, chains);
  }
  const lookup = (which: 'current' | 'proposed'): ChainLookup => (accountId) => {
    const chains = byAccount.get(accountId);
    if (chains === undefined) return undefined;
    const policies: OrgPolicies = input.kind === 'SCP' ? { scps: chains[which] } : { rcps: chains[which] };
    return policies;
  };

  const count: ReadCount = { read: 0, kept: 0 };
  const pages = eventsInScope(deps.cloud, since, input.kind, new Set(byAccount.keys()), deps.impactPerAccountReads ?? PER_ACCOUNT_READS, count);
  const replay = await impactOfPages({ proposed: lookup('proposed'), current: lookup('current') }, pages, {
    since,
    ...(deps.managementAccountId === undefined ? {} : { managementAccountId: deps.managementAccountId }),
  });
  const findings = findingsOf(replay, {
    accountsInScope: byAccount.size,
    policies: proposal.policies.map((p) => ({ name: p.name, size: p.size, controlIds: p.controlIds })),
  });
  findings.events = count.read;
  findings.skipped.outsideRollout += count.read - count.kept;
  const report: StoredReport = {
    ...key,
    id: deps.newReportId(),
    ouPath: node.path,
    stage: state.stage,
    inAudit: proposalInAudit(state, proposal.policyHash),
    policyHash: proposal.policyHash,
    controls: proposal.controls,
    since,
    until: now,
    computedAt: now,
    computedBy: input.actor,
    findings,
  };
  await deps.store.insertReport(report);
  return report;
}

export async function getImpact(deps: GuardrailDeps, input: TargetRef & { reportId: string }): Promise<StoredReport> {
  const { node, key } = await locate(deps, input);
  const report = await deps.store.getReport(input.reportId);
  if (report === undefined || report.provider !== key.provider || report.ouId !== key.ouId || report.kind !== key.kind) {
    throw notFound(`impact report of ${node.path} (${input.kind})`, input.reportId);
  }
  return report;
}
