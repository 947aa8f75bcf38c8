import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { DomainError } from '../../domain/errors.js';
import { coverage } from './coverage.js';
import { fixtureCatalog, fixtureFiles } from './fixtures.js';
import { loadCatalog } from './loader.js';

describe('coverage', () => {
  const catalog = fixtureCatalog();

  it('counts a requirement as covered when an implemented control reaches it, itself or through a child, and skips withdrawn ones', () => {
    const result = coverage(catalog, 'nist-sp-800-53-r5');
    assert.deepEqual([result.total, result.covered, result.percentage], [11, 8, 72.7]);
    assert.deepEqual(result.leaves, { total: 6, covered: 3, percentage: 50 });
    assert.deepEqual(result.uncovered, ['AC-3', 'AC-6', 'SC-7']);
    const sc = result.requirements.find((r) => r.requirement.id === 'SC');
    assert.deepEqual([sc?.hasChildren, sc?.controls], [true, ['HTB-EBS-001']]);
  });

  it('covers CSF 2.0 through the family-level edges to SP 800-53', () => {
    const result = coverage(catalog, 'nist-csf-2.0');
    assert.deepEqual([result.total, result.covered, result.percentage, result.uncovered], [8, 8, 100, []]);
    assert.deepEqual(result.requirements.find((r) => r.requirement.id === 'PR')?.controls, ['HTB-EBS-001', 'HTB-IAM-001']);
  });

  it('covers the Japanese chain through its mappings', () => {
    const result = coverage(catalog, 'jp-nisc-test');
    assert.deepEqual([result.covered, result.total, result.uncovered], [1, 2, ['4.2']]);
  });

  it('counts nothing when no control reaches the framework', () => {
    const files = fixtureFiles().map((f) => (f.path.includes('/mappings/') ? { ...f, text: stringify({ mappings: [{ source: 'control:HTB-IAM-001', target: 'nist-sp-800-53-r5:AC-6', relationship: 'implements', provenance: 't' }] }) } : f));
    const result = loadCatalog(files);
    assert.ok(result.ok);
    const csf = coverage(result.catalog, 'nist-csf-2.0');
    assert.deepEqual([csf.covered, csf.percentage, csf.uncovered.length], [0, 0, 8]);
  });

  it('refuses an unknown framework as not found', () => {
    assert.throws(() => coverage(catalog, 'nope'), (error: unknown) => error instanceof DomainError && error.code === 'not_found');
  });
});
