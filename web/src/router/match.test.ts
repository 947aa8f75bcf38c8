import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLocalPath, matchPath } from './match';

describe('the portal router', () => {
  it('matches literal paths and names one segment per parameter, decoded', () => {
    assert.deepEqual(matchPath('/requests', '/requests'), {});
    assert.deepEqual(matchPath('/requests', '/requests/'), {});
    assert.deepEqual(matchPath('/accounts/:id', '/accounts/acc_01%20x'), { id: 'acc_01 x' });
  });

  it('refuses other lengths, other literals, and a segment that does not decode', () => {
    assert.equal(matchPath('/accounts/:id', '/accounts'), undefined);
    assert.equal(matchPath('/accounts/:id', '/accounts/a/b'), undefined);
    assert.equal(matchPath('/accounts/:id', '/systems/a'), undefined);
    assert.equal(matchPath('/accounts/:id', '/accounts/%E0%A4%A'), undefined);
  });

  it('takes only same-site paths as places to go back to', () => {
    assert.equal(isLocalPath('/requests?x=1'), true);
    assert.equal(isLocalPath('//evil.example/'), false);
    assert.equal(isLocalPath('/\\evil.example'), false);
    assert.equal(isLocalPath('https://evil.example/'), false);
    assert.equal(isLocalPath('requests'), false);
  });
});
