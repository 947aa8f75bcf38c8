import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { hatobaUuid, sha1Hex, uuidV5 } from './uuid.js';

const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
/** OSCAL's UUIDDatatype pattern (version 4 or 5). */
const OSCAL_UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$/;

describe('name-based UUIDs', () => {
  it('computes SHA-1 as node:crypto does, across block boundaries and for non-ASCII text', () => {
    for (const text of ['', 'abc', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'ガードレール'.repeat(40)]) {
      assert.equal(sha1Hex(text), createHash('sha1').update(text).digest('hex'), `length ${text.length}`);
    }
  });

  it('gives the RFC 4122 version 5 UUID of a known name', () => {
    assert.equal(uuidV5(DNS_NAMESPACE, 'www.example.com'), '2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives the same UUID for the same name, a different one for another, both as OSCAL accepts them', () => {
    assert.equal(hatobaUuid('control:HTB-S3-001'), hatobaUuid('control:HTB-S3-001'));
    assert.notEqual(hatobaUuid('control:HTB-S3-001'), hatobaUuid('control:HTB-S3-002'));
    assert.match(hatobaUuid('control:HTB-S3-001'), OSCAL_UUID);
  });
});
