import type { Principal } from '../../domain/access/principal.js';
import { DomainError, invalidState, validationFailed, type Issue } from '../../domain/errors.js';
import type { Page } from '../paging.js';
import type { PageRequest } from '../ports/registry-store.js';
import { CENTRAL_SCOPE } from '../scope.js';
import { convergeAccess } from './access.js';
import type { BreakGlassDeps } from './deps.js';
import { decisionNotice, requestedNotice } from './messages.js';
import { MAX_DURATION_MINUTES, MAX_TEXT, MIN_DURATION_MINUTES, REQUESTER_REMOVED_NOTE, type Grant, type GrantStatus } from './model.js';
import { grantNotFound, mayView, requireOperator, requireTenantAdmin, tenantInScope } from './who.js';

/** Requesting, reading and deciding break-glass grants; every use case takes the caller and refuses what they may not do. */

export type GrantRequest = { accountId: string; reason: string; durationMinutes: number };

function checkText(value: string | undefined, path: string, required: boolean, issues: Issue[]): string | null {
  const text = value?.trim() ?? '';
  if (text === '') {
    if (required) issues.push({ path: [path], message: '必須です / required' });
    return null;
  }
  if (text.length > MAX_TEXT) issues.push({ path: [path], message: `${MAX_TEXT} 文字以内にしてください / at most ${MAX_TEXT} characters` });
  return text;
}

/** A central operator asks for access to one tenant account, for a reason, for 15 minutes to 24 hours. */
export async function requestGrant(deps: BreakGlassDeps, caller: Principal, input: GrantRequest): Promise<Grant> {
  const operator = requireOperator(caller);
  const issues: Issue[] = [];
  const reason = checkText(input.reason, 'reason', true, issues);
  if (!Number.isInteger(input.durationMinutes) || input.durationMinutes < MIN_DURATION_MINUTES || input.durationMinutes > MAX_DURATION_MINUTES) {
    issues.push({ path: ['durationMinutes'], message: `${MIN_DURATION_MINUTES} 分から ${MAX_DURATION_MINUTES} 分の整数にしてください / a whole number of minutes from ${MIN_DURATION_MINUTES} to ${MAX_DURATION_MINUTES}` });
  }
  const found = await deps.registry.getAccount(input.accountId);
  if (found === undefined) issues.push({ path: ['accountId'], message: `アカウント ${input.accountId} はありません / no account ${input.accountId}` });
  else if (found.account.status !== 'ready' || found.account.providerAccountId === null) {
    issues.push({ path: ['accountId'], message: `アカウントが利用可能ではありません (${found.account.status}) / the account is not ready (${found.account.status})` });
  } else if (found.account.provider !== deps.cloud.provider) {
    issues.push({ path: ['accountId'], message: `プロバイダ ${found.account.provider} の緊急アクセスは未対応です / break-glass is not available for provider ${found.account.provider}` });
  }
  if (issues.length > 0 || found === undefined || reason === null || found.account.providerAccountId === null) {
    throw validationFailed('緊急アクセスの申請が正しくありません / the break-glass request is not valid', issues);
  }
  // The previous grant's assignment is the same one; a new grant must wait until it is gone.
  if ((await deps.store.accessOf(found.account.id, operator.personId)).some((g) => g.access.state === 'removing')) {
    throw new DomainError('conflict', '前回の緊急アクセスの権限を削除中です。少し待ってから申請してください / your previous grant’s access is still being removed; try again shortly');
  }
  const grant = await deps.store.insertGrant({
    id: deps.newGrantId(),
    accountId: found.account.id,
    provider: found.account.provider,
    providerAccountId: found.account.providerAccountId,
    tenantId: found.tenant.id,
    requestedBy: { personId: operator.personId, email: operator.email, name: operator.name },
    reason,
    durationMinutes: input.durationMinutes,
    requestedAt: deps.clock.now(),
  });
  const tenant = await deps.registry.getOrganisation(found.tenant.id);
  if (tenant !== undefined) for (const n of requestedNotice(grant, tenant, found.account.name)) await deps.notifications.record(n);
  return grant;
}

export type GrantListFilter = { status?: GrantStatus; accountId?: string; tenant?: string };

/** The grants the caller may see, newest first: their tenant's, the ones they requested, or (operators) all. */
export async function listGrants(deps: BreakGlassDeps, caller: Principal, filter: GrantListFilter, page: PageRequest): Promise<Page<Grant>> {
  let tenantId: string | undefined;
  if (filter.tenant !== undefined) {
    tenantId = (await tenantInScope(deps.registry, caller.kind === 'tenant' ? { tenantId: caller.tenantId } : CENTRAL_SCOPE, filter.tenant)).id;
  }
  const scope = caller.kind === 'tenant' ? { tenantId: caller.tenantId } : caller.roles.includes('operator') ? {} : { requestedBy: caller.personId };
  return deps.store.listGrants(
    {
      ...(tenantId === undefined ? {} : { tenantId }),
      ...scope,
      ...(filter.status === undefined ? {} : { status: filter.status }),
      ...(filter.accountId === undefined ? {} : { accountId: filter.accountId }),
    },
    page,
  );
}

export async function getGrant(deps: BreakGlassDeps, caller: Principal, id: string): Promise<Grant> {
  const grant = await deps.store.getGrant(id);
  if (grant === undefined || !mayView(caller, grant)) throw grantNotFound(id);
  return grant;
}

/** The grant when the caller is its tenant's admin; another tenant's grant is not found. */
async function ownTenantGrant(deps: BreakGlassDeps, caller: Principal, id: string): Promise<{ grant: Grant; by: string }> {
  const admin = requireTenantAdmin(caller);
  const grant = await deps.store.getGrant(id);
  if (grant === undefined || grant.tenantId !== admin.tenantId) throw grantNotFound(id);
  return { grant, by: admin.personId };
}

const notPending = (g: Grant): DomainError =>
  invalidState(`緊急アクセス ${g.id} は申請中ではありません (${g.status}) / break-glass grant ${g.id} is no longer pending (${g.status})`);

/** The requester was removed: the request is (or is about to be) cancelled by the worker and can never be approved. */
const requesterGone = (g: Grant): DomainError =>
  invalidState(`申請者 ${g.requestedBy.email} は削除されたため、緊急アクセス ${g.id} は承認できません / break-glass grant ${g.id} cannot be approved: its requester ${g.requestedBy.email} was removed`);

/** Why a grant cannot be approved, as it is now: still requested means the approval refused a removed requester. */
const cannotApprove = (g: Grant): DomainError => (g.status === 'requested' || (g.status === 'cancelled' && g.endNote === REQUESTER_REMOVED_NOTE) ? requesterGone(g) : notPending(g));

/**
 * The tenant admin approves: the window starts now, and the requester's identity-store user is
 * assigned the tenant admin permission set on the account. A provider failure leaves the grant approved with its access
 * `assigning`; the worker finishes it. The request of a requester who was removed meanwhile is refused.
 */
export async function approveGrant(deps: BreakGlassDeps, caller: Principal, id: string, input: { note?: string }): Promise<Grant> {
  const { grant, by } = await ownTenantGrant(deps, caller, id);
  const issues: Issue[] = [];
  const note = checkText(input.note, 'note', false, issues);
  if (issues.length > 0) throw validationFailed('承認の内容が正しくありません / the approval is not valid', issues);
  if (grant.status !== 'requested') throw cannotApprove(grant);
  if ((await deps.store.accessOf(grant.accountId, grant.requestedBy.personId)).some((g) => g.access.state === 'removing')) {
    throw invalidState('申請者の前回の緊急アクセスの権限を削除中です。少し待ってから承認してください / the requester’s previous access to this account is still being removed; approve again shortly');
  }
  // The store approves only while the requester is an active person: removing them ends their access.
  const approved = await deps.store.approve(id, by, deps.clock.now(), note);
  if (approved === undefined) throw cannotApprove((await deps.store.getGrant(id)) ?? grant);
  await deps.notifications.record(decisionNotice(approved, 'approved'));
  try {
    return await convergeAccess(deps, approved);
  } catch {
    return (await deps.store.getGrant(id)) ?? approved;
  }
}

/** The tenant admin refuses, with a note saying why; nothing reaches the provider. */
export async function denyGrant(deps: BreakGlassDeps, caller: Principal, id: string, input: { note?: string }): Promise<Grant> {
  const { grant, by } = await ownTenantGrant(deps, caller, id);
  const issues: Issue[] = [];
  const note = checkText(input.note, 'note', true, issues);
  if (issues.length > 0 || note === null) throw validationFailed('却下の理由を入力してください / say why the request is denied', issues);
  if (grant.status !== 'requested') throw notPending(grant);
  const denied = await deps.store.deny(id, by, deps.clock.now(), note);
  if (denied === undefined) throw notPending((await deps.store.getGrant(id)) ?? grant);
  await deps.notifications.record(decisionNotice(denied, 'denied'));
  return denied;
}

/** The requester withdraws a request that is still pending. */
export async function cancelGrant(deps: BreakGlassDeps, caller: Principal, id: string): Promise<Grant> {
  if (caller.kind !== 'central') throw new DomainError('forbidden', '申請の取り下げは申請者だけが行えます / only the requester may cancel a request');
  const grant = await deps.store.getGrant(id);
  if (grant === undefined || !mayView(caller, grant)) throw grantNotFound(id);
  if (grant.requestedBy.personId !== caller.personId) throw new DomainError('forbidden', '申請の取り下げは申請者だけが行えます / only the requester may cancel a request');
  if (grant.status !== 'requested') throw notPending(grant);
  const cancelled = await deps.store.cancel(id, caller.personId, deps.clock.now());
  if (cancelled === undefined) throw notPending((await deps.store.getGrant(id)) ?? grant);
  return cancelled;
}

/** The tenant admin ends an active grant early; its assignment is deleted now. */
export async function revokeGrant(deps: BreakGlassDeps, caller: Principal, id: string, input: { note?: string }): Promise<Grant> {
  const { grant, by } = await ownTenantGrant(deps, caller, id);
  const issues: Issue[] = [];
  const note = checkText(input.note, 'note', true, issues);
  if (issues.length > 0 || note === null) throw validationFailed('取消の理由を入力してください / say why the grant is revoked', issues);
  const now = deps.clock.now();
  const notActive = () => invalidState(`緊急アクセス ${grant.id} は有効ではありません / break-glass grant ${grant.id} is not active`);
  if (grant.status !== 'approved' || grant.expiresAt === null || grant.expiresAt <= now) throw notActive();
  const revoked = await deps.store.revoke(id, by, now, note);
  if (revoked === undefined) throw notActive();
  await deps.notifications.record(decisionNotice(revoked, 'revoked'));
  try {
    return await convergeAccess(deps, revoked);
  } catch {
    return (await deps.store.getGrant(id)) ?? revoked;
  }
}
