import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { breakGlassVerbs, parseDuration } from './break-glass.js';
import { notCalled, verbHarness, type Handler } from './testing.js';
import type { GrantView } from '../contracts/break-glass.js';

const hatoba = (handle: Handler) => verbHarness(breakGlassVerbs, handle);

const grant = (over: Partial<GrantView> = {}): GrantView => ({
  id: 'grt_0190000000001',
  account: { id: 'acc_01', provider: 'simulated', providerAccountId: '222233334444' },
  tenantId: 'org_01',
  requester: { personId: 'per_01', email: 'ope@hatoba.example', name: 'Ope' },
  reason: 'incident 42',
  durationMinutes: 90,
  status: 'requested',
  statusLabel: { ja: '承認待ち', en: 'Awaiting decision' },
  requestedAt: '2030-04-01T00:00:00.000Z',
  decision: null,
  startsAt: null,
  expiresAt: null,
  ended: null,
  access: { state: 'none', stateLabel: { ja: '権限なし', en: 'No access' }, assignedAt: null, removedAt: null, error: null },
  ...over,
});

describe('hatoba break-glass', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('reads durations in minutes and hours, from 15 minutes to a day', () => {
    assert.deepEqual(['15', '90m', '2h', '1h30m', '24h'].map(parseDuration), [15, 90, 120, 90, 1440]);
    for (const bad of ['10m', '25h', 'soon', '', '1.5h']) assert.throws(() => parseDuration(bad), bad);
  });

  it('requests access with the account, the reason and the duration in minutes', async () => {
    const cli = hatoba(() => Response.json(grant(), { status: 201 }));
    await cli.run('break-glass', 'request', '--account', 'acc_01', '--reason', 'incident 42', '--duration', '1h30m', '--lang', 'en');
    assert.deepEqual(cli.calls, [{ method: 'POST', path: '/api/break-glass/requests', body: { accountId: 'acc_01', reason: 'incident 42', durationMinutes: 90 } }]);
    assert.equal(cli.out[0], 'grt_0190000000001  Awaiting decision  No access');
  });

  it('refuses a duration beyond a day before sending anything, with exit code 2', async () => {
    const cli = hatoba(notCalled);
    await assert.rejects(cli.run('break-glass', 'request', '--account', 'acc_01', '--reason', 'x', '--duration', '2d'), (e: unknown) => e instanceof Error && 'exitCode' in e && e.exitCode === 2);
    assert.equal(cli.calls.length, 0);
  });

  it('approves with a note and says when the access ends', async () => {
    const approved = grant({ status: 'approved', statusLabel: { ja: '有効', en: 'Active' }, expiresAt: '2030-04-01T01:30:00.000Z', access: { state: 'assigning', stateLabel: { ja: '権限を付与中', en: 'Granting access' }, assignedAt: null, removedAt: null, error: null } });
    const cli = hatoba(() => Response.json(approved));
    await cli.run('break-glass', 'approve', 'grt_0190000000001', '--note', 'ok');
    assert.deepEqual(cli.calls, [{ method: 'POST', path: '/api/break-glass/grants/grt_0190000000001/approve', body: { note: 'ok' } }]);
    assert.deepEqual(cli.out, ['grt_0190000000001: 有効 (権限を付与中) -> 2030-04-01T01:30:00.000Z']);
  });

  it('reports a refusal to decide another tenant’s grant as not found, exit 3', async () => {
    const cli = hatoba(() => Response.json({ code: 'not_found', message: 'break-glass grant grt_x was not found', issues: [] }, { status: 404 }));
    await cli.run('break-glass', 'deny', 'grt_x', '--note', 'no');
    assert.deepEqual(cli.err, ['break-glass grant grt_x was not found']);
    assert.equal(process.exitCode, 3);
  });

  it('lists grants with filters as query and prints a table', async () => {
    let asked = '';
    const cli = hatoba((req) => {
      asked = new URL(req.url).search;
      return Response.json({ items: [grant()] });
    });
    await cli.run('break-glass', 'list', '--status', 'requested', '--tenant', '2000012010035', '--lang', 'en');
    const query = new URLSearchParams(asked);
    assert.deepEqual([query.get('status'), query.get('tenant')], ['requested', '2000012010035']);
    assert.match(cli.out[0] ?? '', /^ID\s+STATUS\s+ACCOUNT/);
    assert.match(cli.out[1] ?? '', /grt_0190000000001\s+Awaiting decision\s+222233334444\s+ope@hatoba.example\s+1h30m/);
  });

  it('shows what was done under a grant, newest first', async () => {
    const cli = hatoba(() =>
      Response.json({
        grant: grant({ status: 'expired', statusLabel: { ja: '期限切れ', en: 'Expired' } }),
        window: { from: '2030-04-01T00:00:00.000Z', to: '2030-04-01T01:30:00.000Z' },
        events: [{ eventId: 'e1', eventTime: '2030-04-01T00:10:00.000Z', eventSource: 'ec2.amazonaws.com', eventName: 'StopInstances', awsRegion: 'ap-northeast-1', principal: 'arn', readOnly: false, errorCode: null, resources: ['arn:aws:ec2:ap-northeast-1:222233334444:instance/i-1'] }],
        truncated: false,
      }),
    );
    await cli.run('break-glass', 'activity', 'grt_0190000000001', '--lang', 'en');
    assert.equal(cli.calls[0]?.path, '/api/break-glass/grants/grt_0190000000001/activity');
    assert.ok(cli.out.some((l) => /StopInstances/.test(l) && /instance\/i-1/.test(l)));
  });

  it('lists a tenant’s alerts, only the unacknowledged when asked', async () => {
    let asked = '';
    const cli = hatoba((req) => {
      asked = `${new URL(req.url).pathname}${new URL(req.url).search}`;
      return Response.json({ items: [] });
    });
    await cli.run('break-glass', 'alerts', '2000012010035', '--unacknowledged');
    assert.equal(asked, '/api/tenants/2000012010035/alerts?unacknowledged=true&limit=50');
    assert.deepEqual(cli.out, ['警告はありません']);
  });
});
