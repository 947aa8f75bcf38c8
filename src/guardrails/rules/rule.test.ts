import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileRule, intrinsicPaths, probeValues, type CompiledRule } from './rule.js';

const compile = (expression: string): CompiledRule => {
  const compiled = compileRule(expression);
  if (!('rule' in compiled)) throw new Error(JSON.stringify(compiled.issues));
  return compiled.rule;
};

// Security groups must not open SSH to the whole internet (AWS FSBP EC2.13).
const noOpenSsh = compile(
  "!has(resource.SecurityGroupIngress) || !resource.SecurityGroupIngress.exists(r, has(r.CidrIp) && r.CidrIp == '0.0.0.0/0' && r.FromPort <= 22 && r.ToPort >= 22)",
);
const group = (ingress: unknown[]) => ({ type: 'AWS::EC2::SecurityGroup', properties: { GroupDescription: 'web', SecurityGroupIngress: ingress } });

describe('a CEL rule over CloudFormation-shaped resources', () => {
  it('fails a security group that opens SSH to 0.0.0.0/0 and passes one that opens it to a private range', () => {
    assert.deepEqual(noOpenSsh.evaluate(group([{ IpProtocol: 'tcp', CidrIp: '0.0.0.0/0', FromPort: 22, ToPort: 22 }])), { result: 'fail' });
    assert.deepEqual(noOpenSsh.evaluate(group([{ IpProtocol: 'tcp', CidrIp: '10.0.0.0/8', FromPort: 22, ToPort: 22 }])), { result: 'pass' });
    assert.deepEqual(noOpenSsh.evaluate({ type: 'AWS::EC2::SecurityGroup', properties: { GroupDescription: 'closed' } }), { result: 'pass' });
  });

  it('reports a value left to a template parameter as unresolvable, with where it is, instead of guessing', () => {
    const outcome = noOpenSsh.evaluate(group([{ IpProtocol: 'tcp', CidrIp: { Ref: 'AllowedCidr' }, FromPort: 22, ToPort: 22 }]));
    assert.deepEqual(outcome, { result: 'unresolvable', paths: ['SecurityGroupIngress[0].CidrIp'] });
  });

  it('reports an open port as unresolvable when the range decides the answer', () => {
    const outcome = noOpenSsh.evaluate(group([{ CidrIp: '0.0.0.0/0', FromPort: { Ref: 'FromPort' }, ToPort: 22 }]));
    assert.deepEqual(outcome, { result: 'unresolvable', paths: ['SecurityGroupIngress[0].FromPort'] });
  });

  it('probes with the values the rule tells apart', () => {
    assert.deepEqual(probeValues("r.CidrIp == '0.0.0.0/0' && r.FromPort <= 22"), [null, '', true, false, '0.0.0.0/0', 21, 22, 23]);
  });

  it('still judges a resource whose open values do not matter to the rule', () => {
    const outcome = noOpenSsh.evaluate({
      type: 'AWS::EC2::SecurityGroup',
      properties: { GroupDescription: { 'Fn::Sub': '${AWS::StackName} web' }, SecurityGroupIngress: [{ CidrIp: '0.0.0.0/0', FromPort: 22, ToPort: 22 }] },
    });
    assert.deepEqual(outcome, { result: 'fail' });
  });

  it('finds a deciding open value that the rule reaches by walking a map, and names only that one', () => {
    const noSecretTag = compile("!resource.Tags.exists(k, resource.Tags[k] == 'secret')");
    const outcome = noSecretTag.evaluate({ type: 'AWS::S3::Bucket', properties: { Name: { Ref: 'Name' }, Tags: { team: 'a', owner: { Ref: 'Owner' } } } });
    assert.deepEqual(outcome, { result: 'unresolvable', paths: ['Tags.owner'] });
  });

  it('treats properties that are a single intrinsic as open as a whole', () => {
    const hasName = compile('has(resource.Name)');
    assert.deepEqual(hasName.evaluate({ type: 'AWS::S3::Bucket', properties: { Ref: 'Props' } }), { result: 'fail' });
    assert.deepEqual(compile('size(resource) == 1').evaluate({ type: 'AWS::S3::Bucket', properties: { Ref: 'Props' } }), { result: 'unresolvable', paths: [''] });
  });

  it('reports an expression that does not parse as an issue with its location', () => {
    const compiled = compileRule('resource.((', ['controls', 3, 'rule']);
    assert.ok('issues' in compiled);
    assert.deepEqual(compiled.issues[0]?.path, ['controls', 3, 'rule']);
    assert.match(compiled.issues[0]?.message ?? '', /does not parse/);
  });

  it('treats a rule that gives something other than true or false as an error, not a verdict', () => {
    assert.equal(compile('resource.GroupDescription').evaluate(group([])).result, 'error');
  });

  it('finds intrinsics at any depth', () => {
    assert.deepEqual(intrinsicPaths({ A: { Ref: 'X' }, B: [{ C: { 'Fn::GetAtt': ['R', 'Arn'] } }], D: { Ref: 'Y', Other: 1 } }), ['A', 'B[0].C']);
  });
});
