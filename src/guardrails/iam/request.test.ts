import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inCidr, parseAddress, parseCidr } from './ip.js';
import { contextFor, principalFacts, type AuthorizationRequest, type RequestPrincipal } from './request.js';

const A = '111122223333';
const contextOf = (principal: RequestPrincipal, over: Partial<AuthorizationRequest> = {}) => {
  const request: AuthorizationRequest = { principal, action: 's3:GetObject', region: 'ap-northeast-3', ...over };
  return Object.fromEntries(contextFor(request, principalFacts(principal), request.resources?.[0] ?? '*'));
};

describe('the global condition keys filled from the request', () => {
  it('fills the principal keys of a role session from its role, as AWS does', () => {
    const context = contextOf({ arn: `arn:aws:sts::${A}:assumed-role/Deployer/ci`, accountId: A, type: 'assumed-role', orgId: 'o-abc', tags: { CostCenter: '42' } });
    assert.deepEqual(context, {
      'aws:principalarn': [`arn:aws:iam::${A}:role/Deployer`],
      'aws:principalaccount': [A],
      'aws:principalorgid': ['o-abc'],
      'aws:principaltype': ['AssumedRole'],
      'aws:principalisawsservice': ['false'],
      'aws:requestedregion': ['ap-northeast-3'],
      'aws:resourceaccount': [A],
      'aws:principaltag/costcenter': ['42'],
    });
  });

  it('gives the root user its root ARN, a user its name, and a service principal no ARN or account', () => {
    assert.deepEqual(contextOf({ arn: `arn:aws:iam::${A}:root`, accountId: A, type: 'root' })['aws:principalarn'], [`arn:aws:iam::${A}:root`]);
    assert.deepEqual(contextOf({ arn: `arn:aws:iam::${A}:root`, accountId: A, type: 'root' })['aws:principaltype'], ['Account']);
    assert.deepEqual(contextOf({ arn: `arn:aws:iam::${A}:user/ops/bob`, accountId: A, type: 'user' })['aws:username'], ['bob']);
    const service = contextOf({ arn: 'config.amazonaws.com', accountId: A, type: 'service' });
    assert.deepEqual([service['aws:principalarn'], service['aws:principalaccount'], service['aws:principalservicename'], service['aws:principalisawsservice']], [undefined, undefined, ['config.amazonaws.com'], ['true']]);
  });

  it('fills the time, transport, network and resource keys when the request has them, and lets explicit keys override', () => {
    const context = contextOf(
      { arn: `arn:aws:iam::${A}:user/bob`, accountId: A, type: 'user' },
      {
        resources: ['arn:aws:kms:ap-northeast-3:444455556666:key/k'],
        currentTime: new Date('2026-06-01T00:00:00Z'),
        secureTransport: true,
        viaAWSService: false,
        sourceIp: '203.0.113.9',
        resourceTags: { Owner: 'team-a' },
        context: { 'AWS:RequestedRegion': 'us-east-1', 'kms:EncryptionContextKeys': ['a', 'b'] },
      },
    );
    assert.deepEqual(context['aws:resourceaccount'], ['444455556666']);
    assert.deepEqual(context['aws:currenttime'], ['2026-06-01T00:00:00.000Z']);
    assert.deepEqual(context['aws:epochtime'], ['1780272000']);
    assert.deepEqual([context['aws:securetransport'], context['aws:viaawsservice'], context['aws:sourceip']], [['true'], ['false'], ['203.0.113.9']]);
    assert.deepEqual(context['aws:resourcetag/owner'], ['team-a']);
    assert.deepEqual(context['aws:requestedregion'], ['us-east-1']);
    assert.deepEqual(context['kms:encryptioncontextkeys'], ['a', 'b']);
  });

  it('recognises service-linked roles by their path or their name', () => {
    assert.ok(principalFacts({ arn: `arn:aws:iam::${A}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`, accountId: A, type: 'role' }).serviceLinked);
    assert.ok(principalFacts({ arn: `arn:aws:sts::${A}:assumed-role/AWSServiceRoleForECS/ecs`, accountId: A, type: 'assumed-role' }).serviceLinked);
    assert.ok(!principalFacts({ arn: `arn:aws:sts::${A}:assumed-role/MyServiceRole/ecs`, accountId: A, type: 'assumed-role' }).serviceLinked);
  });
});

describe('IPv4 and IPv6 addresses and ranges', () => {
  it('reads compressed IPv6, embedded IPv4 and bare addresses, and refuses malformed ones', () => {
    const range = parseCidr('2001:DB8:1234:5678::/64');
    const address = parseAddress('2001:db8:1234:5678:ffff::1');
    assert.ok(range !== undefined && address !== undefined && inCidr(range, address));
    const mapped = parseAddress('::ffff:192.0.2.1');
    const v6range = parseCidr('::ffff:192.0.2.0/120');
    assert.ok(mapped !== undefined && v6range !== undefined && inCidr(v6range, mapped));
    const single = parseCidr('203.0.113.5');
    assert.deepEqual(single?.bits, 32);
    const v4 = parseAddress('10.0.0.1');
    assert.ok(v4 !== undefined && single !== undefined && !inCidr(single, v4));
    const any = parseCidr('0.0.0.0/0');
    assert.ok(any !== undefined && v4 !== undefined && inCidr(any, v4));
    // An IPv4 range never contains an IPv6 address.
    assert.ok(any !== undefined && address !== undefined && !inCidr(any, address));
    for (const bad of ['256.0.0.1', '10.0.0/8', '10.0.0.0/33', '1::2::3', '2001:db8::/129', 'example.com']) assert.equal(parseCidr(bad), undefined, bad);
  });
});
