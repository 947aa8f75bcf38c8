import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import type { Control, Mapping } from '../catalog/schema.js';
import catalogSchema from './schema/oscal_catalog_schema.json' with { type: 'json' };
import componentSchema from './schema/oscal_component_schema.json' with { type: 'json' };

/**
 * Test support: validators for the vendored OSCAL schemas (ajv is a development dependency, so
 * only tests import this file) and a small catalog of controls and mappings shaped like catalog/.
 */

export type OscalValidator = (document: unknown) => string[];

function validator(schema: object): OscalValidator {
  // Defaults suffice: strict mode compiles NIST's schemas, and unicodeRegExp (on by default) is what
  // their \p{L} token patterns need. ajv-formats supplies date-time, uri, uri-reference and email.
  const ajv = new Ajv({ allErrors: true });
  // ajv-formats is CommonJS: under NodeNext its default import is module.exports, whose `default` is the plugin.
  formats.default(ajv);
  const validate: ValidateFunction = ajv.compile(schema);
  return (document) => (validate(document) ? [] : (validate.errors ?? []).map(describe));
}

/** `/catalog/metadata: must have required property 'title'`; params only where the message lacks them. */
const describe = (error: ErrorObject): string =>
  `${error.instancePath || '/'}: ${error.message ?? error.keyword}${error.keyword === 'pattern' || error.keyword === 'required' ? '' : ` ${JSON.stringify(error.params)}`}`;

export const validateCatalog: OscalValidator = validator(catalogSchema);
export const validateComponentDefinition: OscalValidator = validator(componentSchema);

const base = { severity: 'high', resourceTypes: [] } satisfies Partial<Control>;

export const sampleControls: Control[] = [
  {
    ...base,
    id: 'HTB-S3-001',
    title: { ja: 'S3 バケットはパブリックアクセスをすべてブロックする', en: 'S3 buckets block all public access' },
    description: { ja: 'パブリックアクセスブロックの 4 項目をすべて有効にします。', en: 'Turn on all four public access block settings.\nA mistaken ACL cannot make data public.' },
    objectives: ['data-protection', 'network-exposure'],
    services: ['s3'],
    resourceTypes: ['AWS::S3::Bucket'],
    implementations: {
      rule: {
        expression: 'has(resource.PublicAccessBlockConfiguration)',
        examples: { pass: [{ PublicAccessBlockConfiguration: {} }], fail: [{}] },
      },
      references: { securityHub: ['S3.8'], configRule: ['s3-bucket-level-public-access-prohibited'], prowler: ['s3_bucket_level_public_access_block'] },
    },
  },
  {
    ...base,
    id: 'HTB-IAM-002',
    severity: 'critical',
    title: { ja: 'IAM ユーザーとアクセスキーを作成しない', en: 'No IAM users or access keys' },
    description: { ja: 'テナント管理者ロール以外は IAM ユーザーとアクセスキーを作成できません。', en: 'Only the tenant Admin role may create IAM users and access keys.' },
    objectives: ['identity-and-access'],
    services: ['iam'],
    resourceTypes: ['AWS::IAM::User'],
    implementations: {
      preventive: {
        kind: 'SCP',
        statements: [{ Sid: 'DenyIamUsers', Effect: 'Deny', Action: ['iam:CreateUser', 'iam:CreateAccessKey'], Resource: '*' }],
      },
      rule: { expression: 'false', examples: { pass: [{}], fail: [{}] } },
    },
  },
  {
    ...base,
    id: 'HTB-ORG-010',
    severity: 'medium',
    title: { ja: '組織から離脱しない', en: 'Accounts do not leave the organisation' },
    description: { ja: 'LeaveOrganization を拒否します。', en: 'Deny organizations:LeaveOrganization.' },
    objectives: ['governance'],
    services: ['organizations'],
    implementations: { preventive: { kind: 'SCP', statements: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }] } },
  },
];

export const sampleMappings: Mapping[] = [
  { source: 'control:HTB-S3-001', target: 'nist-sp-800-53-r5:AC-3', relationship: 'implements', provenance: 'hatoba: test' },
  { source: 'control:HTB-S3-001', target: 'nist-sp-800-53-r5:SC-7', relationship: 'subset', provenance: 'hatoba: test' },
  { source: 'control:HTB-IAM-002', target: 'nist-sp-800-53-r5:AC-2(1)', relationship: 'implements', provenance: 'hatoba: test' },
  { source: 'control:HTB-IAM-002', target: 'nist-sp-800-53-r5:AC-10', relationship: 'intersects', provenance: 'hatoba: test' },
  { source: 'nist-sp-800-53-r5:AC-3', target: 'control:HTB-IAM-002', relationship: 'superset', provenance: 'hatoba: test' },
  { source: 'control:HTB-IAM-002', target: 'nist-csf-2.0:PR.AA-05', relationship: 'implements', provenance: 'hatoba: test' },
  // HTB-ORG-010 has no 800-53 mapping on purpose; it maps only to a Japanese guideline.
  { source: 'control:HTB-ORG-010', target: 'jp-sbd-guideline:3.2', relationship: 'implements', provenance: 'hatoba: test' },
  // A mapping between two requirements says nothing about Hatoba's controls.
  { source: 'nist-csf-2.0:PR.AA-05', target: 'nist-sp-800-53-r5:AC-2', relationship: 'intersects', provenance: 'hatoba: test' },
];
