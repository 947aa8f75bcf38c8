import { describe, it, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { createApi } from '../api/app.js';
import { controlRoutes } from '../api/routes/controls.js';
import { fixtureCatalog } from '../guardrails/catalog/fixtures.js';
import { validateCatalog, validateComponentDefinition } from '../guardrails/oscal/testing.js';
import { controlVerbs } from './controls.js';
import { verbHarness } from './testing.js';

const api = createApi([controlRoutes(fixtureCatalog(), { version: '0.1.0-test', lastModified: '2030-04-01T00:00:00Z' })], { version: 'test', access: 'unrestricted' });

/** `hatoba controls …` and `hatoba frameworks …` against the real routes over an in-process fetch. */
async function hatoba(...args: string[]) {
  const cli = verbHarness(controlVerbs, (request) => api.fetch(request));
  await cli.run(...args);
  return { out: cli.out, err: cli.err, paths: cli.sent.map((r) => new URL(r.url).pathname + new URL(r.url).search) };
}

describe('hatoba controls and frameworks', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('searches with text and filters, and prints a table in Japanese by default', async () => {
    const { out, paths } = await hatoba('controls', 'search', 'iam', '--type', 'preventive', '--severity', 'critical');
    assert.deepEqual(paths, ['/api/controls?text=iam&type=preventive&severity=critical']);
    assert.deepEqual(out, ['ID           重大度  種類    タイトル', 'HTB-IAM-001  重大    予防的  IAM ユーザーを作らない', '1 件']);
  });

  it('searches in English, by framework, and as JSON', async () => {
    const english = await hatoba('controls', 'search', '--framework', 'jp-law-test', '--lang', 'en');
    assert.deepEqual(english.out.slice(1), ['HTB-EBS-001  High      Proactive, Detective  EBS volumes are encrypted', '1 control(s)']);
    const asJson = await hatoba('controls', 'search', '暗号化', '--json');
    assert.deepEqual(JSON.parse(asJson.out.join('\n')).items.map((i: { id: string }) => i.id), ['HTB-EBS-001', 'HTB-LOG-001']);
  });

  it('refuses an objective outside the vocabulary before sending anything', async () => {
    await assert.rejects(hatoba('controls', 'search', '--objective', 'speed'), (error: unknown) => error instanceof CommanderError);
  });

  it('exits 2 with the reason when the framework filter names a withdrawn requirement', async () => {
    const { err } = await hatoba('controls', 'search', '--framework', 'nist-sp-800-53-r5:SC-7(2)');
    assert.equal(process.exitCode, 2);
    assert.deepEqual(err.slice(1), ['  query.framework: SC-7(2) は廃止されました（移行先: SC-7） / SC-7(2) is withdrawn; moved to SC-7']);
  });

  it('shows a control with its mappings, what it reaches, and its chains up to the law', async () => {
    const { out } = await hatoba('controls', 'show', 'HTB-EBS-001', '--chains', '--lang', 'en');
    assert.equal(out[0], 'HTB-EBS-001  EBS volumes are encrypted');
    assert.ok(out.includes('  implements nist-sp-800-53-r5:SC-28(1)  Cryptographic Protection'), out.join('\n'));
    assert.ok(out.includes('  jp-law-test (Law): art-1'), out.join('\n'));
    assert.ok(out.includes('  HTB-EBS-001 —implements→ nist-sp-800-53-r5:SC-28(1) —part of→ nist-sp-800-53-r5:SC-28 —part of→ nist-sp-800-53-r5:SC —intersects→ nist-csf-2.0:PR.DS-01 —intersects→ jp-guideline-test:G-1.1 —part of→ jp-guideline-test:G-1 —derived from→ jp-nisc-test:4.1 —superset of→ jp-law-test:art-1'), out.join('\n'));
  });

  it('exits 3 for a control that does not exist', async () => {
    const { err } = await hatoba('controls', 'show', 'HTB-NOPE-001');
    assert.equal(process.exitCode, 3);
    assert.deepEqual(err, ['コントロール HTB-NOPE-001 が見つかりません / control HTB-NOPE-001 was not found']);
  });

  it('traces from a requirement down to the controls', async () => {
    const { out } = await hatoba('controls', 'trace', 'nist-csf-2.0:PR.AA-05', '--lang', 'en');
    assert.ok(out.includes('  nist-csf-2.0:PR.AA-05 —intersects→ nist-sp-800-53-r5:AC —part of→ nist-sp-800-53-r5:AC-2 —part of→ nist-sp-800-53-r5:AC-2(1) —implements→ HTB-IAM-001'), out.join('\n'));
  });

  it('lists the frameworks', async () => {
    const { out } = await hatoba('frameworks', 'list', '--lang', 'en');
    assert.equal(out.length, 6);
    assert.ok(out.some((line) => /^nist-sp-800-53-r5\s+Framework\s+1\s+11\s+2\s+nist-sp-800-53-r5 English$/.test(line)), out.join('\n'));
  });

  it('prints the coverage of a framework, and only the uncovered requirements when asked', async () => {
    const { out } = await hatoba('frameworks', 'coverage', 'nist-sp-800-53-r5', '--uncovered', '--lang', 'en');
    assert.deepEqual(out, [
      'nist-sp-800-53-r5: 8 of 11 requirements covered (72.7%); leaves 3 of 6 (50%)',
      'ID    COVERED  CONTROLS  TITLE',
      'AC-3  no       -         Access Enforcement',
      'AC-6  no       -         Least Privilege',
      'SC-7  no       -         Boundary Protection',
    ]);
  });

  describe('export', () => {
    let dir: string | undefined;
    const folder = async () => (dir ??= await mkdtemp(join(tmpdir(), 'hatoba-controls-export-')));
    after(async () => {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    });

    it('writes the OSCAL catalog to the file named by --output, and says so on stderr', async () => {
      const file = join(await folder(), 'catalog.json');
      const { out, err, paths } = await hatoba('controls', 'export', '--format', 'oscal-catalog', '--output', file, '--lang', 'en');
      assert.deepEqual(paths, ['/api/controls/export?format=oscal-catalog']);
      assert.deepEqual([out, err], [[], [`wrote ${file}`]]);
      const text = await readFile(file, 'utf8');
      assert.match(text, /^\{\n {2}"catalog": \{\n/);
      assert.deepEqual(validateCatalog(JSON.parse(text)), []);
    });

    it('prints the component definition when no file is named', async () => {
      const { out } = await hatoba('controls', 'export', '--format', 'oscal-component-definition');
      const document: unknown = JSON.parse(out.join('\n'));
      assert.deepEqual(validateComponentDefinition(document), []);
    });

    it('exits 2 naming the file when the folder to write into does not exist', async () => {
      const file = join(await folder(), 'missing', 'catalog.json');
      const { err } = await hatoba('controls', 'export', '--format', 'oscal-catalog', '--output', file);
      assert.equal(process.exitCode, 2);
      assert.deepEqual(err, [`cannot write ${file}: no such folder`]);
    });

    it('refuses an export without --format, or with a format it does not know, as a usage error', async () => {
      await assert.rejects(hatoba('controls', 'export'), (error: unknown) => error instanceof CommanderError);
      await assert.rejects(hatoba('controls', 'export', '--format', 'oscal-profile'), (error: unknown) => error instanceof CommanderError);
    });
  });
});
