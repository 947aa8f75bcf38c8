import { invalidState, notFound, validationFailed } from '../../domain/errors.js';
import { compilePolicy, compilePolicyJson, fullAwsAccess, type CompiledPolicy } from '../../guardrails/iam/compile.js';
import { impactOf, type ChainLookup, type OrgPolicies } from '../../guardrails/iam/impact.js';
import type { OrganizationPolicyKind } from '../../guardrails/iam/policy-schema.js';
import { isManagedPolicy } from '../../guardrails/rollout/proposal.js';
import { findingsOf } from '../../guardrails/rollout/report.js';
import { proposalInAudit } from '../../guardrails/rollout/stage.js';
import type { ActivityEvent, OrganizationPolicy } from '../ports/cloud.js';
import type { StoredReport } from '../ports/rollout-store.js';
import type { GuardrailDeps, RolloutCloud } from './deps.js';
import { accountsUnder, allPages, attachedPolicies } from './org-tree.js';
import { locate, proposalFor, type TargetRef } from './rollouts.js';

/**
 * The impact report (issue 3 item 6): replay the provider's activity log since a date, for the
 * accounts of the target's whole subtree, against the proposed policies layered on what is enforced
 * today along each account's chain (the root, each OU, the account), and count what the proposal would
 * have denied that today's policies allow. The report names the hash of the content it measured; only
 * such a report, computed in audit, allows enforcing that content.
 */

const DAY_MS = 86_400_000;
/** Without an audit in progress and without `since`, a report looks back this far. */
export const DEFAULT_LOOKBACK_DAYS = 30;
/** Up to this many accounts, the log is read account by account rather than whole. */
const PER_ACCOUNT_READS = 25;

const newReportId = (): string => {
  const time = Date.now().toString(16).padStart(12, '0');
  const random = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
  return `rpt_${time}${random}`;
};

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

/** Reads the log since `since` and keeps the calls made by principals of the accounts in scope. */
async function readEvents(cloud: RolloutCloud, since: Date, accounts: ReadonlySet<string>): Promise<{ events: ActivityEvent[]; read: number }> {
  const inScope = (e: ActivityEvent) => accounts.has(e.userIdentity.accountId || e.recipientAccountId);
  if (accounts.size === 0) return { events: [], read: 0 };
  if (accounts.size > PER_ACCOUNT_READS) {
    const all = await allPages((t) => cloud.lookupEvents({ since }, t));
    return { events: all.filter(inScope), read: all.length };
  }
  const seen = new Map<string, ActivityEvent>();
  let read = 0;
  for (const accountId of accounts) {
    const page = await allPages((t) => cloud.lookupEvents({ accountId, since }, t));
    read += page.length;
    for (const event of page) if (inScope(event)) seen.set(event.eventId, event);
  }
  return { events: [...seen.values()], read };
}

export async function computeImpact(deps: GuardrailDeps, input: TargetRef & { since?: Date | undefined; actor: string }): Promise<StoredReport> {
  const { tree, node, key, state } = await locate(deps, input);
  const proposal = await proposalFor(deps, node, input.kind, state.controls);
  if (proposal.policyHash === null) {
    throw invalidState('影響レポートの前に予防的コントロールを選んでください / select preventive controls before computing an impact report');
  }
  const now = deps.clock.now();
  const since = input.since ?? state.auditSince ?? new Date(now.getTime() - DEFAULT_LOOKBACK_DAYS * DAY_MS);
  if (since > now) throw validationFailed('since is in the future', [{ path: ['since'], message: `must not be after ${now.toISOString()}` }]);

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

  const { events, read } = await readEvents(deps.cloud, since, new Set(byAccount.keys()));
  const replay = impactOf({ proposed: lookup('proposed'), current: lookup('current') }, events, {
    since,
    ...(deps.managementAccountId === undefined ? {} : { managementAccountId: deps.managementAccountId }),
  });
  const findings = findingsOf(replay, {
    accountsInScope: byAccount.size,
    policies: proposal.policies.map((p) => ({ name: p.name, size: p.size, controlIds: p.controlIds })),
  });
  findings.events = read;
  findings.skipped.outsideRollout += read - events.length;
  const report: StoredReport = {
    ...key,
    id: (deps.newReportId ?? newReportId)(),
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
