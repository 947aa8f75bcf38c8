import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { csvField } from './use-cases.js';

describe('audit CSV fields', () => {
  it('quotes fields with commas, quotes and line breaks, doubling the quotes', () => {
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('plain'), 'plain');
  });

  it('defuses values a spreadsheet would run as formulas with a leading apostrophe', () => {
    assert.equal(csvField('=HYPERLINK("http://evil.example")'), `"'=HYPERLINK(""http://evil.example"")"`);
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('-2'), "'-2");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('\tx'), "'\tx");
    assert.equal(csvField('mail@example.jp'), 'mail@example.jp');
  });
});
