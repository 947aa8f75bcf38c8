import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditVerbs } from './audit.js';
import { verbHarness, type Handler } from './testing.js';

const hatoba = (handle: Handler) => verbHarness(auditVerbs, handle);
const broken = { intact: false, entries: 2, broken: { seq: 3, kind: 'altered' }, message: { ja: '監査ログのエントリ 3 が改ざんされています', en: 'entry 3 was altered' } };

describe('hatoba audit', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('says the chain is intact and exits 0', async () => {
    const cli = hatoba(() => Response.json({ intact: true, entries: 4, head: 'a'.repeat(64), message: { ja: '監査ログは改ざんされていません (4 件)', en: 'the audit trail is intact (4 entries)' } }));
    await cli.run('audit', 'verify', '--lang', 'en');
    assert.deepEqual(cli.out, ['the audit trail is intact (4 entries)']);
    assert.equal(process.exitCode, undefined);
  });

  it('names the first altered entry in Japanese by default and exits 1', async () => {
    const cli = hatoba(() => Response.json(broken));
    await cli.run('audit', 'verify');
    assert.deepEqual(cli.err, ['監査ログのエントリ 3 が改ざんされています']);
    assert.equal(process.exitCode, 1);
  });

  it('exports with the tenant and period as query and writes the lines to a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hatoba-audit-'));
    try {
      let asked = '';
      const cli = hatoba((req) => {
        asked = new URL(req.url).search;
        return new Response('seq,at\r\n1,2030-04-01T00:00:00.000Z\r\n', { headers: { 'content-type': 'text/csv' } });
      });
      await cli.run('audit', 'export', '--format', 'csv', '--tenant', '131016', '--from', '2030-04-01T00:00:00Z', '--output', join(dir, 'a.csv'));
      assert.equal(new URLSearchParams(asked).get('tenant'), '131016');
      assert.equal(new URLSearchParams(asked).get('format'), 'csv');
      assert.equal(new URLSearchParams(asked).get('from'), '2030-04-01T00:00:00Z');
      assert.equal(await readFile(join(dir, 'a.csv'), 'utf8'), 'seq,at\r\n1,2030-04-01T00:00:00.000Z\r\n');
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('reports a refused export with its location and exits 2', async () => {
    const cli = hatoba(() => Response.json({ code: 'validation_failed', message: 'the period is empty', issues: [{ path: ['query', 'to'], message: 'must be after from' }] }, { status: 422 }));
    await cli.run('audit', 'export', '--from', '2030-04-02T00:00:00Z', '--to', '2030-04-01T00:00:00Z');
    assert.deepEqual(cli.err, ['the period is empty', '  query.to: must be after from']);
    assert.equal(process.exitCode, 2);
  });
});
