import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Framework } from './schema.js';
import { normalise80053, normaliseCsf2, normaliseRequirementId, resolveRequirement } from './ids.js';

const sp80053 = Framework.parse(JSON.parse(readFileSync('catalog/frameworks/nist-sp-800-53-r5.json', 'utf8')));
const csf = Framework.parse(JSON.parse(readFileSync('catalog/frameworks/nist-csf-2.0.json', 'utf8')));
const lookup = (framework: Framework) => (id: string) => framework.requirements.find((r) => r.id === id);

describe('SP 800-53 ids', () => {
  it('normalises the spellings seen in the wild to AC-2 and AC-2(1)', () => {
    const cases: [string, string][] = [
      ['ac-2.1', 'AC-2(1)'], ['AC-2 (1)', 'AC-2(1)'], ['AC-02(01)', 'AC-2(1)'], ['ac-02.01', 'AC-2(1)'], ['AC2', 'AC-2'],
      ['  sc-28 ', 'SC-28'], ['ＡＣ－２（１）', 'AC-2(1)'], ['si-4(23)', 'SI-4(23)'], ['ac', 'AC'], ['AC-2(1)', 'AC-2(1)'],
    ];
    for (const [raw, expected] of cases) assert.equal(normalise80053(raw), expected, raw);
  });

  it('refuses what cannot be an 800-53 id', () => {
    for (const raw of ['', 'A-2', 'AC-', 'AC-0', 'AC-2(0)', 'AC-2(1)(a)', 'AC-2.1.3', 'GV.RM-01', 'access control']) assert.equal(normalise80053(raw), undefined, raw);
  });

  it('rejects CP-1(2), SA-1(1) and SI-1(1): no such enhancements exist in r5', () => {
    for (const raw of ['CP-1(2)', 'SA-1(1)', 'si-1.1']) {
      const resolved = resolveRequirement('nist-sp-800-53-r5', raw, lookup(sp80053));
      assert.deepEqual(resolved, { ok: false, reason: `${normalise80053(raw)} is not a requirement of nist-sp-800-53-r5` });
    }
  });

  it('rejects AC-3(1) and SC-7(2) as withdrawn, saying where they went', () => {
    assert.deepEqual(resolveRequirement('nist-sp-800-53-r5', 'AC-3(1)', lookup(sp80053)), { ok: false, reason: 'AC-3(1) is withdrawn; moved to AC-6' });
    assert.deepEqual(resolveRequirement('nist-sp-800-53-r5', 'sc-7.2', lookup(sp80053)), { ok: false, reason: 'SC-7(2) is withdrawn; moved to SC-7' });
  });

  it('accepts an existing id in any spelling and says whether it was already canonical', () => {
    assert.deepEqual(resolveRequirement('nist-sp-800-53-r5', 'AC-2 (1)', lookup(sp80053)), { ok: true, id: 'AC-2(1)', normalised: false });
    assert.deepEqual(resolveRequirement('nist-sp-800-53-r5', 'SC-28(1)', lookup(sp80053)), { ok: true, id: 'SC-28(1)', normalised: true });
    assert.deepEqual(resolveRequirement('nist-sp-800-53-r5', 'AC-2.x', lookup(sp80053)), { ok: false, reason: '"AC-2.x" is not an id of nist-sp-800-53-r5 (ids look like AC, AC-2 or AC-2(1))' });
  });
});

describe('CSF 2.0 ids', () => {
  it('zero-pads subcategories and upper-cases every level', () => {
    const cases: [string, string][] = [['GV.RM-1', 'GV.RM-01'], ['gv.rm-01', 'GV.RM-01'], ['PR.DS - 10', 'PR.DS-10'], ['ｐｒ．ｄｓ－１', 'PR.DS-01'], ['de.cm', 'DE.CM'], ['rs', 'RS']];
    for (const [raw, expected] of cases) assert.equal(normaliseCsf2(raw), expected, raw);
    for (const raw of ['GV.RM-0', 'GV.RM-123', 'GV-RM-01', 'GV.RM.01', 'AC-2']) assert.equal(normaliseCsf2(raw), undefined, raw);
  });

  it('rejects a CSF 1.1 subcategory that 2.0 withdrew, with where it went', () => {
    const resolved = resolveRequirement('nist-csf-2.0', 'ID.BE-1', lookup(csf));
    assert.deepEqual(resolved, { ok: false, reason: 'ID.BE-01 is withdrawn; moved to GV.OC-05' });
  });

  it('keeps ids of frameworks it has no grammar for, only cleaned', () => {
    assert.equal(normaliseRequirementId('jp-nisc-common-standards', ' 4.1.1(1) '), '4.1.1(1)');
    assert.equal(normaliseRequirementId('jp-nisc-common-standards', '  '), undefined);
  });
});
