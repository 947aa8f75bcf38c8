import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** Identifiers and ARNs in the formats AWS uses, so code and people reading the twin see familiar shapes. */

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomChars(length: number, alphabet = LOWER_ALNUM): string {
  let out = '';
  for (const byte of randomBytes(length)) out += alphabet[byte % alphabet.length];
  return out;
}

export const newOrganizationId = (): string => `o-${randomChars(10)}`;
export const newRootId = (): string => `r-${randomChars(4)}`;
/** OU ids embed the root's suffix: ou-<root>-<8 chars>. */
export const newOuId = (rootId: string): string => `ou-${rootId.slice(2)}-${randomChars(8)}`;
export const newAccountId = (): string => String(randomInt(0, 1_000_000_000_000)).padStart(12, '0');
export const newCreateAccountRequestId = (): string => `car-${randomBytes(16).toString('hex')}`;
export const newPolicyId = (): string => `p-${randomChars(8)}`;
export const newSsoInstanceArn = (): string => `arn:aws:sso:::instance/ssoins-${randomBytes(8).toString('hex')}`;
export const newIdentityStoreId = (): string => `d-${randomBytes(5).toString('hex')}`;
export const newGroupId = (): string => randomUUID();
export const newRequestId = (): string => randomUUID();
/** Identity store user ids: the store's 10 hex digits, then a UUID (AWS's ResourceId pattern). */
export const newUserId = (identityStoreId: string): string => `${identityStoreId.slice(2)}-${randomUUID()}`;
export const newEventId = (): string => randomUUID();

export function newPermissionSetArn(instanceArn: string): string {
  const instance = instanceArn.slice(instanceArn.lastIndexOf('/') + 1);
  return `arn:aws:sso:::permissionSet/${instance}/ps-${randomBytes(8).toString('hex')}`;
}

/** The AWS-managed policy attached to every root, OU and account when SCPs are enabled. */
export const FULL_AWS_ACCESS_ID = 'p-FullAWSAccess';
export const FULL_AWS_ACCESS_ARN = 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess';
export const FULL_AWS_ACCESS_CONTENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

export type OrgNames = { id: string; managementAccountId: string };

export const rootArn = (org: OrgNames, rootId: string): string =>
  `arn:aws:organizations::${org.managementAccountId}:root/${org.id}/${rootId}`;
export const ouArn = (org: OrgNames, ouId: string): string =>
  `arn:aws:organizations::${org.managementAccountId}:ou/${org.id}/${ouId}`;
export const accountArn = (org: OrgNames, accountId: string): string =>
  `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${accountId}`;
export const policyArn = (org: OrgNames, policyId: string): string =>
  policyId === FULL_AWS_ACCESS_ID
    ? FULL_AWS_ACCESS_ARN
    : `arn:aws:organizations::${org.managementAccountId}:policy/${org.id}/service_control_policy/${policyId}`;
