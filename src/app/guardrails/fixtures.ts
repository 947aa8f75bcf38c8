import type { Control } from '../../guardrails/catalog/schema.js';
import type { PolicyStatement } from '../../guardrails/iam/policy-schema.js';

/**
 * Catalog controls for the rollout tests: AWS's region-deny example, a deny on IAM users, the
 * protection of the platform's trails (as HTB-PREV-003 words it), an RCP on S3 reads, and a detective-only control.
 */

const control = (id: string, patch: Partial<Control>): Control => ({
  id,
  title: { ja: `${id} のタイトル`, en: `${id} title` },
  description: { ja: `${id} の説明`, en: `${id} description` },
  objectives: ['governance'],
  services: ['ec2'],
  resourceTypes: [],
  severity: 'high',
  implementations: { references: { securityHub: ['IAM.1'] } },
  ...patch,
});

const preventive = (statements: PolicyStatement[]): Control['implementations'] => ({ preventive: { kind: 'SCP', statements } });

export const REGION_DENY_ID = 'HTB-GOV-001';
export const DENY_USERS_ID = 'HTB-IAM-001';
export const DETECTIVE_ONLY_ID = 'HTB-EBS-001';
export const PROTECT_TRAILS_ID = 'HTB-LOG-900';
export const RCP_NO_READS_ID = 'HTB-S3-900';

export const rolloutControls: Control[] = [
  control(REGION_DENY_ID, {
    implementations: preventive([
      {
        Sid: 'DenyOtherRegions',
        Effect: 'Deny',
        NotAction: ['iam:*', 'organizations:*', 'sts:*', 'support:*'],
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': ['ap-northeast-1', 'ap-northeast-3'] } },
      },
    ]),
  }),
  control(DENY_USERS_ID, {
    services: ['iam'],
    implementations: preventive([
      { Sid: 'DenyUsers', Effect: 'Deny', Action: ['iam:CreateUser', 'iam:CreateAccessKey'], Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*-Admin' } } },
    ]),
  }),
  control(PROTECT_TRAILS_ID, {
    services: ['cloudtrail'],
    implementations: preventive([
      { Sid: 'ProtectPlatformTrails', Effect: 'Deny', Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'], Resource: 'arn:aws:cloudtrail:*:*:trail/hatoba-*' },
    ]),
  }),
  control(RCP_NO_READS_ID, {
    services: ['s3'],
    implementations: { preventive: { kind: 'RCP', statements: [{ Sid: 'NoObjectReads', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*' }] } },
  }),
  control(DETECTIVE_ONLY_ID, {
    resourceTypes: ['AWS::EC2::Volume'],
    implementations: { rule: { expression: 'resource.Encrypted == true', examples: { pass: [{ Encrypted: true }], fail: [{ Encrypted: false }] } } },
  }),
];
