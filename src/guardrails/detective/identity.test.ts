import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { sha256Hex } from './sha256.js';
import { findingId } from './identity.js';

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 digests of its test vectors', () => {
    assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it("agrees with node's SHA-256 on every message length across block boundaries and on non-ASCII text", () => {
    for (let n = 0; n < 200; n += 1) {
      const message = `${'アカウント'.repeat(n % 3)}${'x'.repeat(n)}`;
      assert.equal(sha256Hex(message), createHash('sha256').update(message).digest('hex'), `length ${n}`);
    }
  });
});

describe('sha256Hex on messages of any size, one after another', () => {
  it('agrees with node after a long message, a non-ASCII one and a short one in a row', () => {
    for (const message of ['x'.repeat(5_000), 'é'.repeat(700), 'a', '123456789012|global|Hatoba::Account|123456789012', '\u{1F600}'.repeat(40), '']) {
      assert.equal(sha256Hex(message), createHash('sha256').update(message).digest('hex'), `length ${message.length}`);
    }
  });
});

describe('findingId', () => {
  it('is the control id and 96 bits of SHA-256 over account, region, type and identifier', () => {
    const digest = createHash('sha256').update('123456789012|ap-northeast-1|AWS::S3::Bucket|logs').digest('hex').slice(0, 24);
    assert.equal(findingId('HTB-S3-001', { accountId: '123456789012', region: 'ap-northeast-1', type: 'AWS::S3::Bucket', identifier: 'logs' }), `HTB-S3-001.${digest}`);
  });
});
