import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { GENESIS_HASH, canonicalForm, canonicalJson, chainAfter, checkLink, type AuditRecord } from './chain.js';

const record: AuditRecord = {
  at: new Date('2030-04-01T09:00:00.123Z'), actor: 'alice@example.jp', action: 'PUT /api/placement-rules', target: {}, tenant: null,
  source: { ip: '127.0.0.1', forwardedFor: null, userAgent: 'ua' }, result: { status: 200, outcome: 'succeeded' }, dryRun: true, details: { z: 1, a: ['x', { d: null, c: '日本' }] },
};

describe('the audit hash chain', () => {
  it('serialises with keys sorted at every level and no spaces', () => {
    assert.equal(canonicalJson({ b: 1, a: { y: [2, { k: 'v', c: true }], x: null } }), '{"a":{"x":null,"y":[2,{"c":true,"k":"v"}]},"b":1}');
  });

  it('hashes the canonical form, prev_hash included, as plain SHA-256 an auditor can recompute', () => {
    const first = chainAfter(record, { seq: 0, hash: GENESIS_HASH });
    assert.equal(first.seq, 1);
    assert.match(canonicalForm(first), /^\{"action":"PUT \/api\/placement-rules","actor":"alice@example.jp","at":"2030-04-01T09:00:00.123Z",/);
    assert.match(canonicalForm(first), /"prevHash":"0{64}"/);
    assert.equal(first.hash, createHash('sha256').update(canonicalForm(first), 'utf8').digest('hex'));
  });

  it('tells a gap, a changed field and a changed link apart', () => {
    const first = chainAfter(record, { seq: 0, hash: GENESIS_HASH });
    const second = chainAfter(record, first);
    assert.equal(checkLink(second, { seq: 2, prevHash: first.hash }), null);
    assert.deepEqual(checkLink(second, { seq: 1, prevHash: GENESIS_HASH }), { seq: 1, kind: 'missing' });
    assert.deepEqual(checkLink({ ...second, dryRun: false }, { seq: 2, prevHash: first.hash }), { seq: 2, kind: 'altered' });
    assert.deepEqual(checkLink(second, { seq: 2, prevHash: 'f'.repeat(64) }), { seq: 2, kind: 'altered' });
  });
});
