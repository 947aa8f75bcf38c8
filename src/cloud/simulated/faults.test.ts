import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultInjector } from './faults.js';

const pattern = (faults: FaultInjector, operation: string, calls: number): string =>
  Array.from({ length: calls }, () => (faults.callFault(operation) === undefined ? '.' : 'x')).join('');

describe('fault injector', () => {
  it('fails exactly the next N matching calls of a times rule, then retires it', () => {
    const faults = new FaultInjector({ calls: [{ operation: 'CreateAccount', error: 'ServiceException', times: 2 }] });
    assert.equal(pattern(faults, 'ListAccounts', 3), '...');
    assert.equal(pattern(faults, 'CreateAccount', 4), 'xx..');
  });

  it('gives the same faults for the same seed and a different sequence for another seed', () => {
    const rule = { operation: '*', error: 'TooManyRequestsException' as const, rate: 0.5 };
    const a = pattern(new FaultInjector({ seed: 42, calls: [rule] }), 'ListAccounts', 40);
    const b = pattern(new FaultInjector({ seed: 42, calls: [rule] }), 'ListAccounts', 40);
    const c = pattern(new FaultInjector({ seed: 7, calls: [rule] }), 'ListAccounts', 40);
    assert.equal(a, b);
    assert.notEqual(a, c);
    const hits = [...a].filter((ch) => ch === 'x').length;
    assert.ok(hits > 5 && hits < 35, `about half of the calls fail (${hits}/40)`);
  });

  it('throws the configured error as a retryable CloudError', () => {
    const faults = new FaultInjector({ calls: [{ operation: 'MoveAccount', error: 'ConcurrentModificationException' }] });
    const error = faults.callFault('MoveAccount');
    assert.equal(error?.code, 'ConcurrentModificationException');
    assert.equal(error?.retryable, true);
    assert.match(error?.message ?? '', /another operation is in progress/i);
  });

  it('matches creation rules on e-mail without regard to case', () => {
    const faults = new FaultInjector({ creations: [{ outcome: 'EMAIL_ALREADY_EXISTS', emails: ['Taken@Example.org'] }] });
    assert.equal(faults.creationOutcome('free@example.org'), undefined);
    assert.deepEqual(faults.creationOutcome('taken@example.ORG'), { reason: 'EMAIL_ALREADY_EXISTS' });
    assert.deepEqual(faults.creationOutcome('taken@example.org'), { reason: 'EMAIL_ALREADY_EXISTS' }, 'a rule without times keeps firing');
  });

  it('refuses a rule that gives both times and rate', () => {
    assert.throws(() => new FaultInjector({ calls: [{ operation: '*', error: 'ServiceException', times: 1, rate: 0.5 }] }));
  });

  it('forgets every rule on clear', () => {
    const faults = new FaultInjector({ calls: [{ operation: '*', error: 'ServiceException' }] });
    faults.injectCreation({ outcome: 'NEVER_COMPLETES' });
    faults.clear();
    assert.equal(faults.callFault('CreateAccount'), undefined);
    assert.equal(faults.creationOutcome('a@b.cd'), undefined);
  });
});
