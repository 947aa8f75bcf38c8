import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readControls } from './catalog.js';
import { DomainError } from '../domain/errors.js';

describe('the controls catalog shipped in catalog/', () => {
  it('loads, and every rule passes and fails its own worked examples', async () => {
    const controls = await readControls('catalog');
    assert.ok(controls.length > 0);
    for (const control of controls) if (control.implementations.rule !== undefined) assert.ok(control.rule, control.id);
  });

  it('refuses a file with a broken rule and a bad severity, naming the file and the path of each problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hatoba-catalog-'));
    await mkdir(join(dir, 'controls'));
    const control = (id: string, severity: string, expression: string) => ({
      id, title: { ja: 't', en: 't' }, description: { ja: 'd', en: 'd' }, objectives: ['logging'], services: ['s3'],
      resourceTypes: ['AWS::S3::Bucket'], severity,
      implementations: { rule: { expression, examples: { pass: [{ A: true }], fail: [{ A: false }] } } },
    });
    await writeFile(join(dir, 'controls', 'bad.yaml'), JSON.stringify({ controls: [control('HTB-X-001', 'urgent', 'resource.A'), control('HTB-X-002', 'low', 'resource.A ==')] }));
    await assert.rejects(readControls(dir), (error: unknown) => {
      assert.ok(error instanceof DomainError);
      const file = join(dir, 'controls', 'bad.yaml');
      assert.deepEqual(error.issues.map((i) => i.path.slice(0, 4)), [[file, 'controls', 0, 'severity']]);
      return true;
    });
  });
});
