import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../domain/errors.js';
import { fixtureCatalog } from './fixtures.js';
import { searchControls, type SearchFilters } from './search.js';

const catalog = fixtureCatalog();
const ids = (filters: SearchFilters) => searchControls(catalog, filters).map((hit) => hit.control.id);

describe('searchControls', () => {
  it('ranks an id match before a title match before a description match', () => {
    const hits = searchControls(catalog, { text: 'iam' });
    assert.deepEqual(hits.map((h) => [h.control.id, h.matched]), [
      ['HTB-IAM-001', ['id']],
      ['HTB-LOG-001', ['title']],
      ['HTB-EBS-001', ['description']],
    ]);
  });

  it('matches Japanese text, full-width input and reference ids', () => {
    assert.deepEqual(ids({ text: '暗号化' }), ['HTB-EBS-001', 'HTB-LOG-001']);
    assert.deepEqual(ids({ text: 'ＥＢＳ' }), ['HTB-EBS-001']);
    assert.deepEqual(ids({ text: 'htb-log-001' }), ['HTB-LOG-001']);
    assert.deepEqual(ids({ text: 'ec2.3' }), ['HTB-EBS-001']);
  });

  it('needs every word of the text to match somewhere', () => {
    assert.deepEqual(ids({ text: 'cloudtrail 暗号化' }), ['HTB-LOG-001']);
    assert.deepEqual(ids({ text: 'cloudtrail kms' }), []);
  });

  it('lists every control by id when nothing is asked', () => {
    assert.deepEqual(ids({}), ['HTB-EBS-001', 'HTB-IAM-001', 'HTB-LOG-001']);
  });

  it('filters by objective, service, severity and type', () => {
    assert.deepEqual(ids({ objective: 'logging' }), ['HTB-LOG-001']);
    assert.deepEqual(ids({ service: 'ＩＡＭ' }), ['HTB-IAM-001']);
    assert.deepEqual(ids({ severity: 'high' }), ['HTB-EBS-001']);
    assert.deepEqual(ids({ type: 'preventive' }), ['HTB-IAM-001']);
    assert.deepEqual(ids({ type: 'detective' }), ['HTB-EBS-001', 'HTB-LOG-001']);
    assert.deepEqual(ids({ type: 'proactive', objective: 'logging', text: 'trail' }), ['HTB-LOG-001']);
  });

  it('filters by framework: the controls whose chains reach any of its requirements, or one requirement', () => {
    assert.deepEqual(ids({ framework: 'nist-csf-2.0' }), ['HTB-EBS-001', 'HTB-IAM-001', 'HTB-LOG-001']);
    assert.deepEqual(ids({ framework: 'jp-law-test' }), ['HTB-EBS-001']);
    assert.deepEqual(ids({ framework: 'nist-csf-2.0:PR.AA' }), ['HTB-IAM-001']);
    assert.deepEqual(ids({ framework: 'nist-sp-800-53-r5:ac-2' }), ['HTB-IAM-001']);
    assert.deepEqual(ids({ framework: 'nist-sp-800-53-r5:AC-6' }), []);
  });

  it('refuses an unknown framework and a withdrawn requirement, at the framework filter', () => {
    const refused = (framework: string, message: string) =>
      assert.throws(() => searchControls(catalog, { framework }), (error: unknown) => {
        assert.ok(error instanceof DomainError);
        assert.deepEqual(error.issues, [{ path: ['framework'], message }]);
        return true;
      });
    refused('iso-27001', 'no framework iso-27001 in the catalog (known: jp-guideline-test, jp-law-test, jp-nisc-test, nist-csf-2.0, nist-sp-800-53-r5)');
    refused('nist-sp-800-53-r5:AC-3(1)', 'AC-3(1) is withdrawn; moved to AC-6');
  });
});
