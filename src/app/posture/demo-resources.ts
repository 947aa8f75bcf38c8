import type { CloudDriver, ResourceRef } from '../ports/cloud.js';

/**
 * Resources for the demo's accounts, so `npm start` shows findings and scores: every account gets
 * the landing zone's baseline (CloudTrail, Config, GuardDuty, Security Hub, a VPC with flow logs, …)
 * and a small workload (a bucket, a volume, a database, security groups), all compliant, and then one
 * or two deliberate problems picked by the account's position in the demo:
 *
 *   0: an SSH port open to the internet, and a root user without MFA (below the 90% target)
 *   1: an unencrypted EBS volume   2: a bucket without public access block   3: GuardDuty never turned on
 *
 * Properties are in CloudFormation's shape, read-only ones (VpcId, GroupId, Arn) included, as Cloud
 * Control returns them.
 */
export type DemoResource = ResourceRef & { arn?: string; properties: Record<string, unknown> };

export type DemoProblem = 'open-ssh' | 'root-without-mfa' | 'unencrypted-volume' | 'public-bucket' | 'no-guardduty';
export const DEMO_PROBLEMS: readonly (readonly DemoProblem[])[] = [['open-ssh', 'root-without-mfa'], ['unencrypted-volume'], ['public-bucket'], ['no-guardduty']];

const REGION = 'ap-northeast-1';

function baseline(accountId: string, suffix: string, problems: ReadonlySet<DemoProblem>): DemoResource[] {
  const kms = `arn:aws:kms:${REGION}:${accountId}:key/0000${suffix}-aaaa-bbbb-cccc-000000000001`;
  const logBucket = `hatoba-logs-${accountId}`;
  const topic = `arn:aws:sns:${REGION}:${accountId}:hatoba-security`;
  const vpcId = `vpc-0${suffix}a`;
  const at = (typeName: string, identifier: string, properties: Record<string, unknown>, arn?: string): DemoResource => ({
    accountId,
    region: typeName.startsWith('AWS::IAM::') || typeName.startsWith('Hatoba::IAM::') ? undefined : REGION,
    typeName,
    identifier,
    ...(arn === undefined ? {} : { arn }),
    properties,
  });
  return [
    at('Hatoba::IAM::RootUser', `arn:aws:iam::${accountId}:root`, { MfaEnabled: !problems.has('root-without-mfa'), AccessKeysPresent: false }),
    at(
      'AWS::CloudTrail::Trail',
      'hatoba-org-trail',
      {
        TrailName: 'hatoba-org-trail',
        IsLogging: true,
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
        S3BucketName: logBucket,
        KMSKeyId: kms,
        CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${accountId}:log-group:cloudtrail:*`,
        CloudWatchLogsRoleArn: `arn:aws:iam::${accountId}:role/hatoba-cloudtrail-logs`,
        EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }],
      },
      `arn:aws:cloudtrail:${REGION}:${accountId}:trail/hatoba-org-trail`,
    ),
    at('AWS::Config::ConfigurationRecorder', 'default', { Name: 'default', RoleARN: `arn:aws:iam::${accountId}:role/hatoba-config`, RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true } }),
    at('AWS::Config::DeliveryChannel', 'default', { Name: 'default', S3BucketName: logBucket }),
    at('AWS::SecurityHub::Hub', `arn:aws:securityhub:${REGION}:${accountId}:hub/default`, { EnableDefaultStandards: false }),
    at('AWS::SecurityHub::Standard', `fsbp-${suffix}`, { StandardsArn: `arn:aws:securityhub:${REGION}::standards/aws-foundational-security-best-practices/v/1.0.0` }),
    at('AWS::SecurityHub::Standard', `cis-${suffix}`, { StandardsArn: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0' }),
    at('AWS::AccessAnalyzer::Analyzer', `arn:aws:access-analyzer:${REGION}:${accountId}:analyzer/hatoba`, { AnalyzerName: 'hatoba', Type: 'ACCOUNT' }),
    at('AWS::Macie::Session', accountId, { Status: 'ENABLED', FindingPublishingFrequency: 'ONE_HOUR' }),
    at('AWS::Budgets::Budget', 'hatoba-monthly', {
      Budget: { BudgetName: 'hatoba-monthly', BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 1000, Unit: 'USD' } },
      NotificationsWithSubscribers: [{ Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80 }, Subscribers: [{ SubscriptionType: 'SNS', Address: topic }] }],
    }),
    at('AWS::Events::Rule', 'hatoba-findings-to-tenant', { State: 'ENABLED', EventPattern: { source: ['aws.securityhub'] }, Targets: [{ Id: 'tenant', Arn: topic }] }),
    at('AWS::Logs::MetricFilter', 'root-usage', {
      LogGroupName: 'cloudtrail',
      FilterPattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
      MetricTransformations: [{ MetricName: 'RootUsage', MetricNamespace: 'Hatoba/Security', MetricValue: '1' }],
    }),
    at('AWS::CloudWatch::Alarm', 'root-usage', { AlarmName: 'root-usage', MetricName: 'RootUsage', Namespace: 'Hatoba/Security', AlarmActions: [topic], ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1, EvaluationPeriods: 1 }),
    at('AWS::Logs::LogGroup', 'cloudtrail', { LogGroupName: 'cloudtrail', RetentionInDays: 400, KmsKeyId: kms }),
    at('AWS::IAM::Role', 'hatoba-support', {
      RoleName: 'hatoba-support',
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] },
      ManagedPolicyArns: ['arn:aws:iam::aws:policy/AWSSupportAccess'],
    }),
    at('AWS::KMS::Key', kms.slice(kms.lastIndexOf('/') + 1), { KeySpec: 'SYMMETRIC_DEFAULT', EnableKeyRotation: true, KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' }] } }, kms),
    at('AWS::EC2::VPC', vpcId, { VpcId: vpcId, CidrBlock: '10.0.0.0/16', EnableDnsSupport: true }),
    at('AWS::EC2::FlowLog', `fl-0${suffix}`, { ResourceId: vpcId, ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: `arn:aws:s3:::${logBucket}` }),
    at('AWS::EC2::SecurityGroup', `sg-0${suffix}d`, { GroupId: `sg-0${suffix}d`, GroupName: 'default', GroupDescription: 'default VPC security group', VpcId: vpcId, SecurityGroupIngress: [], SecurityGroupEgress: [] }),
  ];
}

function workload(accountId: string, suffix: string, problems: ReadonlySet<DemoProblem>): DemoResource[] {
  const vpcId = `vpc-0${suffix}a`;
  const bucket = `app-data-${accountId}`;
  const ingress = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }];
  if (problems.has('open-ssh')) ingress.push({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' });
  const publicAccessBlock = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
  return [
    {
      accountId,
      region: REGION,
      typeName: 'AWS::S3::Bucket',
      identifier: bucket,
      arn: `arn:aws:s3:::${bucket}`,
      properties: {
        BucketName: bucket,
        Arn: `arn:aws:s3:::${bucket}`,
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: `arn:aws:kms:${REGION}:${accountId}:alias/app-data` }, BucketKeyEnabled: true }] },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: `hatoba-logs-${accountId}`, LogFilePrefix: `${bucket}/` },
        LifecycleConfiguration: { Rules: [{ Id: 'expire-old-versions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 365 } }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        ...(problems.has('public-bucket') ? {} : { PublicAccessBlockConfiguration: publicAccessBlock }),
      },
    },
    { accountId, region: REGION, typeName: 'AWS::EC2::Volume', identifier: `vol-0${suffix}1`, properties: { VolumeId: `vol-0${suffix}1`, AvailabilityZone: `${REGION}a`, Size: 100, VolumeType: 'gp3', Encrypted: !problems.has('unencrypted-volume') } },
    { accountId, region: REGION, typeName: 'AWS::EC2::SecurityGroup', identifier: `sg-0${suffix}w`, properties: { GroupId: `sg-0${suffix}w`, GroupName: 'web', GroupDescription: 'web front', VpcId: vpcId, SecurityGroupIngress: ingress } },
    {
      accountId,
      region: REGION,
      typeName: 'AWS::RDS::DBInstance',
      identifier: 'app-db',
      properties: {
        DBInstanceIdentifier: 'app-db',
        Engine: 'postgres',
        DBInstanceClass: 'db.t4g.medium',
        MasterUsername: 'appowner',
        StorageEncrypted: true,
        PubliclyAccessible: false,
        BackupRetentionPeriod: 14,
        MultiAZ: true,
        DeletionProtection: true,
        EnableIAMDatabaseAuthentication: true,
        AutoMinorVersionUpgrade: true,
        MonitoringInterval: 60,
        EnableCloudwatchLogsExports: ['postgresql'],
      },
    },
  ];
}

/** The demo resources of the account at `position` among the demo's accounts. */
export function demoResources(accountId: string, position: number): DemoResource[] {
  const problems = new Set<DemoProblem>(DEMO_PROBLEMS[position % DEMO_PROBLEMS.length]);
  const suffix = accountId.slice(-6);
  const resources = [...baseline(accountId, suffix, problems), ...workload(accountId, suffix, problems)];
  return problems.has('no-guardduty')
    ? resources
    : [
        ...resources,
        {
          accountId,
          region: REGION,
          typeName: 'AWS::GuardDuty::Detector',
          identifier: `d0${suffix}`,
          properties: {
            Enable: true,
            FindingPublishingFrequency: 'FIFTEEN_MINUTES',
            Features: ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS'].map((Name) => ({ Name, Status: 'ENABLED' })),
          },
        },
      ];
}

/** Puts the demo resources of one account through the cloud port (each put is logged and fed to the detective). */
export async function seedDemoResources(cloud: Pick<CloudDriver, 'putResource'>, accountId: string, position: number): Promise<number> {
  const resources = demoResources(accountId, position);
  for (const resource of resources) await cloud.putResource(resource);
  return resources.length;
}
