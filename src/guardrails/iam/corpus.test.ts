import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicyJson, fullAwsAccess, type CompiledPolicy } from './compile.js';
import { evaluate, type Decision } from './evaluate.js';
import type { AuthorizationRequest, ContextValue, RequestPrincipal } from './request.js';

// A generated corpus: every combination of the cases AWS's documentation distinguishes, with the
// expected answer written down from the documentation (tables below), not computed by the evaluator.

const MEMBER = '111122223333';
const MANAGEMENT = '999988887777';
const developer: RequestPrincipal = { arn: `arn:aws:sts::${MEMBER}:assumed-role/Developer/alice`, accountId: MEMBER, type: 'assumed-role' };

const scp = (statements: unknown[], name: string): CompiledPolicy => {
  const compiled = compilePolicyJson({ Version: '2012-10-17', Statement: statements }, { kind: 'SCP', name });
  if ('issues' in compiled) throw new Error(JSON.stringify(compiled.issues));
  return compiled.policy;
};

const request = (over: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({ principal: developer, action: 'test:Act', region: 'ap-northeast-1', ...over });

/** Whether a Deny statement with this condition fires, beside FullAWSAccess. */
const denies = (condition: Record<string, Record<string, unknown>>, context: Record<string, ContextValue>): boolean => {
  const policy = scp([{ Effect: 'Deny', Action: 'test:*', Resource: '*', Condition: condition }], 'Probe');
  const decision = evaluate(request({ context }), { scps: [[fullAwsAccess('SCP'), policy]] });
  assert.notEqual(decision.decision, 'implicit-deny');
  return decision.decision === 'explicit-deny';
};

describe('set qualifiers, IfExists and negated operators over absent, empty, single and multiple values', () => {
  // Columns: the key is absent, empty, one matching value, one other value, several values all
  // matching, some matching, none matching. "Conditions with multiple context keys or values",
  // "Set operators for multivalued context keys", "…IfExists condition operators".
  const states = ['absent', 'empty', 'one match', 'one miss', 'all match', 'some match', 'no match'] as const;
  const TABLE: Record<string, { positive: string; negated: string }> = {
    '': { positive: 'FFTFTTF', negated: 'TTFTFFT' },
    'ForAnyValue:': { positive: 'FFTFTTF', negated: 'FFFTFTT' },
    'ForAllValues:': { positive: 'TTTFTFF', negated: 'TTFTFFT' },
  };
  // Each family: the policy values, two context values that match them and two that do not.
  const FAMILIES = [
    { positive: 'StringEquals', negated: 'StringNotEquals', values: ['alpha', 'beta'], hit: ['alpha', 'beta'], miss: ['Alpha', 'gamma'] },
    { positive: 'StringEqualsIgnoreCase', negated: 'StringNotEqualsIgnoreCase', values: ['Alpha', 'beta'], hit: ['ALPHA', 'Beta'], miss: ['alphas', 'gamma'] },
    { positive: 'StringLike', negated: 'StringNotLike', values: ['a*', 'b?t'], hit: ['apple', 'bat'], miss: ['bt', 'zebra'] },
    { positive: 'ArnLike', negated: 'ArnNotLike', values: ['arn:aws:iam::*:role/A*'], hit: [`arn:aws:iam::${MEMBER}:role/Admin`, 'arn:aws:iam::444455556666:role/Audit'], miss: [`arn:aws:iam::${MEMBER}:user/Admin`, `arn:aws:iam::${MEMBER}:role/Builder`] },
    { positive: 'ArnEquals', negated: 'ArnNotEquals', values: [`arn:aws:s3:::logs`, 'arn:aws:sns:*:*:alerts'], hit: ['arn:aws:s3:::logs', `arn:aws:sns:us-east-1:${MEMBER}:alerts`], miss: ['arn:aws:s3:::logs2', 'arn:aws:sns:us-east-1:1:x:alerts'] },
    { positive: 'IpAddress', negated: 'NotIpAddress', values: ['10.0.0.0/8', '2001:db8::/32'], hit: ['10.20.30.40', '2001:db8:ffff::1'], miss: ['192.0.2.1', '2001:db9::1'] },
    { positive: 'NumericEquals', negated: 'NumericNotEquals', values: ['1', '2.5'], hit: ['1', '2.50'], miss: ['3', 'not a number'] },
    { positive: 'DateEquals', negated: 'DateNotEquals', values: ['2026-01-01T00:00:00Z', '1767312000'], hit: ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'], miss: ['2026-02-01T00:00:00Z', '1767225601'] },
  ];
  for (const family of FAMILIES) {
    const contexts: (string[] | undefined)[] = [undefined, [], [family.hit[0] ?? ''], [family.miss[0] ?? ''], family.hit, [family.hit[0] ?? '', family.miss[0] ?? ''], family.miss];
    for (const [qualifier, row] of Object.entries(TABLE)) {
      for (const polarity of ['positive', 'negated'] as const) {
        for (const ifExists of [false, true]) {
          const operator = `${qualifier}${family[polarity]}${ifExists ? 'IfExists' : ''}`;
          it(`${operator} is true exactly where AWS's documentation says`, () => {
            const got = contexts.map((values) => (denies({ [operator]: { 'hatoba:Key': family.values } }, values === undefined ? {} : { 'hatoba:key': values }) ? 'T' : 'F')).join('');
            // IfExists makes an absent (or empty) key true and changes nothing else.
            const want = [...row[polarity]].map((c, i) => (ifExists && i < 2 ? 'T' : c)).join('');
            assert.equal(got, want, states.map((s, i) => `${s}=${got[i]}`).join(' '));
          });
        }
      }
    }
  }

  it('Null is true for an absent or empty key when it says true, and for a present key when it says false', () => {
    const cases: [ContextValue | undefined, string, boolean][] = [
      [undefined, 'true', true],
      [[], 'true', true],
      ['x', 'true', false],
      [undefined, 'false', false],
      ['x', 'false', true],
      [['x', 'y'], 'false', true],
    ];
    for (const [value, says, expected] of cases) {
      assert.equal(denies({ Null: { 'hatoba:key': says } }, value === undefined ? {} : { 'hatoba:key': value }), expected, `${JSON.stringify(value)} ${says}`);
    }
  });
});

describe('Numeric and Date comparisons of one value', () => {
  // Policy value 10 (or 2026-06-01); the request's value below, equal to and above it.
  const TABLE: [string, string][] = [
    ['Equals', 'FTF'],
    ['NotEquals', 'TFT'],
    ['LessThan', 'TFF'],
    ['LessThanEquals', 'TTF'],
    ['GreaterThan', 'FFT'],
    ['GreaterThanEquals', 'FTT'],
  ];
  for (const [suffix, want] of TABLE) {
    it(`Numeric${suffix} and Date${suffix} compare the request's value with the policy's`, () => {
      const numeric = [9, 10, 10.5].map((n) => (denies({ [`Numeric${suffix}`]: { 's3:max-keys': '10' } }, { 's3:max-keys': n }) ? 'T' : 'F')).join('');
      const dates = ['2026-05-31T23:59:59Z', '2026-06-01T00:00:00Z', '2026-06-01T09:00:00+09:00'];
      const date = dates.map((d) => (denies({ [`Date${suffix}`]: { 'aws:CurrentTime': '2026-06-01T00:00:00Z' } }, { 'aws:CurrentTime': d }) ? 'T' : 'F')).join('');
      assert.equal(numeric, want);
      // 09:00 in Tokyo is 00:00 UTC: equal, not after.
      assert.equal(date, want.slice(0, 2) + want.charAt(1));
    });
  }

  it('compares dates given as epoch seconds with ISO 8601 values, and reads aws:CurrentTime from the request time', () => {
    const policy = scp([{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '1767225600' } } }], 'AfterNewYear');
    const at = (iso: string): Decision => evaluate(request({ currentTime: new Date(iso) }), { scps: [[fullAwsAccess('SCP'), policy]] });
    assert.equal(at('2026-01-01T00:00:01Z').decision, 'explicit-deny');
    assert.equal(at('2025-12-31T23:59:59Z').decision, 'allow');
    assert.equal(evaluate(request(), { scps: [[fullAwsAccess('SCP'), policy]] }).decision, 'allow');
  });
});

describe('Bool with booleans and the strings true and false', () => {
  it('treats true and "true" (in the policy and in the request) alike, ignoring case', () => {
    for (const policyValue of [true, 'true', 'TRUE']) {
      for (const [requestValue, expected] of [[true, true], ['true', true], ['True', true], [false, false], ['false', false]] as const) {
        assert.equal(denies({ Bool: { 'aws:SecureTransport': policyValue } }, { 'aws:SecureTransport': requestValue }), expected, `${policyValue} vs ${requestValue}`);
      }
    }
  });
});

describe('Action, NotAction, Resource and NotResource', () => {
  // [pattern, request value, matches?] — "IAM JSON policy elements: Action / NotAction / Resource /
  // NotResource": actions are case-insensitive with * and ?; ARNs are compared field by field and are
  // case-sensitive; * alone is every resource.
  const ACTIONS: [string, string, boolean][] = [
    ['ec2:Describe*', 'ec2:DescribeInstances', true],
    ['ec2:Describe*', 'EC2:describeinstances', true],
    ['ec2:Describe*', 'ec2:RunInstances', false],
    ['ec2:*Instances', 'ec2:TerminateInstances', true],
    ['iam:Get?ser', 'iam:GetUser', true],
    ['iam:Get?ser', 'iam:GetUsers', false],
    ['*', 'anything:AtAll', true],
    ['s3:*', 's3express:CreateSession', false],
  ];
  const RESOURCES: [string, string, boolean][] = [
    ['*', 'arn:aws:s3:::bucket', true],
    ['*', '*', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b.txt', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket', false],
    ['arn:aws:s3:::Bucket', 'arn:aws:s3:::bucket', false],
    ['arn:aws:iam::*:role/*', `arn:aws:iam::${MEMBER}:role/path/Name`, true],
    ['arn:aws:iam::*:role/*', `arn:aws:iam::${MEMBER}:user/Name`, false],
    ['arn:aws:ec2:*:*:instance/i-?', `arn:aws:ec2:us-east-1:${MEMBER}:instance/i-1`, true],
    ['arn:aws:ec2:*:*:instance/i-?', `arn:aws:ec2:us-east-1:${MEMBER}:instance/i-12`, false],
    // The ARN operators' own example: a wildcard does not cross the colons before the resource part.
    ['arn:aws:someservice:*:111122223333:finance/*', 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt', false],
    ['arn:aws:logs:*:*:log-group:/aws/*', `arn:aws:logs:us-east-1:${MEMBER}:log-group:/aws/lambda/f:*`, true],
    ['arn:aws:s3:::a*', '*', false],
  ];
  const decide = (statement: Record<string, unknown>, over: Partial<AuthorizationRequest>): string =>
    evaluate(request(over), { scps: [[fullAwsAccess('SCP'), scp([{ Effect: 'Deny', ...statement }], 'Probe')]] }).decision;

  for (const [pattern, action, matches] of ACTIONS) {
    it(`Action ${pattern} ${matches ? 'covers' : 'does not cover'} ${action}, and NotAction the opposite`, () => {
      assert.equal(decide({ Action: pattern, Resource: '*' }, { action }), matches ? 'explicit-deny' : 'allow');
      assert.equal(decide({ NotAction: pattern, Resource: '*' }, { action }), matches ? 'allow' : 'explicit-deny');
    });
  }
  for (const [pattern, resource, matches] of RESOURCES) {
    it(`Resource ${pattern} ${matches ? 'covers' : 'does not cover'} ${resource}, and NotResource the opposite`, () => {
      assert.equal(decide({ Action: '*', Resource: pattern }, { resources: [resource] }), matches ? 'explicit-deny' : 'allow');
      assert.equal(decide({ Action: '*', NotResource: pattern }, { resources: [resource] }), matches ? 'allow' : 'explicit-deny');
    });
  }
});

describe('the chain of SCP levels: root, each OU, the account', () => {
  // What each level has attached. The expected decision follows "SCP evaluation": a Deny at any level
  // denies; otherwise every level must have an Allow covering the action.
  const OPTIONS = {
    full: () => [fullAwsAccess('SCP')],
    'full+deny': () => [fullAwsAccess('SCP'), scp([{ Sid: 'NoTerminate', Effect: 'Deny', Action: 'ec2:TerminateInstances', Resource: '*' }], 'NoTerminate')],
    allowlist: () => [scp([{ Effect: 'Allow', Action: ['s3:*', 'ec2:Describe*'], Resource: '*' }], 'OnlyS3AndDescribe')],
    nothing: () => [],
  } satisfies Record<string, () => CompiledPolicy[]>;
  type Option = keyof typeof OPTIONS;
  const names = Object.keys(OPTIONS) as Option[];
  const ACTIONS = ['ec2:TerminateInstances', 's3:GetObject', 'ec2:DescribeInstances', 'ec2:RunInstances'];
  const allowsAt = (option: Option, action: string): boolean =>
    option === 'full' || option === 'full+deny' || (option === 'allowlist' && (action.startsWith('s3:') || action.startsWith('ec2:Describe')));
  const expected = (levels: Option[], action: string): { decision: Decision['decision']; level?: number } => {
    const deny = levels.findIndex((o) => o === 'full+deny' && action === 'ec2:TerminateInstances');
    if (deny >= 0) return { decision: 'explicit-deny', level: deny };
    const gap = levels.findIndex((o) => !allowsAt(o, action));
    return gap >= 0 ? { decision: 'implicit-deny', level: gap } : { decision: 'allow' };
  };
  const chains: Option[][] = [];
  for (const a of names) for (const b of names) for (const c of names) chains.push([a, b, c]);

  it('decides all 256 combinations of three levels and four actions as documented, naming the deciding level', () => {
    let count = 0;
    for (const levels of chains) {
      for (const action of ACTIONS) {
        const decision = evaluate(request({ action }), { scps: levels.map((o) => OPTIONS[o]()) });
        const want = expected(levels, action);
        assert.deepEqual({ decision: decision.decision, ...(decision.reason.level === undefined ? {} : { level: decision.reason.level }) }, want, `${levels.join(' > ')} ${action}`);
        if (want.decision !== 'allow') assert.equal(decision.reason.stage, 'scp');
        count++;
      }
    }
    assert.equal(count, 256);
  });

  it('lets the management account, service-linked roles and AWS service principals through every combination', () => {
    const exempt: RequestPrincipal[] = [
      { ...developer, arn: `arn:aws:sts::${MANAGEMENT}:assumed-role/Developer/alice`, accountId: MANAGEMENT },
      { arn: `arn:aws:sts::${MEMBER}:assumed-role/AWSServiceRoleForConfig/config`, accountId: MEMBER, type: 'assumed-role' },
      { arn: `arn:aws:iam::${MEMBER}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`, accountId: MEMBER, type: 'role' },
      { arn: 'config.amazonaws.com', accountId: MEMBER, type: 'service' },
    ];
    for (const principal of exempt) {
      for (const levels of chains) {
        for (const action of ACTIONS) {
          const decision = evaluate({ principal, action, region: 'ap-northeast-1', managementAccountId: MANAGEMENT }, { scps: levels.map((o) => OPTIONS[o]()) });
          assert.equal(decision.decision, 'allow', `${principal.arn} ${levels.join(' > ')} ${action}`);
        }
      }
    }
  });
});
