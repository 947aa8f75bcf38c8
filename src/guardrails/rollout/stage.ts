import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';

/**
 * The rollout of one target's preventive controls of one kind (DESIGN.md idea 2: detective before
 * preventive). A target goes `off -> audit -> enforce`: in audit nothing is attached and the impact
 * report shows what the policies would have denied; enforce attaches them, and is allowed only with
 * a report computed in audit for exactly the content proposed now (the hash of the generated
 * documents), which the person acting acknowledges by passing its id.
 *
 * Changing the selection while enforcing does not detach anything: the enforced version stays
 * attached and the new selection is a proposal in audit, promoted by `enforce` with its own report.
 * Pure: the use cases load the state, call these functions and converge the cloud to the result.
 */

export const RolloutStage = z.enum(['off', 'audit', 'enforce']);
export type RolloutStage = z.infer<typeof RolloutStage>;

export type EnforcedVersion = { controls: string[]; policyHash: string; since: Date };

export type RolloutState = {
  stage: RolloutStage;
  /** The selected controls, sorted: what is proposed. While enforcing, the enforced version may differ. */
  controls: string[];
  /** Since when the proposal has been in audit; null when nothing is in audit. */
  auditSince: Date | null;
  /** What is attached; only in enforce. */
  enforced: EnforcedVersion | null;
};

export const initialRollout = (): RolloutState => ({ stage: 'off', controls: [], auditSince: null, enforced: null });

/** What an impact report says about itself, enough to judge whether it allows enforcing. */
export type ReportEvidence = {
  id: string;
  policyHash: string;
  inAudit: boolean;
  computedAt: Date;
  /** The calls it replayed against the proposal; a report that replayed none measured nothing. */
  replayed: number;
  /** The window of the log it replayed. */
  since: Date;
  until: Date;
};

/** `acceptedEmptyReport`: enforce went ahead on a report that replayed no calls, because the operator accepted that. */
export type Transition = { state: RolloutState; changed: boolean; acceptedEmptyReport?: true };

const refuse = (ja: string, en: string): DomainError => new DomainError('invalid_state', `${ja} / ${en}`);

/** Whether the proposal (of hash `proposedHash`) is in audit: the stage is audit, or enforce with another version proposed. */
export function proposalInAudit(state: RolloutState, proposedHash: string | null): boolean {
  if (state.stage === 'audit') return true;
  return state.stage === 'enforce' && proposedHash !== null && state.enforced?.policyHash !== proposedHash;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * A new selection (already validated against the catalog). `proposedHash` is the hash of the
 * documents it generates (null when it selects nothing).
 */
export function selectControls(state: RolloutState, controls: readonly string[], proposedHash: string | null, now: Date): Transition {
  const sorted = [...new Set(controls)].sort();
  if (sameSet(sorted, state.controls)) return { state, changed: false };
  if (state.stage !== 'enforce') return { state: { ...state, controls: sorted }, changed: true };
  const pending = proposedHash !== null && proposedHash !== state.enforced?.policyHash;
  const wasPending = state.auditSince !== null;
  return { state: { ...state, controls: sorted, auditSince: pending ? (wasPending ? state.auditSince : now) : null }, changed: true };
}

export type StageRequest = {
  to: RolloutStage;
  /** The hash of the documents the selection generates now; null when nothing is selected. */
  proposedHash: string | null;
  /** The acknowledged report, looked up by the id given; undefined when none was given. */
  report?: ReportEvidence | undefined;
  /** The operator accepts enforcing on a report that replayed no calls (say why in the change's reason). */
  acceptEmptyReport?: boolean | undefined;
  now: Date;
};

/** The next state, or a refusal (invalid_state, in Japanese and English). Asking for the stage a target is in changes nothing. */
export function changeStage(state: RolloutState, request: StageRequest): Transition {
  const { to, now } = request;
  if (to === 'off') {
    if (state.stage === 'off') return { state, changed: false };
    return { state: { ...state, stage: 'off', auditSince: null, enforced: null }, changed: true };
  }
  if (to === 'audit') {
    if (state.stage === 'audit') return { state, changed: false };
    if (state.stage === 'off') {
      if (state.controls.length === 0) {
        throw refuse('監査を始める前に予防的コントロールを選んでください', 'select preventive controls before starting an audit');
      }
      return { state: { ...state, stage: 'audit', auditSince: now }, changed: true };
    }
    // From enforce: the policies come off; a change already in audit keeps its start.
    return { state: { ...state, stage: 'audit', enforced: null, auditSince: state.auditSince ?? now }, changed: true };
  }
  return enforce(state, request);
}

function enforce(state: RolloutState, { proposedHash, report, acceptEmptyReport, now }: StageRequest): Transition {
  if (state.stage === 'off') {
    throw refuse(
      'off から enforce へ直接は移れません。まず audit にして影響レポートを確認してください',
      'a rollout cannot go from off to enforce: put it in audit and review an impact report first',
    );
  }
  if (proposedHash === null || state.controls.length === 0) {
    throw refuse('選ばれたコントロールがありません。止めるには off にしてください', 'no controls are selected: set the stage to off to remove the policies');
  }
  if (state.stage === 'enforce' && state.enforced?.policyHash === proposedHash) return { state, changed: false };
  if (report === undefined) {
    throw refuse(
      'enforce にするには、audit 中に計算した影響レポートの ID を指定してください',
      'enforcing needs the id of an impact report computed in audit (--report)',
    );
  }
  if (report.policyHash !== proposedHash) {
    throw refuse(
      `影響レポート ${report.id} は別の方針内容 (${short(report.policyHash)}) のものです。いまの提案 (${short(proposedHash)}) で計算し直してください`,
      `impact report ${report.id} is for other policy content (${short(report.policyHash)}); the proposal now is ${short(proposedHash)}: compute a new report`,
    );
  }
  if (!report.inAudit) {
    throw refuse(`影響レポート ${report.id} は audit 中に計算されたものではありません`, `impact report ${report.id} was not computed while the proposal was in audit`);
  }
  if (state.auditSince !== null && report.computedAt < state.auditSince) {
    throw refuse(
      `影響レポート ${report.id} は現在の audit (${state.auditSince.toISOString()} 開始) より前のものです`,
      `impact report ${report.id} is older than the current audit, which began ${state.auditSince.toISOString()}`,
    );
  }
  const empty = report.replayed === 0;
  if (empty && acceptEmptyReport !== true) {
    const window = `${day(report.since)} – ${day(report.until)}`;
    throw refuse(
      `影響レポート ${report.id} は呼び出しを 1 件も再生していません (${window})。影響は測れていません。活動のある期間で計算し直すか、空のレポートで適用することを明示してください (--accept-empty-report と理由)`,
      `impact report ${report.id} replayed no calls (${window}), so it measured nothing: compute one over a window with activity, or accept enforcing on an empty report explicitly (--accept-empty-report with a reason)`,
    );
  }
  const next: RolloutState = { ...state, stage: 'enforce', auditSince: null, enforced: { controls: state.controls, policyHash: proposedHash, since: now } };
  return empty ? { state: next, changed: true, acceptedEmptyReport: true } : { state: next, changed: true };
}

const day = (date: Date): string => date.toISOString().slice(0, 10);

const short = (hash: string): string => hash.slice(0, 12);
