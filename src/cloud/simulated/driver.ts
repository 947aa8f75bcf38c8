import { CloudError, type CloudDriver } from '../../app/ports/cloud.js';
import type { Clock } from '../../app/ports/clock.js';
import type { Database } from '../../store/database.js';
import * as accounts from './accounts.js';
import { appendEvent, lookupEvents, resolveCaller, type CallSpec } from './activity.js';
import * as assignments from './assignments.js';
import * as deletions from './assignment-deletions.js';
import { SimulatedCloudConfig } from './config.js';
import { FaultInjector } from './faults.js';
import * as identity from './identity.js';
import { openOrganization, type TwinContext, type TwinOrganization } from './organization.js';
import * as ous from './ous.js';
import * as policies from './policies.js';
import { policyAdminMethods } from './policy-admin.js';
import { createEnforcement, type SimulatedCall, type SimulatedCallResult } from './enforcement.js';
import * as resources from './resources.js';
import * as support from './support.js';
import * as users from './users.js';
import { rootArn } from './ids.js';

/**
 * The digital twin as a driver of the cloud port. Its state lives in the database (migration
 * 002_twin.sql), so every driver instance opened on the same database and twin name — in one process
 * or in several — sees and changes one organisation. Time comes only from the injected clock.
 */
export type SimulatedCloud = CloudDriver & {
  /** Fault rules of this instance; add or clear them while the twin runs. */
  readonly faults: FaultInjector;
  /** The twin's fixed identifiers (organisation, root, management account, Identity Center instance). */
  readonly organization: TwinOrganization;
  /**
   * A tenant's call inside a member account, judged against the SCPs along its chain and logged;
   * throws AccessDeniedException when an SCP denies it (enforcement.ts).
   */
  simulateCall(call: SimulatedCall): Promise<SimulatedCallResult>;
};

export type SimulatedCloudDeps = { db: Database; clock: Clock; config?: SimulatedCloudConfig };

type Json = Record<string, unknown>;

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Opens (creating on first use) the twin named in `config.twin` and returns a driver on it. */
export async function createSimulatedCloud(deps: SimulatedCloudDeps): Promise<SimulatedCloud> {
  const config = SimulatedCloudConfig.parse(deps.config ?? {});
  const org = await openOrganization(deps.db, deps.clock, config);
  const ctx: TwinContext = { db: deps.db, clock: deps.clock, config, org };
  const faults = new FaultInjector(config.faults);
  const caller = resolveCaller(config, org);
  const enforcement = createEnforcement(ctx);

  /**
   * Every call goes through here: an injected fault refuses it before it runs, and the outcome —
   * success, failure or refusal — is appended to the activity log.
   */
  async function call<T>(spec: CallSpec<T>, run: (now: Date) => Promise<T>): Promise<T> {
    const now = deps.clock.now();
    const record = {
      service: spec.service,
      eventName: spec.name,
      readOnly: spec.readOnly,
      eventTime: now,
      requestParameters: spec.params,
      subjectAccountId: spec.subject,
      recipientAccountId: spec.recipient,
      awsRegion: spec.region,
    };
    let result: T;
    try {
      const fault = faults.callFault(spec.name);
      if (fault !== undefined) throw fault;
      result = await run(now);
    } catch (error) {
      // Infrastructure errors (the database is down) are not calls AWS would have logged.
      if (error instanceof CloudError) await appendEvent(ctx, spec.caller ?? caller, { ...record, responseElements: null, error });
      throw error;
    }
    await appendEvent(ctx, spec.caller ?? caller, { ...record, responseElements: spec.respond?.(result) ?? null });
    return result;
  }

  const orgCall = (name: string, params: Json | null, readOnly = true): Omit<CallSpec<unknown>, 'respond'> => ({
    service: 'organizations',
    name,
    params,
    readOnly,
  });
  const mutation = (name: string, params: Json | null) => orgCall(name, params, false);

  return {
    provider: 'simulated',
    accountCreationConcurrency: config.accountCreationConcurrency,
    faults,
    organization: org,

    describeOrganizationRoot: () =>
      call(orgCall('ListRoots', null), async () => ({ id: org.rootId, arn: rootArn(org, org.rootId) })),
    listOrganizationalUnitsForParent: (parentId, nextToken) =>
      call(orgCall('ListOrganizationalUnitsForParent', { parentId, nextToken }), () => ous.listOrganizationalUnitsForParent(ctx, parentId, nextToken)),
    createOrganizationalUnit: (parentId, name) =>
      call({ ...mutation('CreateOrganizationalUnit', { parentId, name }), respond: (ou) => ({ organizationalUnit: ou }) }, (now) =>
        ous.createOrganizationalUnit(ctx, parentId, name, now),
      ),
    createAccount: (input) =>
      call(
        { ...mutation('CreateAccount', { accountName: input.accountName, email: input.email, tags: input.tags ?? null }), respond: (s) => ({ createAccountStatus: s }) },
        (now) => accounts.createAccount(ctx, faults, input, now),
      ),
    describeCreateAccountStatus: (requestId) =>
      call(orgCall('DescribeCreateAccountStatus', { createAccountRequestId: requestId }), (now) => accounts.describeCreateAccountStatus(ctx, requestId, now)),
    listCreateAccountStatus: (states, nextToken) =>
      call(orgCall('ListCreateAccountStatus', { states, nextToken }), (now) => accounts.listCreateAccountStatus(ctx, states, nextToken, now)),
    listAccounts: (nextToken) => call(orgCall('ListAccounts', { nextToken }), (now) => accounts.listAccounts(ctx, nextToken, now)),
    describeAccount: (accountId) =>
      call({ ...orgCall('DescribeAccount', { accountId }), subject: accountId }, (now) => accounts.describeAccount(ctx, accountId, now)),
    listTagsForResource: (resourceId) =>
      call({ ...orgCall('ListTagsForResource', { resourceId }), subject: resourceId }, (now) => accounts.listTagsForResource(ctx, resourceId, now)),
    listParents: (childId) =>
      call({ ...orgCall('ListParents', { childId }), subject: childId }, (now) => accounts.listParents(ctx, childId, now)),
    moveAccount: (input) =>
      call({ ...mutation('MoveAccount', input), subject: input.accountId }, (now) => accounts.moveAccount(ctx, input, now)),

    createPolicy: (input) =>
      call({ ...mutation('CreatePolicy', { ...input, type: input.type ?? 'SERVICE_CONTROL_POLICY' }), respond: (policy) => ({ policy }) }, (now) =>
        policies.createPolicy(ctx, input, now),
      ),
    attachPolicy: (policyId, targetId) =>
      call({ ...mutation('AttachPolicy', { policyId, targetId }), subject: accountSubject(targetId) }, async (now) => {
        await accounts.materialize(ctx, now);
        await policies.attachPolicy(ctx, policyId, targetId);
      }),
    detachPolicy: (policyId, targetId) =>
      call({ ...mutation('DetachPolicy', { policyId, targetId }), subject: accountSubject(targetId) }, async (now) => {
        await accounts.materialize(ctx, now);
        await policies.detachPolicy(ctx, policyId, targetId);
      }),
    listPoliciesForTarget: (targetId, type, nextToken) =>
      call({ ...orgCall('ListPoliciesForTarget', { targetId, filter: type, nextToken }), subject: accountSubject(targetId) }, async (now) => {
        await accounts.materialize(ctx, now);
        return policies.listPoliciesForTarget(ctx, targetId, type, nextToken);
      }),

    listGroups: (filter, nextToken) =>
      call({ service: 'identitystore', name: 'ListGroups', readOnly: true, params: { identityStoreId: org.identityStoreId, filter, nextToken } }, () =>
        identity.listGroups(ctx, filter, nextToken),
      ),
    createGroup: (input) =>
      call(
        {
          service: 'identitystore',
          name: 'CreateGroup',
          readOnly: false,
          params: { identityStoreId: org.identityStoreId, ...input },
          respond: (group) => ({ groupId: group.groupId, identityStoreId: org.identityStoreId }),
        },
        () => identity.createGroup(ctx, input),
      ),
    listPermissionSets: (nextToken) =>
      call({ service: 'sso', name: 'ListPermissionSets', readOnly: true, params: { instanceArn: org.ssoInstanceArn, nextToken } }, () =>
        identity.listPermissionSets(ctx, nextToken),
      ),
    createPermissionSet: (input) =>
      call(
        {
          service: 'sso',
          name: 'CreatePermissionSet',
          readOnly: false,
          params: { instanceArn: org.ssoInstanceArn, ...input },
          respond: (permissionSet) => ({ permissionSet }),
        },
        (now) => identity.createPermissionSet(ctx, input, now),
      ),
    createAccountAssignment: (assignment) =>
      call(
        {
          service: 'sso',
          name: 'CreateAccountAssignment',
          readOnly: false,
          params: { instanceArn: org.ssoInstanceArn, targetId: assignment.accountId, targetType: 'AWS_ACCOUNT', ...assignment },
          subject: assignment.accountId,
          respond: (status) => ({ accountAssignmentCreationStatus: status }),
        },
        (now) => assignments.createAccountAssignment(ctx, assignment, now),
      ),
    describeAccountAssignmentCreationStatus: (requestId) =>
      call(
        {
          service: 'sso',
          name: 'DescribeAccountAssignmentCreationStatus',
          readOnly: true,
          params: { instanceArn: org.ssoInstanceArn, accountAssignmentCreationRequestId: requestId },
        },
        (now) => assignments.describeAccountAssignmentCreationStatus(ctx, requestId, now),
      ),
    listAccountAssignments: (accountId, permissionSetArn, nextToken) =>
      call(
        {
          service: 'sso',
          name: 'ListAccountAssignments',
          readOnly: true,
          params: { instanceArn: org.ssoInstanceArn, accountId, permissionSetArn, nextToken },
          subject: accountId,
        },
        (now) => assignments.listAccountAssignments(ctx, accountId, permissionSetArn, nextToken, now),
      ),
    deleteAccountAssignment: (assignment) =>
      call(
        {
          service: 'sso',
          name: 'DeleteAccountAssignment',
          readOnly: false,
          params: { instanceArn: org.ssoInstanceArn, targetId: assignment.accountId, targetType: 'AWS_ACCOUNT', ...assignment },
          subject: assignment.accountId,
          respond: (status) => ({ accountAssignmentDeletionStatus: status }),
        },
        (now) => deletions.deleteAccountAssignment(ctx, assignment, now),
      ),
    describeAccountAssignmentDeletionStatus: (requestId) =>
      call(
        {
          service: 'sso',
          name: 'DescribeAccountAssignmentDeletionStatus',
          readOnly: true,
          params: { instanceArn: org.ssoInstanceArn, accountAssignmentDeletionRequestId: requestId },
        },
        (now) => deletions.describeAccountAssignmentDeletionStatus(ctx, requestId, now),
      ),
    listUsers: (filter, nextToken) =>
      call(
        {
          service: 'identitystore',
          name: 'ListUsers',
          readOnly: true,
          params: { identityStoreId: org.identityStoreId, filters: filter.userName === undefined ? [] : [{ attributePath: 'UserName', attributeValue: filter.userName }], nextToken },
        },
        () => users.listUsers(ctx, filter, nextToken),
      ),
    createUser: (input) =>
      call(
        {
          service: 'identitystore',
          name: 'CreateUser',
          readOnly: false,
          // CloudTrail hides the identity store's personal attributes; so does the twin's log.
          params: { identityStoreId: org.identityStoreId, userName: input.userName, displayName: HIDDEN, emails: HIDDEN },
          respond: (user) => ({ userId: user.userId, identityStoreId: org.identityStoreId }),
        },
        (now) => users.createUser(ctx, input, now),
      ),
    deleteUser: (userId) =>
      call({ service: 'identitystore', name: 'DeleteUser', readOnly: false, params: { identityStoreId: org.identityStoreId, userId } }, () => users.deleteUser(ctx, userId)),

    // Support Plans runs in the member account itself, so its trail is the member's.
    getSupportPlan: (accountId) =>
      call({ service: 'supportplans', name: 'GetSupportPlan', readOnly: true, params: null, subject: accountId, recipient: accountId }, (now) =>
        support.getSupportPlan(ctx, accountId, now),
      ),
    enrolSupportPlan: (accountId, plan) =>
      call(
        {
          service: 'supportplans',
          name: 'StartSupportPlanUpdate',
          readOnly: false,
          params: { supportPlan: plan },
          subject: accountId,
          recipient: accountId,
          respond: () => ({ status: 'SUCCESS' }),
        },
        (now) => support.enrolSupportPlan(ctx, accountId, plan, now),
      ),

    lookupEvents: (filter, nextToken) =>
      call({ service: 'cloudtrail', name: 'LookupEvents', readOnly: true, params: { ...filter, nextToken } }, () => lookupEvents(ctx, filter, nextToken)),

    ...resources.resourceMethods(ctx, call, enforcement),
    ...policyAdminMethods(ctx, call),
    simulateCall: enforcement.simulateCall,
  };
}

/** 12 digits is an account id; roots and OUs are not accounts. */
function accountSubject(targetId: string): string | undefined {
  return /^\d{12}$/.test(targetId) ? targetId : undefined;
}
