import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { CommanderError } from 'commander';
import { guardrailVerbs } from './guardrails.js';
import { verbHarness, type Handler } from './testing.js';

const target = (patch: Record<string, unknown> = {}) => ({
  provider: 'simulated', ouId: 'ou-ab12-34567890', ouPath: '/Workloads/Prod', kind: 'SCP', exists: true, stage: 'audit', stageLabel: { ja: '監査', en: 'Audit' },
  controls: ['HTB-GOV-001'], pendingInAudit: false, auditSince: '2030-04-01T00:00:00.000Z', enforced: null, version: 2, converged: true, updatedAt: '2030-04-01T00:00:00.000Z', updatedBy: 'alice@example.jp',
  ...patch,
});

const report = {
  id: 'rpt_1', provider: 'simulated', ouId: 'ou-ab12-34567890', ouPath: '/Workloads/Prod', kind: 'SCP', stage: 'audit', inAudit: true, policyHash: 'a'.repeat(64), controls: ['HTB-GOV-001'],
  since: '2030-04-01T00:00:00.000Z', until: '2030-04-10T00:00:00.000Z', computedAt: '2030-04-10T00:00:00.000Z', computedBy: 'alice@example.jp',
  headline: { ja: 'この方針は 2030-04-01 以降、1 アカウントの 1 プリンシパルによる 3 件の呼び出しを拒否していたはずです（再生 9 件中）', en: 'This policy would have denied 3 calls by 1 principal(s) in 1 account(s) since 2030-04-01 (of 9 replayed)' },
  findings: {
    events: 20, replayed: 9, wouldDeny: 3, principals: 1, accounts: 1, accountsInScope: 4,
    byPrincipal: [{ key: 'arn:aws:iam::111122223333:role/Developer', count: 3 }], byAccount: [{ key: '111122223333', count: 3 }], byAction: [{ key: 'ec2:RunInstances', count: 3 }],
    byStatement: [{ key: 'hatoba-ou-ab12-34567890-scp-1/HTBGOV001DenyOtherRegions', count: 3 }],
    samples: [{ eventId: 'e1', eventTime: '2030-04-02T00:00:00.000Z', principal: 'arn:aws:sts::111122223333:assumed-role/Developer/dev1', accountId: '111122223333', action: 'ec2:RunInstances', region: 'us-east-1', reason: { stage: 'scp', level: 2, message: 'explicitly denied' } }],
    skipped: { failed: 0, alreadyDenied: 0, outsideRollout: 11, unmapped: 0, before: 0 }, unknownResource: 9, policies: [{ name: 'hatoba-ou-ab12-34567890-scp-1', size: 210, controlIds: ['HTB-GOV-001'] }],
  },
};

const preview = { kind: 'SCP', controls: ['HTB-GOV-001', 'HTB-IAM-001'], policyHash: 'b'.repeat(64), freeSlots: 4, policies: [{ name: 'hatoba-ou-ab12-34567890-scp-1', description: 'd', size: 400, limit: 5120, controlIds: ['HTB-GOV-001', 'HTB-IAM-001'], content: '{}', lint: [] }] };

const ok = (body: unknown, status = 200) => Response.json(body, { status });

const hatoba = (handle: Handler) => verbHarness(guardrailVerbs, handle);

describe('hatoba guardrails', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('lists OUs with their stage under Japanese headers by default', async () => {
    const cli = hatoba(() => ok({ items: [target(), target({ ouPath: '/Workloads/Dev', ouId: 'ou-ab12-dev00000', stage: 'off', stageLabel: { ja: '無効', en: 'Off' }, controls: [], auditSince: null })] }));
    await cli.run('guardrails', 'list');
    assert.match(cli.out[0] ?? '', /^OU パス\s+OU ID\s+種類\s+段階\s+コントロール/);
    assert.match(cli.out[1] ?? '', /^\/Workloads\/Prod\s+ou-ab12-34567890\s+SCP\s+監査\s+HTB-GOV-001\s+2030-04-01$/);
    assert.match(cli.out[2] ?? '', /^\/Workloads\/Dev .*無効\s+-\s+-$/);
  });

  it('says when a stage change has not reached the provider yet and how to finish it', async () => {
    const cli = hatoba(() => ok({ items: [target({ stage: 'enforce', stageLabel: { ja: '適用', en: 'Enforce' }, converged: false })] }));
    await cli.run('guardrails', 'list', '--lang', 'en');
    assert.match(cli.out[1] ?? '', /Enforce \[not applied yet: request the same stage again\]/);
  });

  it('selects controls given comma-separated, on the OU path encoded in the URL', async () => {
    const cli = hatoba(() => ok({ target: target({ controls: ['HTB-GOV-001', 'HTB-IAM-001'] }), preview }));
    await cli.run('guardrails', 'select', '/Workloads/Prod', '--controls', 'HTB-GOV-001, HTB-IAM-001', '--reason', 'also IAM users', '--lang', 'en');
    assert.deepEqual(cli.calls, [{ method: 'PUT', path: '/api/guardrails/targets/%2FWorkloads%2FProd/controls', body: { controls: ['HTB-GOV-001', 'HTB-IAM-001'], kind: 'SCP', reason: 'also IAM users' } }]);
    assert.ok(cli.out.some((l) => /^hatoba-ou-ab12-34567890-scp-1\s+400\/5120\s+HTB-GOV-001,HTB-IAM-001$/.test(l)), cli.out.join('\n'));
  });

  it('prints the impact headline in Japanese and English, then the tables and how to enforce', async () => {
    const cli = hatoba(() => ok(report, 201));
    await cli.run('guardrails', 'impact', 'ou-ab12-34567890', '--since', '2030-04-01', '--lang', 'en');
    assert.deepEqual(cli.calls[0]?.body, { kind: 'SCP', since: '2030-04-01' });
    assert.equal(cli.out[0], report.headline.ja);
    assert.equal(cli.out[1], report.headline.en);
    assert.ok(cli.out.includes('By principal'));
    assert.ok(cli.out.some((l) => /^arn:aws:iam::111122223333:role\/Developer\s+3$/.test(l)));
    assert.ok(cli.out.some((l) => /^2030-04-02T00:00:00.000Z\s+111122223333\s+arn:aws:sts::.*ec2:RunInstances\s+us-east-1$/.test(l)));
    assert.equal(cli.out.at(-1), 'to enforce: hatoba guardrails stage /Workloads/Prod enforce --report rpt_1 --reason "…"');
  });

  it('refuses a --since that is not a date before sending anything (exit 2)', async () => {
    const cli = hatoba(() => assert.fail('nothing is sent'));
    await cli.run('guardrails', 'impact', '/Workloads/Prod', '--since', 'last week');
    assert.equal(process.exitCode, 2);
    assert.match(cli.err[0] ?? '', /--since: "last week" is not a date/);
  });

  it('sends the report id and the reason when enforcing, and says what is attached', async () => {
    const cli = hatoba(() => ok({ target: target({ stage: 'enforce', stageLabel: { ja: '適用', en: 'Enforce' } }), changed: true, policyIds: ['p-abc12345'] }));
    await cli.run('guardrails', 'stage', '/Workloads/Prod', 'enforce', '--report', 'rpt_1', '--reason', 'reviewed', '--lang', 'en');
    assert.deepEqual(cli.calls[0], { method: 'POST', path: '/api/guardrails/targets/%2FWorkloads%2FProd/stage', body: { stage: 'enforce', reason: 'reviewed', kind: 'SCP', impactReportId: 'rpt_1' } });
    assert.deepEqual(cli.out, ['/Workloads/Prod SCP: now Enforce', 'attached: p-abc12345']);
  });

  it('sends the acceptance of an empty report only when asked', async () => {
    const cli = hatoba(() => ok({ target: target({ stage: 'enforce', stageLabel: { ja: '適用', en: 'Enforce' } }), changed: true, policyIds: [] }));
    await cli.run('guardrails', 'stage', '/Workloads/Prod', 'enforce', '--report', 'rpt_1', '--accept-empty-report', '--reason', 'new OU, no activity yet');
    assert.deepEqual(cli.calls[0]?.body, { stage: 'enforce', reason: 'new OU, no activity yet', kind: 'SCP', impactReportId: 'rpt_1', acceptEmptyReport: true });
  });

  it('exits 4 with the refusal when the server will not enforce', async () => {
    const message = 'off から enforce へ直接は移れません / a rollout cannot go from off to enforce: put it in audit and review an impact report first';
    const cli = hatoba(() => ok({ code: 'invalid_state', message, issues: [] }, 409));
    await cli.run('guardrails', 'stage', '/Workloads/Prod', 'enforce', '--reason', 'hurry');
    assert.equal(process.exitCode, 4);
    assert.deepEqual(cli.err, [message]);
  });

  it('refuses an unknown stage and a missing reason as usage errors', async () => {
    const cli = hatoba(() => assert.fail('nothing is sent'));
    await assert.rejects(cli.run('guardrails', 'stage', '/Workloads/Prod', 'later', '--reason', 'x'), (e: unknown) => e instanceof CommanderError && e.code === 'commander.invalidArgument');
    await assert.rejects(cli.run('guardrails', 'stage', '/Workloads/Prod', 'audit'), (e: unknown) => e instanceof CommanderError && e.code === 'commander.missingMandatoryOptionValue');
  });
});
