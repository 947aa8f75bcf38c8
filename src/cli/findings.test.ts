import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { findingVerbs, percent } from './findings.js';
import { verbHarness, type Handler } from './testing.js';

const tally = (passed = 0, failed = 0) => ({ passed, failed, suppressed: 0, errored: 0 });
const score = (value: number | null, failedCritical = 0) => ({
  score: value,
  target: 0.9,
  meetsTarget: value === null ? null : value >= 0.9,
  weighted: { passed: 0, total: 0 },
  checks: { passed: 10, failed: failedCritical, suppressed: 0, errored: 0, total: 10 + failedCritical },
  bySeverity: { critical: tally(1, failedCritical), high: tally(2), medium: tally(3), low: tally(4), informational: tally() },
});
const tenant = { id: 'org_1', code: '131016', kind: 'special_ward', nameJa: '千代田区', nameEn: 'Chiyoda City' };
const finding = (id: string, patch: Record<string, unknown> = {}) => ({
  id, controlId: 'HTB-VPC-004', controlTitle: { ja: 'SSH を公開しない', en: 'No SSH open to the internet' }, severity: 'critical', severityLabel: { ja: '重大', en: 'Critical' },
  provider: 'simulated', accountId: '123456789012', tenantId: 'org_1', region: 'ap-northeast-1', resourceType: 'AWS::EC2::SecurityGroup', resourceId: 'sg-1',
  resourceArn: null, status: 'active', statusLabel: { ja: '未対応', en: 'Active' }, message: null, suppression: null,
  firstSeen: '2030-04-01T00:00:00.000Z', lastSeen: '2030-04-01T00:05:00.000Z', resolvedAt: null, ...patch,
});

const hatoba = (handle: Handler) => verbHarness(findingVerbs, handle, { token: 'hatoba_sec' });

describe('hatoba findings', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('lists active findings by default, passing every filter to the API, with labels in the chosen language', async () => {
    const cli = hatoba(() => Response.json({ items: [finding('HTB-VPC-004.aaa')] }));
    await cli.run('findings', 'list', '--tenant', '131016', '--severity', 'critical', '--control', 'HTB-VPC-004', '--lang', 'en');
    const url = new URL(cli.sent[0]?.url ?? '');
    assert.equal(url.pathname, '/api/findings');
    assert.deepEqual(Object.fromEntries(url.searchParams), { tenant: '131016', control: 'HTB-VPC-004', severity: 'critical', status: 'active', limit: '50' });
    assert.match(cli.out[0] ?? '', /^ID\s+SEVERITY\s+STATUS/);
    assert.match(cli.out[1] ?? '', /HTB-VPC-004\.aaa\s+Critical\s+Active\s+HTB-VPC-004 No SSH open to the internet\s+123456789012\s+AWS::EC2::SecurityGroup sg-1/);
  });

  it('lists every status with --status all, following every page with --all', async () => {
    const cli = hatoba((req) =>
      new URL(req.url).searchParams.get('cursor') === null ? Response.json({ items: [finding('a')], nextCursor: 'next' }) : Response.json({ items: [finding('b', { status: 'resolved' })] }),
    );
    await cli.run('findings', 'list', '--status', 'all', '--all', '--json');
    assert.equal(new URL(cli.sent[0]?.url ?? '').searchParams.get('status'), null);
    assert.deepEqual(JSON.parse(cli.out.join('\n')).map((f: { id: string }) => f.id), ['a', 'b']);
  });

  it('suppresses with a reason and an expiry, as the person of the API token', async () => {
    const cli = hatoba(() => Response.json(finding('HTB-VPC-004.aaa', { status: 'suppressed', statusLabel: { ja: '抑制中', en: 'Suppressed' }, suppression: { reason: 'r', by: 'sec@city.example.jp', at: '2030-04-01T00:00:00.000Z', until: '2030-06-30T15:00:00.000Z' } })));
    await cli.run('findings', 'suppress', 'HTB-VPC-004.aaa', '--reason', '移行中', '--until', '2030-06-30');
    const req = cli.sent[0];
    assert.equal(req?.method, 'POST');
    assert.equal(new URL(req?.url ?? '').pathname, '/api/findings/HTB-VPC-004.aaa/suppress');
    assert.deepEqual(await req?.json(), { reason: '移行中', until: '2030-06-30' });
    assert.equal(req?.headers.get('authorization'), 'Bearer hatoba_sec');
    assert.equal(req?.headers.has('x-hatoba-actor'), false);
    assert.deepEqual(cli.out, ['HTB-VPC-004.aaa: 抑制中 (2030-06-30T15:00:00.000Z)']);
  });

  it('exits 2 and prints every problem when the API refuses a suppression, and 4 when the finding is resolved', async () => {
    const invalid = '抑制の内容が正しくありません / the suppression is not valid';
    const past = '期限は未来の日時にしてください / the expiry must be in the future';
    const refused = hatoba(() => Response.json({ code: 'validation_failed', message: invalid, issues: [{ path: ['body', 'until'], message: past }] }, { status: 422 }));
    await refused.run('findings', 'suppress', 'x', '--reason', 'r', '--until', '2000-01-01');
    assert.equal(process.exitCode, 2);
    assert.deepEqual(refused.err, [invalid, `  body.until: ${past}`]);
    process.exitCode = undefined;
    const resolved = hatoba(() => Response.json({ code: 'invalid_state', message: '検出結果 x は解決済みのため抑制できません / finding x is resolved: there is nothing to suppress', issues: [] }, { status: 409 }));
    await resolved.run('findings', 'suppress', 'x', '--reason', 'r', '--until', '2030-01-01');
    assert.equal(process.exitCode, 4);
  });
});

describe('hatoba posture', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('shows a tenant’s score against the target, with each account and its active findings by severity', async () => {
    const cli = hatoba(() =>
      Response.json({
        tenant,
        score: score(0.875, 2),
        accounts: [{ account: { id: 'acc_1', name: 'chiyoda-juki-prod', provider: 'simulated', providerAccountId: '123456789012', environment: 'prod', systemSlug: 'juki' }, score: score(0.875, 2) }],
      }),
    );
    await cli.run('posture', '--tenant', '131016');
    assert.equal(new URL(cli.sent[0]?.url ?? '').pathname, '/api/posture/tenants/131016');
    assert.equal(cli.out[0], '131016 千代田区');
    assert.equal(cli.out[1], 'スコア 87.5% (目標 90.0%: 未達)');
    assert.match(cli.out[4] ?? '', /^chiyoda-juki-prod\s+123456789012\s+prod\s+87\.5%\s+2\s+0\s+0\s+0$/);
  });

  it('shows one account by id, and the estate when neither is given', async () => {
    const account = hatoba(() => Response.json({ account: { id: 'acc_1', name: 'a', provider: 'simulated', providerAccountId: '123456789012', environment: 'dev', systemSlug: 's' }, tenant, score: score(1) }));
    await account.run('posture', '--account', '123456789012', '--lang', 'en');
    assert.equal(new URL(account.sent[0]?.url ?? '').pathname, '/api/posture/accounts/123456789012');
    assert.equal(account.out[1], 'score 100.0% (target 90.0%: met)');
    const estate = hatoba(() => Response.json({ score: score(null), tenants: [{ tenantId: 'org_1', tenant, score: score(0.5) }] }));
    await estate.run('posture');
    assert.equal(new URL(estate.sent[0]?.url ?? '').pathname, '/api/posture');
    assert.equal(estate.out[1], 'スコア - (目標 90.0%)');
    assert.match(estate.out.at(-1) ?? '', /^131016\s+千代田区\s+50\.0%/);
  });

  it('refuses --tenant with --account before sending anything', async () => {
    const cli = hatoba(() => assert.fail('nothing is sent'));
    await cli.run('posture', '--tenant', '131016', '--account', '123456789012');
    assert.equal(process.exitCode, 2);
    assert.deepEqual(cli.sent, []);
  });

  it('runs a sweep with `posture sweep` and says what it did', async () => {
    const cli = hatoba(() => Response.json({ accounts: 3, resources: 70, checks: 190, opened: 6, reopened: 0, resolved: 1, startedAt: '2030-04-01T00:00:00.000Z', finishedAt: '2030-04-01T00:00:01.000Z' }));
    await cli.run('posture', 'sweep');
    assert.equal(cli.sent[0]?.method, 'POST');
    assert.equal(new URL(cli.sent[0]?.url ?? '').pathname, '/api/posture/sweep');
    assert.deepEqual(cli.out, ['swept 3 account(s), 70 resource(s): 190 check(s), 6 finding(s) opened, 0 reopened, 1 resolved']);
  });

  it('rounds a score down, so a score shown as 90.0% has met the target', () => {
    assert.equal(percent(0.89999), '89.9%');
    assert.equal(percent(0.9), '90.0%');
    assert.equal(percent(null), '-');
  });
});
