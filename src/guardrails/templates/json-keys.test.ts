import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linesOf, resourceKeyOffsets } from './json-keys.js';

describe('finding the resources of a JSON template in its text', () => {
  it('gives the keys of the top-level Resources object where they start, escaped keys decoded', () => {
    const text = '{"Outputs": {"Resources": {"Fake": 1}}, "S": "\\"Resources\\": {",\n "Resources": {"A\\u0042": {"Resources": {"C": 1}}, "D\\\\": [{"E": 1}]}}';
    const keys = resourceKeyOffsets(text);
    assert.deepEqual(keys?.map((k) => k.key), ['AB', 'D\\']);
    assert.deepEqual(keys?.map((k) => text.slice(k.offset, k.offset + 3)), ['"A\\', '"D\\']);
  });

  it('refuses a document that repeats a key in any object, written the same or escaped', () => {
    assert.equal(resourceKeyOffsets('{"Resources": {"A": {}, "A": {}}}'), undefined);
    assert.equal(resourceKeyOffsets('{"Resources": {"A": {"Properties": {"B": 1, "\\u0042": 2}}}}'), undefined);
    assert.equal(resourceKeyOffsets('{"Resources": {}, "Resources": {}}'), undefined);
    assert.deepEqual(resourceKeyOffsets('{"Resources": {"A": [{"B": 1}, {"B": 2}]}}')?.map((k) => k.key), ['A']);
  });

  it('has nothing to give without a top-level Resources object', () => {
    assert.equal(resourceKeyOffsets('{"Resources": [1]}'), undefined);
    assert.equal(resourceKeyOffsets('[{"Resources": {"A": 1}}]'), undefined);
    assert.equal(resourceKeyOffsets('{"X": {"Resources": {"A": 1}}}'), undefined);
  });

  it('counts lines up to each offset', () => {
    assert.deepEqual(linesOf('a\nb\r\nc\n\nd', [0, 2, 5, 7, 8]), [1, 2, 3, 4, 5]);
  });
});
