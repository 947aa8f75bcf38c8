import type { Control } from '../catalog/schema.js';
import { hatobaProp, implementationKinds, metadata, type ImplementationKind } from './common.js';
import { compareNatural, controlToken } from './ids.js';
import type { OscalCatalog, OscalControl, OscalExportOptions, OscalGroup, OscalLink, OscalPart, OscalProperty } from './types.js';
import { optional } from './types.js';
import { HATOBA_NS, hatobaUuid } from './uuid.js';

/**
 * Hatoba's controls as an OSCAL catalog.
 *
 * Groups are by service, the control's first (primary) service: an OSCAL control sits in exactly
 * one place, and a control serves several objectives but is about one service first (its id says
 * so: HTB-S3-…), much as NIST groups 800-53 by family. Objectives, all services and resource types
 * are props, so a reader can still filter by them.
 *
 * OSCAL has one title per document and per control: the English one. The Japanese title and text
 * travel in props and parts under Hatoba's namespace (OSCAL requires a namespace on every name it
 * does not define itself).
 */
export function toOscalCatalog(controls: readonly Control[], options: OscalExportOptions): OscalCatalog {
  const meta = metadata({ en: 'Hatoba controls catalog', ja: 'Hatoba 統制カタログ' }, options, 'Guardrails for AWS accounts of a federated government cloud: preventive policies, proactive and detective rules. Japanese titles and text are in props and parts of the https://hatoba.dev/ns/oscal namespace.');
  const byService = new Map<string, Control[]>();
  for (const control of controls) {
    const service = control.services[0] ?? 'other';
    byService.set(service, [...(byService.get(service) ?? []), control]);
  }
  const groups: OscalGroup[] = [...byService.keys()].sort(compareNatural).map((service) => ({
    id: `service-${service}`,
    class: 'service',
    title: serviceTitle(service),
    props: hatobaProp('service', service),
    ...optional('controls', [...(byService.get(service) ?? [])].sort((a, b) => compareNatural(a.id, b.id)).map(toOscalControl)),
  }));
  const body = { metadata: meta, ...optional('groups', groups) };
  // The catalog's UUID names its content, so any change to the catalog gives a new one.
  return { catalog: { uuid: hatobaUuid(`catalog:${JSON.stringify(body)}`), ...body } };
}

function toOscalControl(control: Control): OscalControl {
  const token = controlToken(control.id);
  const props: OscalProperty[] = [
    { name: 'label', value: control.id },
    { name: 'sort-id', value: token },
    ...hatobaProp('title-ja', control.title.ja),
    ...hatobaProp('severity', control.severity),
    ...control.objectives.flatMap((objective) => hatobaProp('objective', objective)),
    ...control.services.flatMap((service) => hatobaProp('service', service)),
    ...control.resourceTypes.flatMap((type) => hatobaProp('resource-type', type)),
    ...implementationKinds(control).flatMap((kind) => hatobaProp('implementation', kind)),
  ];
  return {
    id: token,
    class: 'hatoba-control',
    title: control.title.en,
    props,
    ...optional('links', referenceLinks(control)),
    parts: [
      { id: `${token}_smt`, name: 'statement', prose: control.description.en },
      { id: `${token}_smt.ja`, name: 'statement-ja', ns: HATOBA_NS, title: control.title.ja, prose: control.description.ja },
      guidance(control, token),
      ...implementationParts(control, token),
    ],
  };
}

function guidance(control: Control, token: string): OscalPart {
  const types = control.resourceTypes.length > 0 ? control.resourceTypes.join(', ') : 'Hatoba::Account';
  const en: Record<ImplementationKind, string> = {
    'preventive-scp': 'Preventive: a service control policy denies the actions that would break it.',
    'preventive-rcp': 'Preventive: a resource control policy denies the actions that would break it.',
    'proactive-detective-rule': `Proactive and detective: a CEL rule checks ${types} resources in templates before deployment and in every account.`,
  };
  const ja: Record<ImplementationKind, string> = {
    'preventive-scp': '予防的統制: サービスコントロールポリシーが、この統制に反する操作を拒否します。',
    'preventive-rcp': '予防的統制: リソースコントロールポリシーが、この統制に反する操作を拒否します。',
    'proactive-detective-rule': `事前・発見的統制: CEL ルールが、デプロイ前のテンプレートと各アカウントの ${types} リソースを評価します。`,
  };
  const kinds = implementationKinds(control);
  return {
    id: `${token}_gdn`,
    name: 'guidance',
    prose: `How Hatoba enforces this control. ${kinds.map((kind) => en[kind]).join(' ')}`,
    parts: [{ id: `${token}_gdn.ja`, name: 'guidance-ja', ns: HATOBA_NS, prose: `Hatoba による実施方法。${kinds.map((kind) => ja[kind]).join('')}` }],
  };
}

/** The policy statements and the rule themselves, so an assessor sees what is enforced, not a summary. */
function implementationParts(control: Control, token: string): OscalPart[] {
  const parts: OscalPart[] = [];
  const { preventive, rule } = control.implementations;
  if (preventive !== undefined) {
    parts.push({
      id: `${token}_imp.policy`,
      name: 'implementation',
      ns: HATOBA_NS,
      class: preventive.kind === 'SCP' ? 'preventive-scp' : 'preventive-rcp',
      title: preventive.kind === 'SCP' ? 'Service control policy statements' : 'Resource control policy statements',
      prose: '```json\n' + JSON.stringify(preventive.statements, null, 2) + '\n```',
    });
  }
  if (rule !== undefined) {
    parts.push({
      id: `${token}_imp.rule`,
      name: 'implementation',
      ns: HATOBA_NS,
      class: 'proactive-detective-rule',
      title: 'CEL rule (true when the resource complies)',
      prose: '```cel\n' + rule.expression.trim() + '\n```',
    });
  }
  return parts;
}

/** Links to the public definitions of the equivalent AWS Security Hub control, Config rule and Prowler check. */
function referenceLinks(control: Control): OscalLink[] {
  const references = control.implementations.references ?? {};
  return [
    ...(references.securityHub ?? []).map((id) => {
      const [service = '', number = ''] = id.toLowerCase().split('.');
      return { href: `https://docs.aws.amazon.com/securityhub/latest/userguide/${service}-controls.html#${service}-${number}`, rel: 'security-hub-control', text: `AWS Security Hub ${id}` };
    }),
    ...(references.configRule ?? []).map((id) => ({ href: `https://docs.aws.amazon.com/config/latest/developerguide/${id}.html`, rel: 'config-rule', text: `AWS Config managed rule ${id}` })),
    ...(references.prowler ?? []).map((id) => ({ href: `https://hub.prowler.com/check/${id}`, rel: 'prowler-check', text: `Prowler check ${id}` })),
  ];
}

const SERVICE_TITLES: Record<string, string> = {
  account: 'AWS Account Management',
  backup: 'AWS Backup',
  cloudtrail: 'AWS CloudTrail',
  cloudwatch: 'Amazon CloudWatch',
  config: 'AWS Config',
  dynamodb: 'Amazon DynamoDB',
  ec2: 'Amazon EC2 and Amazon VPC',
  ecr: 'Amazon ECR',
  eks: 'Amazon EKS',
  elasticfilesystem: 'Amazon EFS',
  elasticloadbalancing: 'Elastic Load Balancing',
  guardduty: 'Amazon GuardDuty',
  iam: 'AWS Identity and Access Management',
  kms: 'AWS Key Management Service',
  lambda: 'AWS Lambda',
  logs: 'Amazon CloudWatch Logs',
  organizations: 'AWS Organizations',
  rds: 'Amazon RDS',
  s3: 'Amazon S3',
  savingsplans: 'Savings Plans',
  securityhub: 'AWS Security Hub',
  shield: 'AWS Shield',
  sns: 'Amazon SNS',
  sqs: 'Amazon SQS',
  sts: 'AWS Security Token Service',
};

/** A readable name for an IAM service prefix; unknown prefixes read as themselves. */
const serviceTitle = (service: string): string => SERVICE_TITLES[service] ?? `AWS service ${service}`;
