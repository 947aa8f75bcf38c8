import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkAssurance, describeRequirement } from './assurance.js';

const req = { acr: ['urn:hatoba:loa:substantial', 'urn:hatoba:loa:high'], amr: ['mfa'] };

describe('the assurance requirement', () => {
  it('accepts an accepted acr whatever the methods', () => {
    assert.deepEqual(checkAssurance(req, { acr: 'urn:hatoba:loa:high', amr: ['pwd'] }), { met: true });
  });

  it('accepts an accepted amr whatever the level', () => {
    assert.deepEqual(checkAssurance(req, { acr: undefined, amr: ['pwd', 'mfa'] }), { met: true });
  });

  it('refuses a password-only sign-in and names what was required and what was shown, in both languages', () => {
    const result = checkAssurance(req, { acr: 'urn:hatoba:loa:low', amr: ['pwd'] });
    assert.equal(result.met, false);
    if (result.met) return;
    assert.match(result.reason.en, /urn:hatoba:loa:substantial, urn:hatoba:loa:high/);
    assert.match(result.reason.en, /amr\) of mfa/);
    assert.match(result.reason.en, /showed: acr urn:hatoba:loa:low, amr pwd/);
    assert.match(result.reason.ja, /必要な認証の強さ/);
    assert.match(result.reason.ja, /acr urn:hatoba:loa:low/);
  });

  it('refuses a sign-in that shows nothing when something is required', () => {
    const result = checkAssurance({ acr: [], amr: ['hwk'] }, { acr: undefined, amr: [] });
    assert.equal(result.met, false);
    if (!result.met) assert.match(result.reason.en, /acr —, amr —/);
  });

  it('requires nothing when both lists are empty', () => {
    assert.deepEqual(checkAssurance({ acr: [], amr: [] }, { acr: undefined, amr: [] }), { met: true });
  });

  it('describes an acr-only requirement without mentioning amr', () => {
    assert.doesNotMatch(describeRequirement({ acr: ['a'], amr: [] }).en, /amr/);
  });
});
