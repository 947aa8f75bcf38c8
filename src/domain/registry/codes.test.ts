import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  corporateNumberCheckDigit,
  corporateNumberProblem,
  localGovernmentCheckDigit,
  localGovernmentCodeProblem,
  normaliseCode,
  prefectureCodeFor,
  withLocalGovernmentCheckDigit,
} from './codes.js';

describe('local government codes (全国地方公共団体コード)', () => {
  it('computes the check digits of real codes', () => {
    // 千代田区, 札幌市, 東京都, 大阪市, 函館市, 大阪府, 北海道
    for (const code of ['131016', '011002', '130001', '271004', '012025', '270008', '010006']) {
      assert.equal(withLocalGovernmentCheckDigit(code.slice(0, 5)), code, code);
      assert.equal(localGovernmentCodeProblem(code), undefined, code);
    }
  });

  it('maps remainder 1 to check digit 0 and remainder 0 to check digit 1', () => {
    // 1,0,0,0,1: 6+2 = 8 -> 11-8 = 3 (ordinary); find inputs whose sums hit the two edge remainders
    const withRemainder = (r: number) => {
      for (let n = 0; n < 100000; n += 1) {
        const five = String(n).padStart(5, '0');
        const sum = [...five].reduce((acc, d, i) => acc + Number(d) * [6, 5, 4, 3, 2][i]!, 0);
        if (sum % 11 === r) return five;
      }
      throw new Error('unreachable');
    };
    assert.equal(localGovernmentCheckDigit(withRemainder(1)), 0);
    assert.equal(localGovernmentCheckDigit(withRemainder(0)), 1);
  });

  it('says which check digit a mistyped code should have', () => {
    assert.match(localGovernmentCodeProblem('131017') ?? '', /should be 6 \(131016\)/);
  });

  it('rejects prefectures outside 01–47', () => {
    assert.match(localGovernmentCodeProblem(withLocalGovernmentCheckDigit('48001')) ?? '', /prefecture/);
    assert.match(localGovernmentCodeProblem(withLocalGovernmentCheckDigit('00001')) ?? '', /prefecture/);
  });

  it('derives the prefecture code from a municipality code', () => {
    assert.equal(prefectureCodeFor('131016'), '130001');
    assert.equal(prefectureCodeFor('271004'), '270008');
  });
});

describe('corporate numbers (法人番号)', () => {
  it('accepts published numbers', () => {
    // 国税庁 (published by the NTA itself), 総務省, 厚生労働省
    for (const code of ['7000012050002', '2000012020001', '6000012070001']) assert.equal(corporateNumberProblem(code), undefined, code);
  });

  it('follows the worked example of the ordinance (7123456789012)', () => {
    assert.equal(corporateNumberCheckDigit('123456789012'), 7);
  });

  it('rejects a number whose leading check digit is wrong', () => {
    assert.match(corporateNumberProblem('4000012010035') ?? '', /should be 2/);
  });
});

describe('normaliseCode', () => {
  it('turns full-width digits, hyphens and spaces into a plain code', () => {
    assert.equal(normaliseCode('１３１０１６'), '131016');
    assert.equal(normaliseCode(' 13101-6 '), '131016');
    assert.equal(normaliseCode('７－０００‐０１２０５０００２'), '7000012050002');
    assert.equal(normaliseCode('13101ー6'), '131016');
  });
});
