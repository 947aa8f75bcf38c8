import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends, type TestDatabase } from '../../store/testing.js';
import { createRegistryStore } from '../../store/registry-store.js';
import { DomainError } from '../../domain/errors.js';
import { normaliseCode } from '../../domain/registry/codes.js';
import { importOrganisations } from './import-organisations.js';
import { organisationCsvLines, ORGANISATION_CSV_HEADER } from './fixtures/organisation-csv.js';
import { registryDeps } from './fixtures/deps.js';
import type { RegistryDeps } from './deps.js';

const problemsOf = async (promise: Promise<unknown>): Promise<string[]> => {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DomainError && error.code === 'validation_failed', String(error));
    return error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  }
  assert.fail('expected the import to be refused');
};

for (const backend of backends()) {
  describe(`organisation import on ${backend.name}`, () => {
    let handle: TestDatabase;
    let deps: RegistryDeps;
    before(async () => {
      handle = await backend.open();
      deps = registryDeps(createRegistryStore(handle.db));
    });
    after(async () => handle.dispose());

    const count = async () => Number((await handle.db.query('SELECT count(*)::int AS n FROM organisations'))[0]?.n);

    it('reports exactly the 3 bad rows of a 500-row file, with their columns, and changes nothing', async () => {
      const { lines } = organisationCsvLines(500);
      assert.equal(lines.length, 501);
      const bad = [57, 250, 499];
      const [code57 = '', ...rest57] = (lines[57 - 1] ?? '').split(',');
      const normal = normaliseCode(code57);
      lines[57 - 1] = [`${normal.slice(0, 5)}${(Number(normal[5]) + 1) % 10}`, ...rest57].join(',');
      lines[250 - 1] = (lines[250 - 1] ?? '').replace(/billing@[^,]+/, 'billing-at-nowhere');
      lines[499 - 1] = `${(lines[10 - 1] ?? '').split(',')[0]},municipality,重複,Duplicate,,dup@example.jp,,,`;
      const problems = await problemsOf(importOrganisations(deps, { csv: lines.join('\n'), dryRun: false, update: false }));
      assert.deepEqual(problems.map((p) => p.split('.').slice(0, 2).join('.')), bad.map((row) => `row.${row}`));
      assert.match(problems[0] ?? '', /^row\.57\.code: check digit should be/);
      assert.match(problems[1] ?? '', /^row\.250\.billing_email: must be an e-mail address/);
      assert.match(problems[2] ?? '', /^row\.499\.code: \d{6} already appears on row 10/);
      assert.equal(await count(), 0);
    });

    it('validates a clean 500-row file in a dry run and writes nothing', async () => {
      const { lines } = organisationCsvLines(500);
      const result = await importOrganisations(deps, { csv: lines.join('\n'), dryRun: true, update: false });
      assert.deepEqual([result.dryRun, result.created, result.updated], [true, 500, 0]);
      assert.equal(await count(), 0);
    });

    it('reports parents that exist nowhere, wrong parent kinds and loops', async () => {
      const csv = [
        ORGANISATION_CSV_HEADER,
        '401307,designated_city,福岡市,Fukuoka,,a@fukuoka.example,,,', // its prefecture 400009 is nowhere
        '2000012100001,ministry,甲省,Ministry A,3000012100009,a@a.example,,,',
        '3000012100009,ministry,乙省,Ministry B,2000012100001,b@b.example,,,',
        '4000012100008,ministry,丙庁,Agency C,130001,c@c.example,,,',
        '130001,prefecture,東京都,Tokyo,,t@tokyo.example,,,',
      ].join('\n');
      const problems = await problemsOf(importOrganisations(deps, { csv, dryRun: true, update: false }));
      assert.deepEqual(problems.map((p) => p.split(':')[0]), ['row.2.parent_code', 'row.3.parent_code', 'row.4.parent_code', 'row.5.parent_code']);
      assert.match(problems[0] ?? '', /prefecture 400009/);
      assert.match(problems[1] ?? '', /loop/);
      assert.match(problems[3] ?? '', /must be a ministry/);
    });
    it('imports a 500-row file with parents later in the file, then refuses it again unless updating', async () => {
      const { lines, codes } = organisationCsvLines(500);
      const result = await importOrganisations(deps, { csv: lines.join('\n'), dryRun: false, update: false });
      assert.equal(result.created, 500);
      assert.equal(await count(), 500);
      const chiyodaLike = await deps.store.getOrganisationByCode(codes[0] ?? '');
      assert.equal(chiyodaLike?.parentCode, '010006');

      const again = await problemsOf(importOrganisations(deps, { csv: lines.join('\n'), dryRun: false, update: false }));
      assert.equal(again.length, 500);
      assert.match(again[0] ?? '', /already registered/);

      const renamed = lines.map((line, i) => (i === 1 ? line.replace('Prefecture 01', 'Hokkaido') : line));
      const updated = await importOrganisations(deps, { csv: renamed.join('\n'), dryRun: false, update: true });
      assert.deepEqual([updated.created, updated.updated], [0, 500]);
      assert.equal((await deps.store.getOrganisationByCode('010006'))?.nameEn, 'Hokkaido');
    });

  });
}
