import { notFound } from '../../domain/errors.js';
import type { OrganizationPolicyKind } from '../../guardrails/iam/policy-schema.js';
import { isManagedPolicy, propose, type Proposal } from '../../guardrails/rollout/proposal.js';
import { changeStage, initialRollout, selectControls, type RolloutStage, type RolloutState } from '../../guardrails/rollout/stage.js';
import type { RolloutChange, RolloutKey, StoredReport, StoredRollout } from '../ports/rollout-store.js';
import { ensureAttached, ensureDetached } from './converge.js';
import type { GuardrailDeps } from './deps.js';
import { attachedPolicies, readOrgTree, resolveTarget, type OrgTree, type OuNode } from './org-tree.js';

/** The rollout use cases: list targets, select controls, preview the policies, change the stage. */

export type TargetRef = { target: string; kind: OrganizationPolicyKind };

export type TargetView = RolloutKey & {
  ouPath: string;
  /** False when the rollout names an OU the provider no longer has. */
  exists: boolean;
  stage: RolloutStage;
  controls: string[];
  /** Enforcing one version while another (the selection) is in audit. */
  pendingInAudit: boolean;
  auditSince: Date | null;
  enforced: RolloutState['enforced'];
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
};

const viewOf = (key: RolloutKey, ouPath: string, stored: StoredRollout | undefined, exists = true): TargetView => {
  const state = stored?.state ?? initialRollout();
  return {
    ...key,
    ouPath: stored?.ouPath ?? ouPath,
    exists,
    stage: state.stage,
    controls: state.controls,
    pendingInAudit: state.stage === 'enforce' && state.auditSince !== null,
    auditSince: state.auditSince,
    enforced: state.enforced,
    version: stored?.version ?? 0,
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
  };
};

/** Every OU with its SCP rollout (and its RCP rollout when one was started), by path. */
export async function listTargets(deps: GuardrailDeps): Promise<TargetView[]> {
  const provider = deps.cloud.provider;
  const [tree, stored] = await Promise.all([readOrgTree(deps.cloud), deps.store.list(provider)]);
  const byKey = new Map(stored.map((r) => [`${r.ouId}/${r.kind}`, r]));
  const views: TargetView[] = [];
  for (const ou of tree.ous) {
    for (const kind of ['SCP', 'RCP'] as const) {
      const rollout = byKey.get(`${ou.id}/${kind}`);
      if (kind === 'SCP' || rollout !== undefined) views.push(viewOf({ provider, ouId: ou.id, kind }, ou.path, rollout));
      byKey.delete(`${ou.id}/${kind}`);
    }
  }
  for (const gone of byKey.values()) views.push(viewOf(gone, gone.ouPath, gone, false));
  return views;
}

export type Located = { tree: OrgTree; node: OuNode; key: RolloutKey; stored: StoredRollout | undefined; state: RolloutState };

export async function locate(deps: GuardrailDeps, ref: TargetRef): Promise<Located> {
  const tree = await readOrgTree(deps.cloud);
  const node = resolveTarget(tree, ref.target);
  const key = { provider: deps.cloud.provider, ouId: node.id, kind: ref.kind };
  const stored = await deps.store.get(key);
  return { tree, node, key, stored, state: stored?.state ?? initialRollout() };
}

/** The policies a selection generates on a target, counting the target's other policies of the kind against its five slots. */
export async function proposalFor(deps: GuardrailDeps, node: OuNode, kind: OrganizationPolicyKind, controls: readonly string[]): Promise<Proposal> {
  const attached = await attachedPolicies(deps.cloud, node.id, kind);
  // RCPFullAWSAccess always takes one RCP slot; the port does not list RCPs.
  const attachedCount = kind === 'SCP' ? attached.filter((p) => !isManagedPolicy(p.name, node.id, kind)).length : 1;
  return propose({ catalog: await deps.catalog(), target: { id: node.id, path: node.path }, kind, controls, attachedCount, vocabulary: await deps.vocabulary() });
}

export async function getTarget(deps: GuardrailDeps, ref: TargetRef): Promise<{ target: TargetView; history: RolloutChange[]; latestReport: StoredReport | undefined }> {
  const { node, key, stored } = await locate(deps, ref);
  const [history, latestReport] = await Promise.all([deps.store.history(key, 20), deps.store.latestReport(key)]);
  return { target: viewOf(key, node.path, stored), history, latestReport };
}

/** The selected controls' policies, sizes and lint warnings (refused with every problem when they cannot be generated). */
export async function previewTarget(deps: GuardrailDeps, ref: TargetRef & { controls?: readonly string[] | undefined }): Promise<{ target: TargetView; proposal: Proposal }> {
  const { node, key, stored, state } = await locate(deps, ref);
  return { target: viewOf(key, node.path, stored), proposal: await proposalFor(deps, node, ref.kind, ref.controls ?? state.controls) };
}

type Acting = { actor: string; reason?: string | undefined };

/**
 * Replaces the target's selection. The policies must generate and lint cleanly. Nothing is attached
 * or detached here: while enforcing, the enforced version stays and the new selection goes into audit.
 */
export async function selectTargetControls(deps: GuardrailDeps, input: TargetRef & Acting & { controls: readonly string[] }): Promise<{ target: TargetView; proposal: Proposal }> {
  const { node, key, stored, state } = await locate(deps, input);
  const proposal = await proposalFor(deps, node, input.kind, input.controls);
  const now = deps.clock.now();
  const next = selectControls(state, proposal.controls, proposal.policyHash, now);
  if (!next.changed) return { target: viewOf(key, node.path, stored), proposal };
  const saved = await deps.store.save({ ...key, ouPath: node.path, state: next.state, updatedAt: now, updatedBy: input.actor }, stored?.version ?? 0, {
    action: 'select',
    fromStage: state.stage,
    toStage: next.state.stage,
    controls: next.state.controls,
    policyHash: proposal.policyHash,
    reportId: null,
    actor: input.actor,
    reason: input.reason ?? null,
    at: now,
  });
  return { target: viewOf(key, node.path, saved), proposal };
}

/**
 * Moves the target to a stage (see guardrails/rollout/stage.ts for what is allowed), then converges
 * the provider: enforce attaches the generated policies, audit and off detach and delete them. The
 * provider is changed first and the record written after, so a failure leaves the old record and
 * asking again finishes the job; asking for the stage a target is already in repairs drift and records nothing.
 */
export async function setStage(
  deps: GuardrailDeps,
  input: TargetRef & Acting & { stage: RolloutStage; reportId?: string | undefined },
): Promise<{ target: TargetView; changed: boolean; policyIds: string[] }> {
  const { node, key, stored, state } = await locate(deps, input);
  const proposal = await proposalFor(deps, node, input.kind, state.controls);
  let report: StoredReport | undefined;
  if (input.reportId !== undefined) {
    report = await deps.store.getReport(input.reportId);
    if (report === undefined || report.provider !== key.provider || report.ouId !== key.ouId || report.kind !== key.kind) {
      throw notFound(`impact report of ${node.path} (${input.kind})`, input.reportId);
    }
  }
  const now = deps.clock.now();
  const next = changeStage(state, { to: input.stage, proposedHash: proposal.policyHash, report, now });
  let policyIds: string[] = [];
  if (next.state.stage === 'enforce') {
    // changeStage allows enforce only for the proposal: just promoted, or the very version enforced already.
    policyIds = await ensureAttached(deps.cloud, node.id, input.kind, proposal.policies);
  } else {
    await ensureDetached(deps.cloud, node.id, input.kind);
  }
  if (!next.changed) return { target: viewOf(key, node.path, stored), changed: false, policyIds };
  const saved = await deps.store.save({ ...key, ouPath: node.path, state: next.state, updatedAt: now, updatedBy: input.actor }, stored?.version ?? 0, {
    action: 'stage',
    fromStage: state.stage,
    toStage: next.state.stage,
    controls: next.state.controls,
    policyHash: proposal.policyHash,
    reportId: report?.id ?? null,
    actor: input.actor,
    reason: input.reason ?? null,
    at: now,
  });
  return { target: viewOf(key, node.path, saved), changed: true, policyIds };
}

