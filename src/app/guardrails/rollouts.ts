import { conflict, invalidState, notFound, validationFailed } from '../../domain/errors.js';
import type { OrganizationPolicyKind } from '../../guardrails/iam/policy-schema.js';
import { isManagedPolicy, propose, type Proposal } from '../../guardrails/rollout/proposal.js';
import { changeStage, initialRollout, selectControls, type ReportEvidence, type RolloutStage, type RolloutState } from '../../guardrails/rollout/stage.js';
import type { RolloutChange, RolloutKey, StoredReport, StoredRollout } from '../ports/rollout-store.js';
import { ensureAttached, ensureDetached, supported } from './converge.js';
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
  /** False while (or when) a stage change has not reached the provider yet: repeating the stage request finishes it. */
  converged: boolean;
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
    converged: stored?.converged ?? true,
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
    acceptedEmptyReport: false,
    actor: input.actor,
    reason: input.reason ?? null,
    at: now,
  });
  return { target: viewOf(key, node.path, saved), proposal };
}

/** How many times a stage change follows the record when others change it meanwhile, before giving up. */
const CONVERGE_ROUNDS = 5;

const evidenceOf = (report: StoredReport): ReportEvidence => ({ ...report, replayed: report.findings.replayed });

/**
 * Moves the target to a stage (see guardrails/rollout/stage.ts for what is allowed), then converges
 * the provider: enforce attaches the generated policies, audit and off detach and delete them.
 *
 * The record is claimed first: the new stage is written at the version read, unconverged, so a
 * concurrent change (a selection, another stage request) either lost before the provider is touched
 * or wins and makes this one a conflict. Then the provider is converged to the record and the record
 * marked converged at its version; when it changed meanwhile, the provider follows what it says now.
 * A failure on the provider leaves the record unconverged, and asking for the same stage again (which
 * records nothing) finishes the job; so does it repair drift.
 */
export async function setStage(
  deps: GuardrailDeps,
  input: TargetRef & Acting & { stage: RolloutStage; reportId?: string | undefined; acceptEmptyReport?: boolean | undefined },
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
  if (input.acceptEmptyReport === true && (input.reason ?? '').trim() === '') {
    throw validationFailed('空のレポートで適用する理由を書いてください / say why enforcing on an empty report is acceptable', [
      { path: ['reason'], message: '理由が必要です / a reason is required with acceptEmptyReport' },
    ]);
  }
  const now = deps.clock.now();
  const next = changeStage(state, { to: input.stage, proposedHash: proposal.policyHash, report: report === undefined ? undefined : evidenceOf(report), acceptEmptyReport: input.acceptEmptyReport, now });
  if (next.state.stage === 'enforce') supported(input.kind);
  let rollout = stored;
  if (next.changed) {
    const change: RolloutChange = {
      action: 'stage',
      fromStage: state.stage,
      toStage: next.state.stage,
      controls: next.state.controls,
      policyHash: proposal.policyHash,
      reportId: report?.id ?? null,
      acceptedEmptyReport: next.acceptedEmptyReport === true,
      actor: input.actor,
      reason: input.reason ?? null,
      at: now,
    };
    rollout = await deps.store.save({ ...key, ouPath: node.path, state: next.state, updatedAt: now, updatedBy: input.actor, converged: false }, stored?.version ?? 0, change);
  }
  const converged = await converge(deps, node, key, rollout, proposal);
  const stage = converged.rollout?.state.stage ?? 'off';
  if (stage !== input.stage) {
    throw conflict(
      `${node.path} (${input.kind}) はその間に ${stage} に変更されました。プロバイダーはその変更に合わせました。確認してからやり直してください / ` +
        `the rollout of ${node.path} (${input.kind}) was changed to ${stage} meanwhile, and the provider follows that change: look again and retry`,
    );
  }
  return { target: viewOf(key, node.path, converged.rollout), changed: next.changed, policyIds: converged.policyIds };
}

/** Brings the provider to what the record says, and marks the record converged at the version it followed. */
async function converge(deps: GuardrailDeps, node: OuNode, key: RolloutKey, start: StoredRollout | undefined, proposal: Proposal): Promise<{ rollout: StoredRollout | undefined; policyIds: string[] }> {
  let rollout = start;
  for (let round = 0; round < CONVERGE_ROUNDS; round++) {
    const policyIds = await applyRecord(deps, node, key.kind, rollout?.state ?? initialRollout(), proposal);
    if (rollout === undefined) return { rollout, policyIds };
    const marked = await deps.store.markConverged(key, rollout.version);
    if (marked !== undefined) return { rollout: marked, policyIds };
    rollout = await deps.store.get(key);
  }
  throw conflict(
    `${node.path} (${key.kind}) が変更され続けたため、プロバイダーへの反映を終えられませんでした。同じ段階をもう一度指定してください / ` +
      `the rollout of ${node.path} (${key.kind}) kept changing while the provider was brought to it: ask for the stage again`,
  );
}

/** Attaches the enforced version's policies, or detaches every managed one. */
async function applyRecord(deps: GuardrailDeps, node: OuNode, kind: OrganizationPolicyKind, state: RolloutState, proposal: Proposal): Promise<string[]> {
  const enforced = state.stage === 'enforce' ? state.enforced : null;
  if (enforced === null) {
    await ensureDetached(deps.cloud, node.id, kind);
    return [];
  }
  // While a changed selection is in audit, the enforced version is another one: generate it again.
  const version = enforced.policyHash === proposal.policyHash ? proposal : await proposalFor(deps, node, kind, enforced.controls);
  if (version.policyHash !== enforced.policyHash) {
    throw invalidState(
      `適用中の版 (${enforced.policyHash.slice(0, 12)}) をカタログから再生成できません。カタログが変わったため、audit に戻して新しい影響レポートで適用し直してください / ` +
        `the enforced version (${enforced.policyHash.slice(0, 12)}) no longer generates from the catalog: put the target in audit and enforce the current content with a new report`,
    );
  }
  return ensureAttached(deps.cloud, node.id, kind, version.policies);
}
