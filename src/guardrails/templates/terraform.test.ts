import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readTerraformPlan } from './terraform.js';
import { compileRule } from '../rules/rule.js';

// The shape `terraform show -json` gives (trimmed to what the reader uses).
const plan = {
  format_version: '1.2',
  terraform_version: '1.9.0',
  planned_values: {
    root_module: {
      resources: [
        {
          address: 'aws_security_group.web', mode: 'managed', type: 'aws_security_group',
          values: { description: 'web', ingress: [{ protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0', '10.0.0.0/8'], ipv6_cidr_blocks: [] }], vpc_id: null },
        },
        { address: 'aws_ebs_volume.data', mode: 'managed', type: 'aws_ebs_volume', values: { encrypted: false, size: 10, availability_zone: 'ap-northeast-1a' } },
        { address: 'data.aws_caller_identity.me', mode: 'data', type: 'aws_caller_identity', values: {} },
        { address: 'aws_sns_topic.alerts', mode: 'managed', type: 'aws_sns_topic', values: { name: 'alerts' } },
      ],
      child_modules: [
        { resources: [{ address: 'module.db.aws_db_instance.main', mode: 'managed', type: 'aws_db_instance', values: { engine: 'postgres', publicly_accessible: false } }] },
      ],
    },
  },
  resource_changes: [
    { address: 'aws_security_group.web', change: { after_unknown: { vpc_id: true } } },
    { address: 'module.db.aws_db_instance.main', change: { after_unknown: { storage_encrypted: true } } },
  ],
};
const text = JSON.stringify(plan, null, 2);

describe('reading a Terraform plan', () => {
  it('maps the common AWS types to the CloudFormation shape, one ingress entry per CIDR, modules included', () => {
    const { resources, skipped, issues } = readTerraformPlan(text, 'plan.json');
    assert.deepEqual(issues, []);
    assert.deepEqual(skipped, ['aws_sns_topic.alerts']);
    assert.deepEqual(resources.map((r) => [r.logicalId, r.type]), [
      ['aws_security_group.web', 'AWS::EC2::SecurityGroup'],
      ['aws_ebs_volume.data', 'AWS::EC2::Volume'],
      ['module.db.aws_db_instance.main', 'AWS::RDS::DBInstance'],
    ]);
    assert.deepEqual(resources[0]?.properties, {
      GroupDescription: 'web',
      VpcId: { 'Fn::TerraformUnknown': 'vpc_id' },
      SecurityGroupIngress: [
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' },
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' },
      ],
    });
    assert.ok((resources[0]?.line ?? 0) > 1, 'points at the resource in the file');
  });

  it('lets the same rule judge Terraform and CloudFormation, and treats values known only after apply as open', () => {
    const encrypted = compileRule('has(resource.StorageEncrypted) && resource.StorageEncrypted == true');
    const volumeEncrypted = compileRule('has(resource.Encrypted) && resource.Encrypted == true');
    assert.ok('rule' in encrypted && 'rule' in volumeEncrypted);
    const { resources } = readTerraformPlan(text, 'plan.json');
    assert.deepEqual(volumeEncrypted.rule.evaluate(resources[1] ?? { type: '', properties: {} }), { result: 'fail' });
    assert.deepEqual(encrypted.rule.evaluate(resources[2] ?? { type: '', properties: {} }), { result: 'unresolvable', paths: ['StorageEncrypted'] });
  });

  it('reports a file that is not JSON or not a plan', () => {
    assert.match(String(readTerraformPlan('{oops', 'x.json').issues[0]?.message), /not JSON/);
    assert.match(String(readTerraformPlan('{"resources": []}', 'x.json').issues[0]?.message), /not a Terraform plan/);
  });
});
