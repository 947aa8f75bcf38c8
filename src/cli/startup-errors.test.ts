import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, validationFailed } from '../domain/errors.js';
import { readCatalog } from '../main/catalog.js';
import { loadConfig } from '../main/config.js';
import { describeStartupError, issueLocation, pathText } from './startup-errors.js';

describe('describing why the server cannot start', () => {
  let dir: string | undefined;
  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('writes a path inside a file as JSON and YAML read it', () => {
    assert.equal(pathText(['mappings', 0, 'source']), 'mappings[0].source');
    assert.equal(pathText(['controls', 2, 'implementations', 'rule', 'examples', 'fail', 1]), 'controls[2].implementations.rule.examples.fail[1]');
  });

  it('names a catalog file first, then the path inside it', () => {
    assert.equal(issueLocation(['catalog/mappings/m.json', 'mappings', 0, 'source']), 'catalog/mappings/m.json: mappings[0].source');
    assert.equal(issueLocation(['/srv/hatoba/catalog/controls/s3.yaml']), '/srv/hatoba/catalog/controls/s3.yaml');
    const error = validationFailed('the controls catalog in catalog is not valid', [{ path: ['catalog/mappings/m.json', 'mappings', 0, 'source'], message: 'no control HTB-X-001 in the catalog' }]);
    assert.equal(describeStartupError(error), ['the controls catalog in catalog is not valid', '  catalog/mappings/m.json: mappings[0].source: no control HTB-X-001 in the catalog'].join('\n'));
  });

  it('keeps dotted paths for the configuration', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'eighty' });
      } catch (e) {
        return e;
      }
      return assert.fail('the configuration was accepted');
    })();
    assert.ok(error instanceof DomainError);
    assert.match(describeStartupError(error), /\n {2}env\.PORT: /);
  });

  it('reports a broken catalog read from disk with each file and the path inside it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hatoba-startup-'));
    await mkdir(join(dir, 'mappings'));
    await writeFile(join(dir, 'mappings', 'm.json'), JSON.stringify({ mappings: [{ source: 'control:HTB-NOPE-001', target: 'control:HTB-NOPE-002', relationship: 'implements', provenance: 'test' }] }));
    const error = await readCatalog(dir).then(
      () => assert.fail('the catalog was accepted'),
      (e: unknown) => e,
    );
    const lines = describeStartupError(error).split('\n');
    assert.ok(lines.includes(`  ${join(dir, 'mappings', 'm.json')}: mappings[0].source: no control HTB-NOPE-001 in the catalog`), lines.join('\n'));
  });
});
