import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { readCatalog, readControls } from './catalog.js';
import { loadConfig } from './config.js';
import { startServer } from './server.js';
import { DomainError } from '../domain/errors.js';
import { control, fixtureFiles } from '../guardrails/catalog/fixtures.js';

const made: string[] = [];
after(async () => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function catalogDir(files: { path: string; text: string }[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hatoba-catalog-'));
  made.push(dir);
  for (const file of files) {
    const path = join(dir, file.path.replace(/^catalog\//, ''));
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, file.text);
  }
  return dir;
}

const refusal = (check: (error: DomainError) => void) => (error: unknown) => {
  assert.ok(error instanceof DomainError, String(error));
  check(error);
  return true;
};

describe('the catalog shipped in catalog/', () => {
  it('loads whole: every rule passes and fails its own worked examples, every mapping lands on a requirement in force', async () => {
    const catalog = await readCatalog('catalog');
    assert.ok(catalog.controls.length > 0);
    for (const c of catalog.controls) if (c.implementations.rule !== undefined) assert.ok(c.rule, c.id);
    assert.deepEqual(['nist-csf-2.0', 'nist-sp-800-53-r5'].map((id) => catalog.frameworksById.has(id)), [true, true]);
    assert.ok(catalog.mappings.some((m) => m.source.startsWith('nist-csf-2.0:') && m.target === 'nist-sp-800-53-r5:AC'));
  });
});

describe('readCatalog', () => {
  it('reads controls, frameworks and mappings from their folders', async () => {
    const dir = await catalogDir(fixtureFiles());
    const catalog = await readCatalog(dir);
    assert.deepEqual([catalog.controls.length, catalog.frameworks.length, catalog.mappings.length], [3, 5, 9]);
  });

  it('refuses a catalog with problems in several files, naming each file and path, all at once', async () => {
    const files = fixtureFiles().map((f) =>
      f.path.endsWith('fixture.yaml') && f.path.includes('/controls/')
        ? { ...f, text: stringify({ controls: [control('HTB-EBS-001', { severity: 'urgent' }), control('HTB-IAM-001'), control('HTB-LOG-001', { implementations: { rule: { expression: 'resource.A ==', examples: { pass: [{}], fail: [{}] } } } })] }) }
        : f,
    );
    const dir = await catalogDir([...files, { path: 'mappings/more.json', text: JSON.stringify({ mappings: [{ source: 'control:HTB-IAM-001', target: 'nist-sp-800-53-r5:SC-7(2)', relationship: 'implements', provenance: 't' }] }) }]);
    await assert.rejects(readCatalog(dir), refusal((error) => {
      assert.equal(error.code, 'validation_failed');
      const controls = join(dir, 'controls', 'fixture.yaml');
      assert.deepEqual(error.issues.map((i) => i.path.join(' ')), [
        `${controls} controls 0 severity`,
        `${controls} controls 2 implementations rule expression`,
        `${join(dir, 'mappings', 'more.json')} mappings 0 target`,
      ]);
      assert.match(error.issues[1]?.message ?? '', /^the CEL expression does not parse/);
      assert.equal(error.issues[2]?.message, 'SC-7(2) is withdrawn; moved to SC-7');
    }));
  });
});

describe('readControls', () => {
  it('reads only the controls, so mappings elsewhere do not matter to it', async () => {
    const dir = await catalogDir([...fixtureFiles(), { path: 'mappings/broken.json', text: '{' }]);
    assert.deepEqual((await readControls(dir)).map((c) => c.id), ['HTB-EBS-001', 'HTB-IAM-001', 'HTB-LOG-001']);
  });

  it('refuses a file with a broken rule and a bad severity, naming the file and the path of each problem', async () => {
    const dir = await catalogDir([{ path: 'controls/bad.yaml', text: JSON.stringify({ controls: [control('HTB-X-001', { severity: 'urgent' }), control('HTB-X-002', { implementations: { rule: { expression: 'resource.A ==', examples: { pass: [{}], fail: [{}] } } } })] }) }]);
    await assert.rejects(readControls(dir), refusal((error) => {
      const file = join(dir, 'controls', 'bad.yaml');
      assert.deepEqual(error.issues.map((i) => i.path.slice(0, 4)), [[file, 'controls', 0, 'severity'], [file, 'controls', 1, 'implementations']]);
    }));
  });
});

describe('the catalog folder of the server', () => {
  it('defaults to catalog/ beside bin/hatoba.js, whatever the working directory; HATOBA_CATALOG_DIR is read from the working directory', () => {
    assert.equal(loadConfig({}).catalogDir, fileURLToPath(new URL('../../catalog', import.meta.url)));
    assert.ok(existsSync(join(loadConfig({}).catalogDir, 'frameworks', 'nist-sp-800-53-r5.json')));
    assert.equal(loadConfig({ HATOBA_CATALOG_DIR: 'elsewhere/catalog' }).catalogDir, resolve('elsewhere/catalog'));
  });

  it('stops the start on a broken catalog with every problem, before it opens the database', async () => {
    const dir = await catalogDir([
      { path: 'controls/a.yaml', text: 'controls: [' },
      { path: 'mappings/b.json', text: JSON.stringify({ mappings: [{ source: 'control:HTB-X-001', target: 'nist-sp-800-53-r5:AC-2', relationship: 'implements', provenance: 't' }] }) },
    ]);
    const dataDir = join(dir, 'data');
    await assert.rejects(startServer(loadConfig({ HATOBA_CATALOG_DIR: dir, HATOBA_DATA_DIR: dataDir, PORT: '0' }), { role: 'api' }), refusal((error) => {
      assert.deepEqual(error.issues.map((i) => i.path.join(' ')), [join(dir, 'controls', 'a.yaml'), `${join(dir, 'mappings', 'b.json')} mappings 0 source`, `${join(dir, 'mappings', 'b.json')} mappings 0 target`]);
    }));
    assert.equal(existsSync(dataDir), false);
  });
});
