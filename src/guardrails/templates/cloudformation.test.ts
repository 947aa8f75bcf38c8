import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlTemplate, readCloudFormation } from './cloudformation.js';
import { compileRule } from '../rules/rule.js';

const yamlTemplate = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  AllowedCidr:
    Type: String
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub "\${AWS::StackName} web"
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - IpProtocol: tcp
          CidrIp: !Ref AllowedCidr
          FromPort: 22
          ToPort: 22
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ['-', [logs, !Select [0, !GetAZs '']]]
      Arn: !GetAtt Other.Arn
`;

describe('reading a CloudFormation template', () => {
  it('turns YAML short-form intrinsics into their long form and keeps each resource’s line', () => {
    const { resources, issues } = readCloudFormation(yamlTemplate, 'web.yaml');
    assert.deepEqual(issues, []);
    assert.deepEqual(resources.map((r) => [r.logicalId, r.type, r.line]), [['Web', 'AWS::EC2::SecurityGroup', 6], ['Logs', 'AWS::S3::Bucket', 16]]);
    assert.deepEqual(resources[0]?.properties, {
      GroupDescription: { 'Fn::Sub': '${AWS::StackName} web' },
      VpcId: { Ref: 'Vpc' },
      SecurityGroupIngress: [{ IpProtocol: 'tcp', CidrIp: { Ref: 'AllowedCidr' }, FromPort: 22, ToPort: 22 }],
    });
    assert.deepEqual(resources[1]?.properties, {
      BucketName: { 'Fn::Join': ['-', ['logs', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }]] },
      Arn: { 'Fn::GetAtt': ['Other', 'Arn'] },
    });
  });

  it('reads JSON templates to the same shape, with lines', () => {
    const json = JSON.stringify({ Resources: { Disk: { Type: 'AWS::EC2::Volume', Properties: { Encrypted: false, Size: { Ref: 'Size' } } } } }, null, 2);
    const { resources, issues } = readCloudFormation(json, 'disk.json');
    assert.deepEqual(issues, []);
    assert.deepEqual(resources, [{ logicalId: 'Disk', type: 'AWS::EC2::Volume', file: 'disk.json', line: 3, properties: { Encrypted: false, Size: { Ref: 'Size' } } }]);
  });

  it('reads JSON with JSON.parse to exactly what the YAML reader gives, escaped and nested keys included', () => {
    const json = [
      '{"Outputs": {"Resources": {"Fake": {"Type": "AWS::S3::Bucket"}}},',
      ' "Resources": {',
      '  "Disk\\u0031": {"Type": "AWS::EC2::Volume", "Properties": {"Encrypted": false, "Tags": [{"Key": "a\\"b", "Value": {"Ref": "T"}}]}},',
      '',
      '  "Keys": {"Type": "AWS::KMS::Key", "Metadata": {"Resources": {"X": 1}}, "Properties": {"KeyPolicy": {"Resources": "*"}}},',
      '  "NoType": {"Properties": {}}, "List": [1],',
      '  "Bucket": {"Type": "AWS::S3::Bucket", "Properties": null}',
      ' }}',
    ].join('\r\n');
    const fast = readCloudFormation(json, 'many.json');
    assert.deepEqual(fast, readCloudFormation(json, 'many.json', parseYamlTemplate(json)));
    assert.deepEqual(fast.resources.map((r) => [r.logicalId, r.line]), [['Disk1', 3], ['Keys', 5], ['Bucket', 7]]);
    assert.deepEqual(fast.issues.map((i) => i.path), [['many.json', 6], ['many.json', 6]]);
  });

  it('still reports a repeated key in a JSON template with its line and column', () => {
    const { resources, issues } = readCloudFormation('{"Resources": {\n "A": {"Type": "AWS::S3::Bucket", "Properties": {"B": 1, "\\u0042": 2}}}}', 'dup.json');
    assert.deepEqual(resources, []);
    assert.deepEqual(issues.map((i) => i.path), [['dup.json', 2]]);
    assert.match(issues[0]?.message ?? '', /unique at line 2, column \d+/);
  });

  it('reports a broken file, an unknown tag and a resource without Type with their lines', () => {
    assert.deepEqual(readCloudFormation('Resources:\n  A: [unclosed\n', 'bad.yaml').issues.length > 0, true);
    const { resources, issues } = readCloudFormation('Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      X: !Nope 1\n  B:\n    Properties: {}\n', 't.yaml');
    assert.deepEqual(issues, [
      { path: ['t.yaml', 5], message: 'unknown tag !Nope' },
      { path: ['t.yaml', 6], message: 'resource B has no Type' },
    ]);
    assert.equal(resources.length, 1);
    assert.deepEqual(readCloudFormation('Parameters: {}\n', 'empty.yaml').issues, [{ path: ['empty.yaml', 1], message: 'the template has no Resources section' }]);
  });

  it('lets a rule judge template resources, and say when a parameter decides', () => {
    const compiled = compileRule("!has(resource.SecurityGroupIngress) || !resource.SecurityGroupIngress.exists(r, r.CidrIp == '0.0.0.0/0' && r.FromPort <= 22 && r.ToPort >= 22)");
    assert.ok('rule' in compiled);
    const [web] = readCloudFormation(yamlTemplate, 'web.yaml').resources;
    assert.ok(web);
    assert.deepEqual(compiled.rule.evaluate(web), { result: 'unresolvable', paths: ['SecurityGroupIngress[0].CidrIp'] });
  });
});
