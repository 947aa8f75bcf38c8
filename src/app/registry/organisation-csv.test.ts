import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readOrganisationCsv } from './organisation-csv.js';

const header = 'code,kind,name_ja,name_en,billing_email';

describe('readOrganisationCsv', () => {
  it('numbers rows as the file does, counting blank lines and starting a multi-line cell at its first line', () => {
    const csv = `${header}\n131016,special_ward,千代田区,Chiyoda,a@b.jp\n\n271004,designated_city,"大阪\n市",Osaka,a@b.jp\n130001,prefecture,東京都,Tokyo,a@b.jp`;
    const { rows, issues } = readOrganisationCsv(csv);
    assert.deepEqual(issues, []);
    assert.deepEqual(rows.map((r) => [r.row, r.code]), [[2, '131016'], [4, '271004'], [6, '130001']]);
  });

  it('accepts a byte order mark, Japanese kind labels and columns in any order', () => {
    const { rows } = readOrganisationCsv('\uFEFFName_JA,KIND,code,name_en,billing_email\n千代田区,特別区,１３１０１６,Chiyoda,a@b.jp\n');
    assert.equal(rows[0]?.input.kind, 'special_ward');
    assert.equal(rows[0]?.code, '131016');
  });

  it('reports unknown and missing columns on row 1 and reads no rows', () => {
    const { rows, issues } = readOrganisationCsv('code,kind,name,billing_email\n131016,special_ward,x,a@b.jp\n');
    assert.equal(rows.length, 0);
    assert.deepEqual(issues.map((i) => i.path.join('.')), ['row.1.name', 'row.1.name_ja', 'row.1.name_en']);
  });

  it('reports a row with the wrong number of cells', () => {
    const { issues } = readOrganisationCsv(`${header}\n131016,special_ward,千代田区,Chiyoda\n`);
    assert.deepEqual(issues.map((i) => i.path.join('.')), ['row.2']);
  });

  it('skips rows that are empty cells only, as spreadsheets export them', () => {
    assert.equal(readOrganisationCsv(`${header}\n,,,,\n`).rows.length, 0);
  });

  it('maps a contact field back to its numbered column', () => {
    const { rows } = readOrganisationCsv(`${header},contact2_name,contact2_email\n131016,special_ward,千代田区,Chiyoda,a@b.jp,山田,bad\n`);
    assert.equal(rows[0]?.columnOf(['contacts', 0, 'email']), 'contact2_email');
    assert.equal(rows[0]?.columnOf(['billingEmail']), 'billing_email');
  });

  it('reports a file that is not CSV with the line where reading stopped', () => {
    const { issues } = readOrganisationCsv(`${header}\n131016,"unclosed\n`);
    assert.equal(issues.length, 1);
    assert.match(issues[0]?.message ?? '', /not valid CSV/);
  });
});
