import type { ResourceOperation } from '../../app/ports/cloud.js';

/**
 * What a tenant's resource write through Cloud Control amounts to in IAM's terms: the service
 * actions Cloud Control calls for it on the caller's behalf (the ones SCPs name), on which resource
 * ARN, and the request parameter that names the resource in the service's own event (so the impact
 * replay finds the same resource). One main action per type and operation; a bucket's or a security
 * group's update is judged by what it changes (turning off a log bucket's versioning is
 * s3:PutBucketVersioning). Types the twin does not know are judged as the Cloud Control call itself.
 */

type Json = Record<string, unknown>;

export type WriteAction = { action: string; resource?: string; requestParameters: Json };

type Target = { accountId: string; region: string; identifier: string; properties: Json };

type TypeActions = {
  create: string;
  /** Changed top-level property -> the action that changes it (removing one needs the same permission). */
  updateByProperty?: Readonly<Record<string, string | ((after: Json) => string)>>;
  update?: string;
  delete: string;
  arn?: (t: Target) => string | undefined;
  /** The request parameters the service's own event would carry. */
  params?: (t: Target) => Json;
};

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const regional = (service: string, resource: string) => (t: Target) => `arn:aws:${service}:${t.region}:${t.accountId}:${resource}${t.identifier}`;

const ACTIONS: Readonly<Record<string, TypeActions>> = {
  'AWS::S3::Bucket': {
    create: 's3:CreateBucket',
    updateByProperty: {
      BucketEncryption: 's3:PutEncryptionConfiguration',
      VersioningConfiguration: 's3:PutBucketVersioning',
      PublicAccessBlockConfiguration: 's3:PutBucketPublicAccessBlock',
      LoggingConfiguration: 's3:PutBucketLogging',
      LifecycleConfiguration: 's3:PutLifecycleConfiguration',
      OwnershipControls: 's3:PutBucketOwnershipControls',
      ReplicationConfiguration: 's3:PutReplicationConfiguration',
      ObjectLockConfiguration: 's3:PutBucketObjectLockConfiguration',
      AccessControl: 's3:PutBucketAcl',
      Tags: 's3:PutBucketTagging',
    },
    delete: 's3:DeleteBucket',
    arn: (t) => `arn:aws:s3:::${t.identifier}`,
    params: (t) => ({ bucketName: t.identifier }),
  },
  'AWS::EC2::SecurityGroup': {
    create: 'ec2:CreateSecurityGroup',
    updateByProperty: { SecurityGroupIngress: 'ec2:AuthorizeSecurityGroupIngress', SecurityGroupEgress: 'ec2:AuthorizeSecurityGroupEgress' },
    update: 'ec2:AuthorizeSecurityGroupIngress',
    delete: 'ec2:DeleteSecurityGroup',
    arn: regional('ec2', 'security-group/'),
    params: (t) => ({ groupId: t.identifier }),
  },
  'AWS::EC2::Volume': { create: 'ec2:CreateVolume', update: 'ec2:ModifyVolume', delete: 'ec2:DeleteVolume', arn: regional('ec2', 'volume/'), params: (t) => ({ volumeId: t.identifier }) },
  'AWS::EC2::VPC': { create: 'ec2:CreateVpc', update: 'ec2:ModifyVpcAttribute', delete: 'ec2:DeleteVpc', arn: regional('ec2', 'vpc/'), params: (t) => ({ vpcId: t.identifier }) },
  'AWS::IAM::User': {
    create: 'iam:CreateUser',
    update: 'iam:UpdateUser',
    delete: 'iam:DeleteUser',
    arn: (t) => `arn:aws:iam::${t.accountId}:user/${t.identifier}`,
    params: (t) => ({ userName: t.identifier }),
  },
  'AWS::IAM::AccessKey': {
    create: 'iam:CreateAccessKey',
    update: 'iam:UpdateAccessKey',
    delete: 'iam:DeleteAccessKey',
    arn: (t) => (text(t.properties.UserName) === undefined ? undefined : `arn:aws:iam::${t.accountId}:user/${text(t.properties.UserName)}`),
    params: (t) => (text(t.properties.UserName) === undefined ? {} : { userName: text(t.properties.UserName) }),
  },
  'AWS::IAM::Role': {
    create: 'iam:CreateRole',
    update: 'iam:UpdateRole',
    delete: 'iam:DeleteRole',
    arn: (t) => `arn:aws:iam::${t.accountId}:role/${t.identifier}`,
    params: (t) => ({ roleName: t.identifier }),
  },
  'AWS::RDS::DBInstance': { create: 'rds:CreateDBInstance', update: 'rds:ModifyDBInstance', delete: 'rds:DeleteDBInstance', arn: regional('rds', 'db:'), params: (t) => ({ dBInstanceIdentifier: t.identifier }) },
  'AWS::CloudTrail::Trail': {
    create: 'cloudtrail:CreateTrail',
    updateByProperty: { IsLogging: (after) => (after.IsLogging === false ? 'cloudtrail:StopLogging' : 'cloudtrail:StartLogging'), EventSelectors: 'cloudtrail:PutEventSelectors', InsightSelectors: 'cloudtrail:PutInsightSelectors' },
    update: 'cloudtrail:UpdateTrail',
    delete: 'cloudtrail:DeleteTrail',
    arn: regional('cloudtrail', 'trail/'),
    params: (t) => ({ name: t.identifier }),
  },
  'AWS::GuardDuty::Detector': { create: 'guardduty:CreateDetector', update: 'guardduty:UpdateDetector', delete: 'guardduty:DeleteDetector', arn: regional('guardduty', 'detector/'), params: (t) => ({ detectorId: t.identifier }) },
  'AWS::Config::ConfigurationRecorder': { create: 'config:PutConfigurationRecorder', update: 'config:PutConfigurationRecorder', delete: 'config:DeleteConfigurationRecorder', params: (t) => ({ configurationRecorderName: t.identifier }) },
  'AWS::Config::DeliveryChannel': { create: 'config:PutDeliveryChannel', update: 'config:PutDeliveryChannel', delete: 'config:DeleteDeliveryChannel', params: (t) => ({ deliveryChannelName: t.identifier }) },
  'AWS::KMS::Key': { create: 'kms:CreateKey', update: 'kms:PutKeyPolicy', delete: 'kms:ScheduleKeyDeletion', arn: regional('kms', 'key/'), params: (t) => ({ keyId: t.identifier }) },
  'AWS::SecurityHub::Hub': { create: 'securityhub:EnableSecurityHub', update: 'securityhub:UpdateSecurityHubConfiguration', delete: 'securityhub:DisableSecurityHub' },
};

const CLOUD_CONTROL: Record<ResourceOperation, string> = { CREATE: 'cloudcontrolapi:CreateResource', UPDATE: 'cloudcontrolapi:UpdateResource', DELETE: 'cloudcontrolapi:DeleteResource' };

/** Which top-level properties differ (by their JSON text; key order inside a value counts, which errs towards judging more). */
const changedProperties = (before: Json, after: Json): string[] =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));

/**
 * The calls a write makes, in order. `before` is the live resource's properties on an update;
 * `properties` the desired ones (a delete: the live ones, when known). A global resource is judged in
 * us-east-1, where IAM's endpoint lives.
 */
export function writeActions(input: { accountId: string; region: string; typeName: string; identifier: string; operation: ResourceOperation; properties: Json; before?: Json | undefined }): WriteAction[] {
  const target: Target = { accountId: input.accountId, region: input.region, identifier: input.identifier, properties: input.properties };
  const known = ACTIONS[input.typeName];
  const base: Json = { typeName: input.typeName, identifier: input.identifier };
  if (known === undefined) return [{ action: CLOUD_CONTROL[input.operation], requestParameters: base }];
  const resource = known.arn?.(target);
  const one = (action: string): WriteAction => ({ action, ...(resource === undefined ? {} : { resource }), requestParameters: { ...base, ...known.params?.(target) } });
  switch (input.operation) {
    case 'CREATE': {
      const ingress = input.typeName === 'AWS::EC2::SecurityGroup' && Array.isArray(input.properties.SecurityGroupIngress) && input.properties.SecurityGroupIngress.length > 0;
      return [one(known.create), ...(ingress ? [one('ec2:AuthorizeSecurityGroupIngress')] : [])];
    }
    case 'DELETE':
      return [one(known.delete)];
    case 'UPDATE': {
      const byProperty = known.updateByProperty;
      const actionOf = (property: string): string[] => {
        const action = byProperty?.[property];
        return action === undefined ? [] : [typeof action === 'string' ? action : action(input.properties)];
      };
      const changed = [...new Set(changedProperties(input.before ?? {}, input.properties).flatMap(actionOf))];
      if (changed.length > 0) return changed.map(one);
      return [one(known.update ?? CLOUD_CONTROL.UPDATE)];
    }
  }
}
