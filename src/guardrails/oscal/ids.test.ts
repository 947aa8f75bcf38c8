import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareNatural, controlToken, isOscalToken, requirementToken } from './ids.js';

describe('OSCAL ids', () => {
  it("spells 800-53 requirements as NIST's OSCAL catalog does", () => {
    assert.equal(requirementToken('nist-sp-800-53-r5', 'AC-2(1)'), 'ac-2.1');
    assert.equal(requirementToken('nist-sp-800-53-r5', 'AC-02(01)'), 'ac-2.1');
    assert.equal(requirementToken('nist-sp-800-53-r5', 'SC-7'), 'sc-7');
    assert.equal(requirementToken('nist-sp-800-53-r5', 'AU'), 'au');
  });

  it('turns other ids into tokens without losing their shape', () => {
    assert.equal(requirementToken('nist-csf-2.0', 'PR.AA-05'), 'pr.aa-05');
    assert.equal(requirementToken('jp-nisc-standards', '4.1.1(2)'), '_4.1.1.2');
    assert.equal(requirementToken('ismap', 'Ａ 5.1'), 'a-5.1');
    for (const id of ['pr.aa-05', '_4.1.1.2', 'a-5.1']) assert.ok(isOscalToken(id), id);
    assert.ok(!isOscalToken('4.1'));
  });

  it('writes Hatoba control ids in lower case', () => {
    assert.equal(controlToken('HTB-S3-001'), 'htb-s3-001');
    assert.ok(isOscalToken(controlToken('HTB-S3-001')));
  });

  it('orders ids as people read them', () => {
    assert.deepEqual(['AC-10', 'AC-2(1)', 'AC-2', 'HTB-S3-010', 'HTB-S3-002', 'AC-2(10)'].sort(compareNatural), ['AC-2', 'AC-2(1)', 'AC-2(10)', 'AC-10', 'HTB-S3-002', 'HTB-S3-010']);
  });
});
