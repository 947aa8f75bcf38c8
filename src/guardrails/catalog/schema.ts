import { z } from 'zod';
import { OrganizationPolicyKind, PolicyStatement } from '../iam/policy-schema.js';

/**
 * The controls catalog as data (DESIGN.md idea 1): controls, frameworks with their requirements, and
 * the mappings between them as separate edges. These schemas are the file format under `catalog/`;
 * the loader parses every file with them and reports every problem with its file and path.
 */

export const Text = z.object({ ja: z.string().min(1), en: z.string().min(1) }).strict();
export type Text = z.infer<typeof Text>;

/** The controlled vocabulary of objectives a control serves. */
export const Objective = z.enum([
  'encryption',
  'logging',
  'monitoring',
  'network-exposure',
  'identity-and-access',
  'data-protection',
  'resilience',
  'cost',
  'governance',
  'vulnerability-management',
]);
export type Objective = z.infer<typeof Objective>;

export const Severity = z.enum(['critical', 'high', 'medium', 'low', 'informational']);
export type Severity = z.infer<typeof Severity>;

/**
 * A CloudFormation resource type ("AWS::S3::Bucket"), or one of Hatoba's own account-level types:
 * `Hatoba::Account` is the synthetic document the detective evaluator builds per account
 * (`{AccountId, Resources: {"AWS::GuardDuty::Detector": [properties…], …}}`), so a rule can ask
 * "is GuardDuty on" — which no single resource answers; `Hatoba::IAM::RootUser` holds the root user's
 * facts (`MfaEnabled`, `AccessKeysPresent`) as IAM's account summary reports them.
 */
export const ResourceType = z.string().regex(/^(AWS|Hatoba)::[A-Za-z0-9]+::[A-Za-z0-9]+$|^Hatoba::Account$/, 'a resource type looks like AWS::S3::Bucket');

/** The properties of one resource, in CloudFormation's shape. */
export const ResourceProperties = z.record(z.string(), z.unknown());

export const RuleImplementation = z
  .object({
    /** CEL over `resource` (the properties) and `type`; true when the resource complies. */
    expression: z.string().min(1),
    /** Worked examples that the tests evaluate: the rule must pass each `pass` and fail each `fail`. */
    examples: z.object({ pass: z.array(ResourceProperties).min(1), fail: z.array(ResourceProperties).min(1) }).strict(),
  })
  .strict();

export const PreventiveImplementation = z
  .object({
    kind: OrganizationPolicyKind,
    statements: z.array(PolicyStatement).min(1),
  })
  .strict();

export const References = z
  .object({
    securityHub: z.array(z.string().regex(/^[A-Za-z0-9]+\.\d+$/, 'a Security Hub control id looks like S3.8')).optional(),
    configRule: z.array(z.string().regex(/^[a-z0-9-]+$/, 'a Config managed rule identifier is kebab-case')).optional(),
    prowler: z.array(z.string().regex(/^[a-z0-9_]+$/, 'a Prowler check id is snake_case')).optional(),
  })
  .strict();

export const ControlId = z.string().regex(/^HTB-[A-Z0-9]+-\d{3}$/, 'a control id looks like HTB-S3-001');

export const Control = z
  .object({
    id: ControlId,
    title: Text,
    description: Text,
    objectives: z.array(Objective).min(1),
    services: z.array(z.string().regex(/^[a-z0-9-]+$/, 'a service is written as in IAM action prefixes: s3, ec2, iam')).min(1),
    resourceTypes: z.array(ResourceType),
    severity: Severity,
    implementations: z
      .object({
        preventive: PreventiveImplementation.optional(),
        rule: RuleImplementation.optional(),
        references: References.optional(),
      })
      .strict()
      .refine((i) => i.preventive !== undefined || i.rule !== undefined, 'a control needs a preventive policy, a rule, or both'),
  })
  .strict();
export type Control = z.infer<typeof Control>;

export const ControlsFile = z.object({ controls: z.array(Control).min(1) }).strict();

/** Where a body of requirements sits in the chain law -> regulation -> guideline -> framework. */
export const FrameworkKind = z.enum(['law', 'regulation', 'guideline', 'framework']);

export const Requirement = z
  .object({
    id: z.string().min(1),
    /** Titles in English and, where we have one, Japanese. Our own paraphrase where the source's text is not free. */
    title: z.object({ ja: z.string().min(1).optional(), en: z.string().min(1) }).strict(),
    summary: Text.optional(),
    parent: z.string().min(1).optional(),
    /** Withdrawn requirements are kept so that imports can reject references to them with a reason. */
    withdrawn: z.object({ movedTo: z.array(z.string()) }).strict().optional(),
  })
  .strict();
export type Requirement = z.infer<typeof Requirement>;

export const FrameworkId = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'a framework id is lower-case, like nist-sp-800-53-r5');

export const Framework = z
  .object({
    id: FrameworkId,
    kind: FrameworkKind,
    title: Text,
    publisher: z.string().min(1),
    version: z.string().min(1),
    source: z.object({ url: z.string().url(), licence: z.string().min(1), note: z.string().optional() }).strict(),
    requirements: z.array(Requirement).min(1),
  })
  .strict();
export type Framework = z.infer<typeof Framework>;

/** `control:HTB-S3-001` or `<framework id>:<requirement id>` (`nist-sp-800-53-r5:AC-2(1)`). */
export const NodeRef = z.string().regex(/^[a-z0-9][a-z0-9.-]*:.+$/, 'a node is control:<id> or <framework>:<requirement>');

export const Relationship = z.enum(['equivalent', 'subset', 'superset', 'intersects', 'implements', 'derived-from']);
export type Relationship = z.infer<typeof Relationship>;

/** One edge: `source` stands in `relationship` to `target` (a control implements a requirement). */
export const Mapping = z
  .object({
    source: NodeRef,
    target: NodeRef,
    relationship: Relationship,
    /** Who says so: a document, a dataset, or "hatoba" with a reason. */
    provenance: z.string().min(1),
  })
  .strict();
export type Mapping = z.infer<typeof Mapping>;

export const MappingsFile = z.object({ mappings: z.array(Mapping).min(1) }).strict();
