import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readControls } from './catalog.js';
import type { CompiledControl } from '../guardrails/catalog/compiled.js';

// The catalog test checks each rule against its worked examples under the control's first resource
// type only. These tests cover the other resource types the resource controls name, and how the
// rules treat open template values.
const controls = await readControls('catalog');

function verdict(id: string, type: string, properties: Record<string, unknown>): string {
  const control: CompiledControl | undefined = controls.find((c) => c.id === id);
  assert.ok(control?.rule, `${id} has a rule`);
  assert.ok(control.resourceTypes.includes(type), `${id} applies to ${type}`);
  return control.rule.evaluate({ type, properties }).result;
}

const ingress = 'AWS::EC2::SecurityGroupIngress';

describe('the resource controls of the shipped catalog', () => {
  it('judges a stand-alone security group ingress rule like a rule inside a security group', () => {
    const sshFromAnywhere = { GroupId: 'sg-1', IpProtocol: 'tcp', FromPort: '22', ToPort: '22', CidrIp: '0.0.0.0/0' };
    const httpsFromAnywhereV6 = { GroupId: 'sg-1', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv6: '::/0' };
    const allFromAnywhereV6 = { GroupId: 'sg-1', IpProtocol: -1, CidrIpv6: '::/0' };
    const postgresFromVpc = { GroupId: 'sg-1', IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIp: '10.0.0.0/16' };
    assert.equal(verdict('HTB-VPC-001', ingress, sshFromAnywhere), 'fail');
    assert.equal(verdict('HTB-VPC-001', ingress, httpsFromAnywhereV6), 'pass');
    assert.equal(verdict('HTB-VPC-002', ingress, allFromAnywhereV6), 'fail');
    assert.equal(verdict('HTB-VPC-003', ingress, allFromAnywhereV6), 'fail');
    assert.equal(verdict('HTB-VPC-003', ingress, sshFromAnywhere), 'pass');
    assert.equal(verdict('HTB-VPC-004', ingress, sshFromAnywhere), 'fail');
    assert.equal(verdict('HTB-VPC-004', ingress, postgresFromVpc), 'pass');
    assert.equal(verdict('HTB-VPC-005', ingress, httpsFromAnywhereV6), 'pass');
    assert.equal(verdict('HTB-VPC-005', ingress, sshFromAnywhere), 'fail');
  });

  it('fails an unencrypted EBS block device declared on an instance and passes an instance without one', () => {
    const instance = 'AWS::EC2::Instance';
    assert.equal(verdict('HTB-EC2-006', instance, { ImageId: 'ami-1', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30 } }] }), 'fail');
    assert.equal(verdict('HTB-EC2-006', instance, { ImageId: 'ami-1', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: 'true' } }] }), 'pass');
    assert.equal(verdict('HTB-EC2-006', instance, { ImageId: 'ami-1' }), 'pass');
  });

  it('applies the OpenSearch rules to legacy Elasticsearch domains', () => {
    const domain = 'AWS::Elasticsearch::Domain';
    assert.equal(verdict('HTB-OPENSEARCH-001', domain, { ElasticsearchVersion: '7.10' }), 'fail');
    assert.equal(verdict('HTB-OPENSEARCH-001', domain, { EncryptionAtRestOptions: { Enabled: true } }), 'pass');
    assert.equal(verdict('HTB-OPENSEARCH-003', domain, { VPCOptions: { SubnetIds: ['subnet-1'] } }), 'pass');
  });

  it('passes a Memcached cache cluster and fails a Redis one without backups', () => {
    const cluster = 'AWS::ElastiCache::CacheCluster';
    assert.equal(verdict('HTB-ELASTICACHE-003', cluster, { Engine: 'memcached', CacheNodeType: 'cache.t4g.small', NumCacheNodes: 1 }), 'pass');
    assert.equal(verdict('HTB-ELASTICACHE-003', cluster, { Engine: 'redis', CacheNodeType: 'cache.t4g.small', NumCacheNodes: 1 }), 'fail');
  });

  it('reports an open CIDR or port from a template parameter as unresolvable instead of guessing', () => {
    const group = 'AWS::EC2::SecurityGroup';
    const cidrFromParameter = { GroupDescription: 'x', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: { Ref: 'AllowedCidr' } }] };
    const portFromParameter = { GroupDescription: 'x', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: { Ref: 'Port' }, ToPort: { Ref: 'Port' }, CidrIp: '0.0.0.0/0' }] };
    assert.equal(verdict('HTB-VPC-001', group, cidrFromParameter), 'unresolvable');
    assert.equal(verdict('HTB-VPC-004', group, portFromParameter), 'unresolvable');
  });

  it('still decides when the open values do not matter to the rule', () => {
    const group = 'AWS::EC2::SecurityGroup';
    const closed = { GroupDescription: { Ref: 'Description' }, VpcId: { Ref: 'Vpc' }, SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/8' }] };
    assert.equal(verdict('HTB-VPC-001', group, closed), 'pass');
    assert.equal(verdict('HTB-RDS-002', 'AWS::RDS::DBInstance', { DBInstanceClass: { Ref: 'Class' }, PubliclyAccessible: true }), 'fail');
  });

  it('fails an Allow with NotAction on every resource, under every policy type HTB-IAM-006 names, and in inline policies', () => {
    const powerUser = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }] };
    const scoped = { Version: '2012-10-17', Statement: { Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::app-bucket/*' } };
    const control = controls.find((c) => c.id === 'HTB-IAM-006');
    for (const type of control?.resourceTypes ?? []) {
      assert.equal(verdict('HTB-IAM-006', type, { PolicyName: 'p', PolicyDocument: powerUser }), 'fail', type);
      assert.equal(verdict('HTB-IAM-006', type, { PolicyName: 'p', PolicyDocument: scoped }), 'pass', type);
    }
    for (const type of ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']) {
      assert.equal(verdict('HTB-IAM-007', type, { Policies: [{ PolicyName: 'p', PolicyDocument: powerUser }] }), 'fail', type);
    }
  });

  it('reads boolean settings given as the strings "true" and "false", as JSON and YAML templates may write them', () => {
    const block = (value: unknown) => ({ PublicAccessBlockConfiguration: { BlockPublicAcls: value, BlockPublicPolicy: value, IgnorePublicAcls: value, RestrictPublicBuckets: value } });
    assert.equal(verdict('HTB-S3-001', 'AWS::S3::Bucket', block('true')), 'pass');
    assert.equal(verdict('HTB-S3-001', 'AWS::S3::Bucket', block('false')), 'fail');
    assert.equal(verdict('HTB-S3-001', 'AWS::S3::Bucket', block({ Ref: 'Block' })), 'unresolvable');
  });

  it('gives pass or fail, never an error, for policy documents written as JSON strings', () => {
    const admin = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });
    const documents = [admin, '{}', 'not JSON at all'];
    const readers = controls.filter((c) => c.rule !== undefined && /PolicyDocument|KeyPolicy/.test(c.rule.expression));
    assert.ok(readers.length >= 9, readers.map((c) => c.id).join(' '));
    for (const control of readers) {
      for (const type of control.resourceTypes) {
        for (const text of documents) {
          const properties = { PolicyDocument: text, KeyPolicy: text, AssumeRolePolicyDocument: text, Policies: [{ PolicyName: 'p', PolicyDocument: text }] };
          const outcome = control.rule?.evaluate({ type, properties });
          assert.ok(outcome?.result === 'pass' || outcome?.result === 'fail', `${control.id} on ${type}: ${JSON.stringify(outcome)}`);
        }
      }
    }
    assert.equal(verdict('HTB-IAM-006', 'AWS::IAM::Policy', { PolicyDocument: admin }), 'fail');
    assert.equal(verdict('HTB-KMS-002', 'AWS::KMS::Key', { KeyPolicy: admin }), 'fail');
    assert.equal(verdict('HTB-S3-003', 'AWS::S3::BucketPolicy', { PolicyDocument: admin }), 'fail');
  });

  it('passes a point-in-time restore and a snapshot restore that leave StorageEncrypted to their source, and fails one that states false', () => {
    const instance = 'AWS::RDS::DBInstance';
    assert.equal(verdict('HTB-RDS-001', instance, { DBInstanceClass: 'db.t4g.micro', SourceDBInstanceAutomatedBackupsArn: 'arn:aws:rds:ap-northeast-1:111122223333:auto-backup:ab-1', RestoreTime: '2024-01-01T00:00:00Z' }), 'pass');
    assert.equal(verdict('HTB-RDS-001', instance, { DBInstanceClass: 'db.t4g.micro', SourceDbiResourceId: 'db-ABC', UseLatestRestorableTime: true }), 'pass');
    assert.equal(verdict('HTB-RDS-001', instance, { DBInstanceClass: 'db.t4g.micro', DBSnapshotIdentifier: 'nightly', StorageEncrypted: false }), 'fail');
  });

  it('gives pass or fail, never an error, for a resource that sets none of its properties', () => {
    for (const control of controls) {
      for (const type of control.resourceTypes.filter((t) => t.startsWith('AWS::'))) {
        const outcome = control.rule?.evaluate({ type, properties: {} });
        if (outcome !== undefined) assert.ok(outcome.result === 'pass' || outcome.result === 'fail', `${control.id} on ${type}: ${JSON.stringify(outcome)}`);
      }
    }
  });
});
