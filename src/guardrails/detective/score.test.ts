import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postureScore } from './score.js';

describe('the posture score', () => {
  it('weighs passed checks by severity: one failed critical costs as much as eight failed low', () => {
    const critical = postureScore([
      { severity: 'critical', result: 'fail', suppressed: false, count: 1 },
      { severity: 'low', result: 'pass', suppressed: false, count: 8 },
    ]);
    assert.equal(critical.score, 0.5);
    assert.deepEqual(critical.weighted, { passed: 8, total: 16 });
    assert.equal(critical.meetsTarget, false);
  });

  it('meets the 90% target at exactly 90%', () => {
    const score = postureScore([
      { severity: 'high', result: 'pass', suppressed: false, count: 9 },
      { severity: 'high', result: 'fail', suppressed: false, count: 1 },
    ]);
    assert.equal(score.score, 0.9);
    assert.equal(score.target, 0.9);
    assert.equal(score.meetsTarget, true);
  });

  it('counts a suppressed failure as passed and shows it apart', () => {
    const score = postureScore([
      { severity: 'medium', result: 'pass', suppressed: false, count: 1 },
      { severity: 'medium', result: 'fail', suppressed: true, count: 1 },
    ]);
    assert.equal(score.score, 1);
    assert.deepEqual(score.bySeverity.medium, { passed: 1, failed: 0, suppressed: 1, errored: 0 });
  });

  it('counts errors and unresolvable outcomes in the total but never as passed', () => {
    const score = postureScore([
      { severity: 'high', result: 'pass', suppressed: false, count: 1 },
      { severity: 'high', result: 'error', suppressed: false, count: 1 },
      { severity: 'high', result: 'unresolvable', suppressed: false, count: 2 },
    ]);
    assert.equal(score.score, 0.25);
    assert.deepEqual(score.checks, { passed: 1, failed: 0, suppressed: 0, errored: 3, total: 4 });
  });

  it('gives no score when nothing weighted was checked, and counts informational checks without weighing them', () => {
    const score = postureScore([{ severity: 'informational', result: 'fail', suppressed: false, count: 3 }]);
    assert.equal(score.score, null);
    assert.equal(score.meetsTarget, null);
    assert.equal(score.checks.failed, 3);
    assert.equal(postureScore([]).score, null);
  });
});
