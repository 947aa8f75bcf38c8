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

  it('gives pass or fail, never an error, for a resource that sets none of its properties', () => {
    for (const control of controls) {
      for (const type of control.resourceTypes.filter((t) => t.startsWith('AWS::'))) {
        const outcome = control.rule?.evaluate({ type, properties: {} });
        if (outcome !== undefined) assert.ok(outcome.result === 'pass' || outcome.result === 'fail', `${control.id} on ${type}: ${JSON.stringify(outcome)}`);
      }
    }
  });
});
