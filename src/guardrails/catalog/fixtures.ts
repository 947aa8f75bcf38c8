import { stringify } from 'yaml';
import type { Catalog } from './catalog.js';
import { loadCatalog, type CatalogFile } from './loader.js';

/**
 * A small catalog for tests: a slice of SP 800-53 and CSF 2.0 with their real ids, and a made-up
 * Japanese chain (law -> regulation -> guideline) whose mappings are written in both directions, so
 * that the walk must orient them by level rather than by how they were written.
 */
export const control = (id: string, patch: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  title: { ja: `${id} のタイトル`, en: `${id} title` },
  description: { ja: `${id} の説明`, en: `${id} description` },
  objectives: ['encryption'],
  services: ['ec2'],
  resourceTypes: ['AWS::EC2::Volume'],
  severity: 'medium',
  implementations: { rule: { expression: 'resource.Encrypted == true', examples: { pass: [{ Encrypted: true }], fail: [{ Encrypted: false }] } } },
  ...patch,
});

const requirement = (id: string, en: string, parent?: string, withdrawn?: string[]) => ({
  id,
  title: { en },
  ...(parent === undefined ? {} : { parent }),
  ...(withdrawn === undefined ? {} : { withdrawn: { movedTo: withdrawn } }),
});

const framework = (id: string, kind: string, requirements: unknown[]) => ({
  id,
  kind,
  title: { ja: `${id} 日本語`, en: `${id} English` },
  publisher: 'test',
  version: '1',
  source: { url: 'https://example.test/', licence: 'test' },
  requirements,
});

export const fixtureControls = [
  control('HTB-EBS-001', {
    title: { ja: 'EBS ボリュームを暗号化する', en: 'EBS volumes are encrypted' },
    description: { ja: '保存データを KMS で暗号化します。', en: 'Encrypt data at rest with KMS: IAM policies do not protect a lost disk.' },
    severity: 'high',
    implementations: {
      rule: { expression: 'resource.Encrypted == true', examples: { pass: [{ Encrypted: true }], fail: [{ Encrypted: false }] } },
      references: { securityHub: ['EC2.3'] },
    },
  }),
  control('HTB-IAM-001', {
    title: { ja: 'IAM ユーザーを作らない', en: 'No IAM users' },
    description: { ja: 'アクセスキーの漏えいを防ぐため、IAM ユーザーの作成を拒否します。', en: 'Deny creating IAM users, so no long-lived access key can leak.' },
    objectives: ['identity-and-access'],
    services: ['iam'],
    resourceTypes: [],
    severity: 'critical',
    implementations: { preventive: { kind: 'SCP', statements: [{ Sid: 'DenyUsers', Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }] } },
  }),
  control('HTB-LOG-001', {
    title: { ja: 'CloudTrail を有効にする', en: 'CloudTrail records IAM and other API calls' },
    description: { ja: '暗号化された証跡を記録します。', en: 'Record an encrypted trail of API calls.' },
    objectives: ['logging'],
    services: ['cloudtrail'],
    resourceTypes: ['AWS::CloudTrail::Trail'],
    severity: 'low',
    implementations: { rule: { expression: 'resource.IsLogging == true', examples: { pass: [{ IsLogging: true }], fail: [{ IsLogging: false }] } } },
  }),
];

export const fixtureFrameworks = [
  framework('nist-sp-800-53-r5', 'framework', [
    requirement('AC', 'Access Control'),
    requirement('AC-2', 'Account Management', 'AC'),
    requirement('AC-2(1)', 'Automated System Account Management', 'AC-2'),
    requirement('AC-3', 'Access Enforcement', 'AC'),
    requirement('AC-3(1)', 'Restricted Access to Privileged Functions', 'AC-3', ['AC-6']),
    requirement('AC-6', 'Least Privilege', 'AC'),
    requirement('AU', 'Audit and Accountability'),
    requirement('AU-2', 'Event Logging', 'AU'),
    requirement('SC', 'System and Communications Protection'),
    requirement('SC-7', 'Boundary Protection', 'SC'),
    requirement('SC-7(2)', 'Public Access', 'SC-7', ['SC-7']),
    requirement('SC-28', 'Protection of Information at Rest', 'SC'),
    requirement('SC-28(1)', 'Cryptographic Protection', 'SC-28'),
  ]),
  framework('nist-csf-2.0', 'framework', [
    requirement('PR', 'PROTECT'),
    requirement('PR.DS', 'Data Security', 'PR'),
    requirement('PR.DS-01', 'Data-at-rest is protected', 'PR.DS'),
    requirement('PR.AA', 'Identity Management, Authentication, and Access Control', 'PR'),
    requirement('PR.AA-05', 'Access permissions are managed', 'PR.AA'),
    requirement('DE', 'DETECT'),
    requirement('DE.CM', 'Continuous Monitoring', 'DE'),
    requirement('DE.CM-09', 'Computing hardware and software are monitored', 'DE.CM'),
    requirement('PR.AC', 'Identity Management, Authentication and Access Control', 'PR', ['PR.AA']),
  ]),
  framework('jp-law-test', 'law', [requirement('art-1', 'Article 1 (our paraphrase)')]),
  framework('jp-nisc-test', 'regulation', [requirement('4.1', 'Measure 4.1'), requirement('4.2', 'Measure 4.2')]),
  framework('jp-guideline-test', 'guideline', [requirement('G-1', 'Guideline 1'), requirement('G-1.1', 'Guideline 1.1', 'G-1')]),
];

const edge = (source: string, target: string, relationship: string) => ({ source, target, relationship, provenance: 'test' });

export const fixtureMappings = [
  edge('control:HTB-EBS-001', 'nist-sp-800-53-r5:SC-28(1)', 'implements'),
  edge('control:HTB-IAM-001', 'nist-sp-800-53-r5:AC-2(1)', 'implements'),
  // Written from the requirement's side: the walk must still lead from the control upward.
  edge('nist-sp-800-53-r5:AU-2', 'control:HTB-LOG-001', 'implements'),
  edge('nist-csf-2.0:PR.DS-01', 'nist-sp-800-53-r5:SC', 'intersects'),
  edge('nist-csf-2.0:PR.AA-05', 'nist-sp-800-53-r5:AC', 'intersects'),
  edge('nist-csf-2.0:DE.CM-09', 'nist-sp-800-53-r5:AU', 'intersects'),
  // The Japanese chain: guideline G-1.1 -> CSF PR.DS-01 (sideways by relationship, upward by level), G-1 -> 4.1 -> art-1.
  edge('nist-csf-2.0:PR.DS-01', 'jp-guideline-test:G-1.1', 'intersects'),
  edge('jp-guideline-test:G-1', 'jp-nisc-test:4.1', 'derived-from'),
  edge('jp-law-test:art-1', 'jp-nisc-test:4.1', 'superset'),
];

export function fixtureFiles(): CatalogFile[] {
  return [
    { path: 'catalog/controls/fixture.yaml', text: stringify({ controls: fixtureControls }) },
    ...fixtureFrameworks.map((f) => ({ path: `catalog/frameworks/${f.id}.json`, text: JSON.stringify(f, null, 2) })),
    { path: 'catalog/mappings/fixture.yaml', text: stringify({ mappings: fixtureMappings }) },
  ];
}

export function fixtureCatalog(): Catalog {
  const result = loadCatalog(fixtureFiles());
  if (!result.ok) throw new Error(`the fixture catalog does not load: ${JSON.stringify(result.issues)}`);
  return result.catalog;
}
