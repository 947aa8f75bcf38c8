import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readControls } from './catalog.js';
import { demoCalls, demoControls } from './demo-guardrails.js';

describe('the demo guardrail activity', () => {
  it('lays down a week of calls per account, some in us-east-1 and some creating IAM users, the same every time', () => {
    const now = new Date('2030-04-10T00:00:00.000Z');
    const calls = demoCalls(['111111111111', '222222222222'], now);
    assert.equal(calls.length, 120);
    assert.deepEqual(calls, demoCalls(['111111111111', '222222222222'], now));
    const weekAgo = now.getTime() - 7 * 86_400_000;
    assert.ok(calls.every((c) => c.eventTime !== undefined && c.eventTime.getTime() >= weekAgo && c.eventTime < now));
    assert.ok(calls.filter((c) => c.region === 'us-east-1' && !c.action.startsWith('iam:')).length >= 5);
    assert.equal(calls.filter((c) => c.action === 'iam:CreateUser').length, 6);
    assert.ok(calls.every((c) => c.principal.arn.startsWith(`arn:aws:sts::${c.accountId}:assumed-role/AWSReservedSSO_`)));
    const creators = new Set(calls.filter((c) => c.action === 'iam:CreateUser').map((c) => /AWSReservedSSO_(\w+?)_/.exec(c.principal.arn)?.[1]));
    assert.deepEqual([...creators].sort(), ['Admin', 'NonAdmin'], 'the audit shows both an exempt and a denied creator');
  });

  it("finds the catalog's region-deny and IAM-user controls by what they deny", async () => {
    const controls = await readControls(fileURLToPath(new URL('../../catalog', import.meta.url)));
    const found = demoControls(controls);
    assert.equal(found.length, 2);
    const statements = found.map((id) => JSON.stringify(controls.find((c) => c.id === id)?.implementations.preventive?.statements));
    assert.match(statements[0] ?? '', /aws:RequestedRegion/);
    assert.match(statements[1] ?? '', /iam:CreateUser/);
  });
});
