import { CloudError, type CloudDriver } from '../../app/ports/cloud.js';
import type { StepDefinition } from '../engine/definition.js';
import type { ProvisioningDeps, ProvisioningInput, ProvisioningState } from './deps.js';
import { findGroup } from './lookups.js';
import { ensurePermissionSet } from '../../app/people/permission-sets.js';
import { ensureNamed, findInPages } from '../../app/cloud-pages.js';

type Step = StepDefinition<ProvisioningInput, ProvisioningState>;

function accountIdOf(state: ProvisioningState): string {
  if (state.providerAccountId === undefined) throw new Error('no provider account id is recorded before this step');
  return state.providerAccountId;
}

export const placeInOu = (deps: ProvisioningDeps): Step => ({
  name: 'place-in-ou',
  run: async ({ input, state }) => {
    const cloud = deps.cloudFor(input.provider);
    const accountId = accountIdOf(state);
    const ouId = await deps.ensureOuPath(cloud, input.ouPath);
    const parent = await cloud.listParents(accountId);
    if (parent.id !== ouId) await cloud.moveAccount({ accountId, sourceParentId: parent.id, destinationParentId: ouId });
    return { type: 'done', patch: { ouId } };
  },
});

export const groupNames = (organisationCode: string) => ({
  admin: `${organisationCode}-Admin`,
  nonAdmin: `${organisationCode}-NonAdmin`,
});

/**
 * Each tenant has exactly two groups, and the whole instance exactly two permission sets (Admin and
 * Non-admin): never a permission set per person or per tenant, because the quota is 2,000 per instance.
 */
export const ensureIdentity = (deps: ProvisioningDeps): Step => ({
  name: 'ensure-identity',
  run: async ({ input }) => {
    const cloud = deps.cloudFor(input.provider);
    const names = groupNames(input.organisationCode);
    const sets = deps.settings.permissionSets;
    const admin = await ensureNamed(() => findGroup(cloud, names.admin), () => cloud.createGroup({ displayName: names.admin, description: `Admins of ${input.organisationCode}` }), ['ConflictException']);
    const nonAdmin = await ensureNamed(() => findGroup(cloud, names.nonAdmin), () => cloud.createGroup({ displayName: names.nonAdmin, description: `Members of ${input.organisationCode}` }), ['ConflictException']);
    // The instance's two sets, with the one description each that people provisioning and break-glass use too.
    const adminSet = await ensurePermissionSet(cloud, 'admin', sets.admin);
    const nonAdminSet = await ensurePermissionSet(cloud, 'non_admin', sets.nonAdmin);
    return {
      type: 'done',
      patch: { adminGroupId: admin.groupId, nonAdminGroupId: nonAdmin.groupId, adminPermissionSetArn: adminSet.arn, nonAdminPermissionSetArn: nonAdminSet.arn },
    };
  },
});

async function assignmentExists(cloud: CloudDriver, accountId: string, permissionSetArn: string, groupId: string): Promise<boolean> {
  const found = await findInPages((t) => cloud.listAccountAssignments(accountId, permissionSetArn, t), (a) => a.principalType === 'GROUP' && a.principalId === groupId);
  return found !== undefined;
}

/** Assigns the tenant's two groups to the account through the two permission sets; waits for the async assignments. */
export const assignAccess = (deps: ProvisioningDeps): Step => ({
  name: 'assign-access',
  run: async ({ input, state }) => {
    const cloud = deps.cloudFor(input.provider);
    const accountId = accountIdOf(state);
    const pairs = [
      { key: 'admin', groupId: state.adminGroupId, permissionSetArn: state.adminPermissionSetArn },
      { key: 'nonAdmin', groupId: state.nonAdminGroupId, permissionSetArn: state.nonAdminPermissionSetArn },
    ];
    let requests: Record<string, string> = { ...(state.assignmentRequests ?? {}) };
    let pending = false;
    for (const pair of pairs) {
      if (pair.groupId === undefined || pair.permissionSetArn === undefined) throw new Error('identity was not ensured before assigning access');
      const requestId = requests[pair.key];
      if (requestId !== undefined) {
        const status = await cloud.describeAccountAssignmentCreationStatus(requestId);
        if (status.status === 'SUCCEEDED') continue;
        if (status.status === 'IN_PROGRESS') {
          pending = true;
          continue;
        }
        requests = Object.fromEntries(Object.entries(requests).filter(([key]) => key !== pair.key));
      }
      if (await assignmentExists(cloud, accountId, pair.permissionSetArn, pair.groupId)) continue;
      const status = await cloud.createAccountAssignment({ accountId, permissionSetArn: pair.permissionSetArn, principalType: 'GROUP', principalId: pair.groupId });
      if (status.status === 'FAILED') throw new CloudError('ServiceException', `assignment failed: ${status.failureReason ?? 'no reason'}`);
      requests[pair.key] = status.requestId;
      if (status.status === 'IN_PROGRESS') pending = true;
    }
    if (pending) return { type: 'wait', afterMs: Math.min(1_000, deps.settings.pollIntervalMs), patch: { assignmentRequests: requests } };
    return { type: 'done', patch: { assignmentRequests: requests } };
  },
});

export const enrolSupport = (deps: ProvisioningDeps): Step => ({
  name: 'enrol-support',
  run: async ({ input, state }) => {
    const cloud = deps.cloudFor(input.provider);
    const accountId = accountIdOf(state);
    const plan = deps.settings.supportPlan;
    if ((await cloud.getSupportPlan(accountId)) !== plan) await cloud.enrolSupportPlan(accountId, plan);
    return { type: 'done', patch: { supportPlan: plan } };
  },
});

export const recordReady = (deps: ProvisioningDeps): Step => ({
  name: 'record-ready',
  run: async ({ input, state, now }) => {
    const readyAt = state.readyAt ?? now.toISOString();
    await deps.registry.updateAccount(input.accountId, { status: 'ready', providerAccountId: accountIdOf(state), ouPath: input.ouPath, readyAt: new Date(readyAt) });
    return { type: 'done', patch: { readyAt } };
  },
});

export const notifyRequester = (deps: ProvisioningDeps): Step => ({
  name: 'notify-requester',
  run: async ({ input, state }) => {
    await deps.notifications.record({
      dedupeKey: `account-ready:${input.requestId}`,
      organisationId: input.organisationId,
      recipient: input.requestedBy,
      subject: { ja: `アカウント ${input.accountName} の準備ができました`, en: `Account ${input.accountName} is ready` },
      body: { requestId: input.requestId, accountName: input.accountName, providerAccountId: state.providerAccountId, ouPath: input.ouPath, environment: input.environment },
    });
    return { type: 'done' };
  },
});
