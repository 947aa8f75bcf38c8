import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describePath, issuesByField, type ApiFailure } from './problem';

const problem = (issues: { path: (string | number)[]; message: string }[]): ApiFailure => ({ kind: 'problem', status: 422, code: 'validation_failed', message: 'invalid', issues });

describe('problems shown next to their fields', () => {
  it('puts each issue under the form field its path names, and keeps the rest for the summary', () => {
    const { byField, other } = issuesByField(
      problem([
        { path: ['body', 'environment'], message: 'Invalid option' },
        { path: ['body', 'accountName'], message: 'already used' },
        { path: ['body', 'accountName'], message: 'too long' },
        { path: ['body', 'tenantCode'], message: 'unknown' },
        { path: ['header', 'x-csrf-token'], message: 'missing' },
      ]),
      ['environment', 'accountName', 'systemId'],
    );
    assert.deepEqual(byField, { environment: ['Invalid option'], accountName: ['already used', 'too long'] });
    assert.deepEqual(other.map((i) => i.path), [['body', 'tenantCode'], ['header', 'x-csrf-token']]);
  });

  it('reads query issues for a filter form, and nothing from a failure without issues', () => {
    assert.deepEqual(issuesByField(problem([{ path: ['query', 'to'], message: 'must be after from' }]), ['to'], 'query').byField, { to: ['must be after from'] });
    assert.deepEqual(issuesByField({ kind: 'network' }, ['to']), { byField: {}, other: [] });
    assert.deepEqual(issuesByField(undefined, ['to']), { byField: {}, other: [] });
  });

  it('writes a location as people read it', () => {
    assert.equal(describePath(['body', 'requests', 3, 'email']), 'body › requests › 3 › email');
  });
});
