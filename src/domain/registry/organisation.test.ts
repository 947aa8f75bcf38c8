import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OrganisationInput, parentProblem } from './organisation.js';

const base = { nameJa: '名前', nameEn: 'Name', billingEmail: 'billing@example.lg.jp' };
const issues = (input: unknown) => {
  const result = OrganisationInput.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('OrganisationInput', () => {
  it('normalises the code and derives a municipality parent from its first two digits', () => {
    const org = OrganisationInput.parse({ ...base, code: '２７１００４', kind: 'designated_city' });
    assert.equal(org.code, '271004');
    assert.equal(org.parentCode, '270008');
    assert.equal(org.prefecture, '27');
  });

  it('reports every problem of one input at once', () => {
    const found = issues({ ...base, code: '131017', kind: 'special_ward', billingEmail: 'not-an-address', nameEn: ' ' });
    assert.deepEqual(found.map((line) => line.split(':')[0]).sort(), ['billingEmail', 'code', 'nameEn']);
  });

  it('refuses a parent that is not the prefecture in the code', () => {
    assert.deepEqual(issues({ ...base, code: '131016', kind: 'special_ward', parentCode: '270008' }), [
      'parentCode: must be the prefecture 130001 (the first two digits of the code), or empty; not 270008',
    ]);
  });

  it('requires the code scheme of the kind', () => {
    assert.match(issues({ ...base, code: '7000012050002', kind: 'municipality' })[0] ?? '', /6-digit local government code/);
    assert.match(issues({ ...base, code: '131016', kind: 'ministry' })[0] ?? '', /13-digit corporate number/);
  });

  it('knows a prefecture by its 000 municipality digits and gives it no parent', () => {
    assert.match(issues({ ...base, code: '131016', kind: 'prefecture' })[0] ?? '', /130001/);
    assert.match(issues({ ...base, code: '130001', kind: 'prefecture', parentCode: '130001' }).join('\n'), /no parent/);
  });

  it('accepts only the 23 wards of Tokyo as special wards', () => {
    assert.match(issues({ ...base, code: '271004', kind: 'special_ward' })[0] ?? '', /23 wards/);
  });

  it('lower-cases e-mail addresses and defaults a contact role', () => {
    const org = OrganisationInput.parse({ ...base, code: '2000012020001', kind: 'ministry', contacts: [{ name: '総務 太郎', email: 'Taro@Soumu.GO.JP' }] });
    assert.deepEqual(org.contacts, [{ name: '総務 太郎', email: 'taro@soumu.go.jp', role: 'primary' }]);
  });
});

describe('parentProblem', () => {
  it('lets an external agency sit under a ministry but not under a prefecture', () => {
    assert.equal(parentProblem('ministry', { code: '2000012020001', kind: 'ministry' }), undefined);
    assert.match(parentProblem('ministry', { code: '130001', kind: 'prefecture' }) ?? '', /must be a ministry/);
  });
});
