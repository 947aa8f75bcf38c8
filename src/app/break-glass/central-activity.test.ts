import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActivityEvent } from '../ports/cloud.js';
import { centralSideOf, isSessionOf } from './central-activity.js';

const MANAGEMENT = '100000000000';
const TENANT = '222233334444';
const platform = { managementAccountId: MANAGEMENT, callerArn: `arn:aws:sts::${MANAGEMENT}:assumed-role/HatobaControlPlane/hatoba` };

function event(identity: Partial<ActivityEvent['userIdentity']> & { arn: string }, recipient = TENANT): ActivityEvent {
  return {
    eventId: 'ev-1',
    eventTime: new Date('2030-04-01T00:00:00Z'),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'ap-northeast-1',
    userIdentity: { type: 'AssumedRole', principalId: 'AROA:x', accountId: recipient, ...identity },
    recipientAccountId: recipient,
    requestParameters: null,
    responseElements: null,
  };
}

const sso = (user: string, account = TENANT) => `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/${user}`;

describe('what counts as central-side activity in a tenant account', () => {
  it('names an Identity Center session with its user name, lower-cased, for the caller to check against central people', () => {
    assert.deepEqual(centralSideOf(event({ arn: sso('Ope@Hatoba.Example') }), platform), { kind: 'identity_center', arn: sso('Ope@Hatoba.Example'), userName: 'ope@hatoba.example' });
  });

  it('counts any session of OrganizationAccountAccessRole and the root user', () => {
    assert.equal(centralSideOf(event({ arn: `arn:aws:sts::${TENANT}:assumed-role/OrganizationAccountAccessRole/admin` }), platform)?.kind, 'organization_access_role');
    assert.equal(centralSideOf(event({ type: 'Root', arn: `arn:aws:iam::${TENANT}:root` }), platform)?.kind, 'root');
  });

  it('counts another principal of the management account acting in the member account', () => {
    const side = centralSideOf(event({ arn: `arn:aws:sts::${MANAGEMENT}:assumed-role/SomeAdmin/someone`, accountId: MANAGEMENT }), platform);
    assert.equal(side?.kind, 'management_account');
  });

  it('leaves out exactly the platform’s own caller, and nothing broader', () => {
    assert.equal(centralSideOf(event({ arn: platform.callerArn, accountId: MANAGEMENT }), platform), undefined);
    assert.equal(centralSideOf(event({ arn: `arn:aws:sts::${MANAGEMENT}:assumed-role/HatobaControlPlane/other`, accountId: MANAGEMENT }), platform)?.kind, 'management_account');
  });

  it('leaves out a tenant’s own roles and users, and calls recorded in the management account', () => {
    assert.equal(centralSideOf(event({ arn: `arn:aws:sts::${TENANT}:assumed-role/DeployRole/ci` }), platform), undefined);
    assert.equal(centralSideOf(event({ type: 'IAMUser', arn: `arn:aws:iam::${TENANT}:user/alice` }), platform), undefined);
    assert.equal(centralSideOf(event({ arn: `arn:aws:sts::${MANAGEMENT}:assumed-role/OrganizationAccountAccessRole/x`, accountId: MANAGEMENT }, MANAGEMENT), platform), undefined);
  });

  it('attributes an event to a person’s session only in the account it ran in', () => {
    assert.equal(isSessionOf(event({ arn: sso('ope@hatoba.example') }), 'ope@hatoba.example', TENANT), true);
    assert.equal(isSessionOf(event({ arn: sso('other@hatoba.example') }), 'ope@hatoba.example', TENANT), false);
    assert.equal(isSessionOf(event({ arn: `arn:aws:sts::${TENANT}:assumed-role/DeployRole/ope@hatoba.example` }), 'ope@hatoba.example', TENANT), false);
    assert.equal(isSessionOf(event({ arn: sso('ope@hatoba.example') }), 'ope@hatoba.example', '999988887777'), false);
  });
});
