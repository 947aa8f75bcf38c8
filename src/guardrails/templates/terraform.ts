import { z } from 'zod';
import type { Issue } from '../../domain/errors.js';
import type { TemplateResource } from './cloudformation.js';
import { isIntrinsic } from '../rules/rule.js';

/**
 * Reads a Terraform plan (`terraform show -json plan.out`) and maps the common AWS resource types to
 * the CloudFormation shape the rules are written against, so one rule judges both. Values Terraform
 * knows only after apply (`after_unknown`) become `{"Fn::TerraformUnknown": "<attribute>"}`: like a
 * template's `Ref`, they are open, and rules report them as unresolvable instead of guessing.
 */

const PlanResource = z.object({ address: z.string(), mode: z.string().optional(), type: z.string(), values: z.record(z.string(), z.unknown()).nullable().optional() });
type PlanResource = z.infer<typeof PlanResource>;
type Module = { resources?: PlanResource[]; child_modules?: Module[] };
const Module: z.ZodType<Module> = z.lazy(() => z.object({ resources: z.array(PlanResource).optional(), child_modules: z.array(Module).optional() }));
const Plan = z.object({
  format_version: z.string(),
  planned_values: z.object({ root_module: Module }),
  resource_changes: z.array(z.object({ address: z.string(), change: z.object({ after_unknown: z.unknown().optional() }) })).optional(),
});

type Values = Record<string, unknown>;
type Mapping = { type: string; map: (v: Values) => Record<string, unknown> };

const pick = (v: Values, pairs: Record<string, string>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(pairs).flatMap(([from, to]) => (v[from] === undefined || v[from] === null ? [] : [[to, v[from]]])));

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asValues = (value: unknown): Values => (typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : {});

/** Terraform puts several CIDRs on one rule; CloudFormation has one per entry. Rules known only after apply stay open. */
function ingress(rules: unknown): unknown {
  if (isIntrinsic(rules)) return rules;
  return asList(rules).flatMap((raw) => {
    const rule = asValues(raw);
    const base = pick(rule, { protocol: 'IpProtocol', from_port: 'FromPort', to_port: 'ToPort' });
    const v4 = asList(rule.cidr_blocks).map((cidr) => ({ ...base, CidrIp: cidr }));
    const v6 = asList(rule.ipv6_cidr_blocks).map((cidr) => ({ ...base, CidrIpv6: cidr }));
    return [...v4, ...v6].length > 0 ? [...v4, ...v6] : [base];
  });
}

const MAPPINGS: Record<string, Mapping> = {
  aws_security_group: { type: 'AWS::EC2::SecurityGroup', map: (v) => ({ ...pick(v, { description: 'GroupDescription', vpc_id: 'VpcId' }), SecurityGroupIngress: ingress(v.ingress) }) },
  aws_s3_bucket: { type: 'AWS::S3::Bucket', map: (v) => pick(v, { bucket: 'BucketName' }) },
  aws_ebs_volume: { type: 'AWS::EC2::Volume', map: (v) => pick(v, { encrypted: 'Encrypted', size: 'Size', kms_key_id: 'KmsKeyId', availability_zone: 'AvailabilityZone' }) },
  aws_db_instance: { type: 'AWS::RDS::DBInstance', map: (v) => pick(v, { storage_encrypted: 'StorageEncrypted', publicly_accessible: 'PubliclyAccessible', engine: 'Engine', kms_key_id: 'KmsKeyId' }) },
  aws_kms_key: { type: 'AWS::KMS::Key', map: (v) => pick(v, { enable_key_rotation: 'EnableKeyRotation', description: 'Description' }) },
  aws_cloudtrail: { type: 'AWS::CloudTrail::Trail', map: (v) => pick(v, { enable_log_file_validation: 'EnableLogFileValidation', is_multi_region_trail: 'IsMultiRegionTrail', s3_bucket_name: 'S3BucketName', kms_key_id: 'KMSKeyId' }) },
  aws_iam_user: { type: 'AWS::IAM::User', map: (v) => pick(v, { name: 'UserName' }) },
  aws_iam_access_key: { type: 'AWS::IAM::AccessKey', map: (v) => pick(v, { user: 'UserName', status: 'Status' }) },
  aws_flow_log: { type: 'AWS::EC2::FlowLog', map: (v) => pick(v, { vpc_id: 'ResourceId', traffic_type: 'TrafficType' }) },
  aws_guardduty_detector: { type: 'AWS::GuardDuty::Detector', map: (v) => pick(v, { enable: 'Enable' }) },
  aws_config_configuration_recorder: { type: 'AWS::Config::ConfigurationRecorder', map: (v) => pick(v, { name: 'Name', role_arn: 'RoleARN' }) },
};

export const TERRAFORM_TYPES = Object.keys(MAPPINGS);

/** Marks every attribute Terraform does not know yet as open, at the same place in the values. */
function markUnknown(values: unknown, unknown: unknown, at: string): unknown {
  if (unknown === true) return { 'Fn::TerraformUnknown': at };
  if (Array.isArray(unknown)) {
    const list = Array.isArray(values) ? values : [];
    return unknown.map((u, i) => markUnknown(list[i], u, `${at}[${i}]`));
  }
  if (typeof unknown === 'object' && unknown !== null) {
    const base = asValues(values);
    for (const [key, u] of Object.entries(unknown)) base[key] = markUnknown(base[key], u, at === '' ? key : `${at}.${key}`);
    return base;
  }
  return values;
}

export function readTerraformPlan(text: string, file: string): { resources: TemplateResource[]; skipped: string[]; issues: Issue[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { resources: [], skipped: [], issues: [{ path: [file, 1], message: `not JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const plan = Plan.safeParse(json);
  if (!plan.success) {
    return { resources: [], skipped: [], issues: plan.error.issues.map((i) => ({ path: [file, 1], message: `not a Terraform plan: ${i.path.join('.')}: ${i.message}` })) };
  }
  const unknownByAddress = new Map((plan.data.resource_changes ?? []).map((c) => [c.address, c.change.after_unknown]));
  const all: PlanResource[] = [];
  const walk = (module: Module) => {
    all.push(...(module.resources ?? []));
    for (const child of module.child_modules ?? []) walk(child);
  };
  walk(plan.data.planned_values.root_module);

  const lineOf = (address: string): number => {
    const at = text.indexOf(`"address":"${address}"`) >= 0 ? text.indexOf(`"address":"${address}"`) : text.indexOf(`"address": "${address}"`);
    return at < 0 ? 1 : text.slice(0, at).split('\n').length;
  };
  const resources: TemplateResource[] = [];
  const skipped: string[] = [];
  for (const resource of all) {
    const mapping = MAPPINGS[resource.type];
    if (resource.mode === 'data' || mapping === undefined) {
      if (resource.mode !== 'data') skipped.push(resource.address);
      continue;
    }
    const values = asValues(markUnknown(resource.values ?? {}, unknownByAddress.get(resource.address), ''));
    resources.push({ logicalId: resource.address, type: mapping.type, file, line: lineOf(resource.address), properties: mapping.map(values) });
  }
  return { resources, skipped, issues: [] };
}
