import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { celEnv, parse, plan } from '@bufbuild/cel';
import { memoisedRe2 } from './matches.js';
import { compileRule } from './rule.js';

describe('the memoised matches()', () => {
  it("answers as CEL's own RE2 does, on repeated and new inputs alike", () => {
    const own = plan(celEnv(), parse('input.matches(pattern)'));
    const re2 = memoisedRe2();
    const patterns = ['(?i)^(tcp|6)$', '^(mysql|mariadb|postgres)$', 'aws/secretsmanager$', '\\d{12}', '^\\p{L}+$'];
    const inputs = ['tcp', 'TCP', '6', 'udp', 'postgres', 'PostgreSQL', 'alias/aws/secretsmanager', '123456789012', '千代田', ''];
    for (let round = 0; round < 2; round += 1) {
      for (const pattern of patterns) for (const input of inputs) assert.equal(re2.compile(pattern).test(input), own({ input, pattern }), `${pattern} on "${input}"`);
    }
  });

  it('makes an invalid pattern an error of the rule, not a pass or a fail', () => {
    const compiled = compileRule("resource.Name.matches('(unclosed')");
    assert.ok('rule' in compiled);
    const outcome = compiled.rule.evaluate({ type: 'AWS::S3::Bucket', properties: { Name: 'x' } });
    assert.equal(outcome.result, 'error');
  });

  it('keeps judging correctly once a pattern has seen more inputs than it keeps', () => {
    const re2 = memoisedRe2();
    const matcher = re2.compile('^id-\\d+$');
    for (let i = 0; i < 5_000; i += 1) assert.equal(matcher.test(`id-${i}`), true);
    assert.equal(matcher.test('id-x'), false);
  });
});
