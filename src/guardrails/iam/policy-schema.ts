import { z } from 'zod';

/**
 * IAM policy documents as AWS writes them (the grammar of the IAM JSON policy reference): one schema
 * for SCPs, RCPs, identity and resource policies. Single values and lists are both allowed where AWS
 * allows both; `normaliseStatement` gives every consumer the list form.
 */
const OneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** `{"StringEquals": {"aws:RequestedRegion": ["ap-northeast-1"]}}`: operator -> key -> values. */
export const ConditionBlock = z.record(
  z.string().min(1),
  z.record(z.string().min(1), z.union([z.string(), z.boolean(), z.number(), z.array(z.union([z.string(), z.boolean(), z.number()])).min(1)])),
);
export type ConditionBlock = z.infer<typeof ConditionBlock>;

export const PrincipalBlock = z.union([
  z.literal('*'),
  // partialRecord: with enum keys zod's record demands every key; a principal block names one or some.
  z.partialRecord(z.enum(['AWS', 'Service', 'Federated', 'CanonicalUser']), OneOrMany),
]);

export const PolicyStatement = z
  .object({
    Sid: z.string().regex(/^[A-Za-z0-9]*$/, 'a Sid has only letters and digits').optional(),
    Effect: z.enum(['Allow', 'Deny']),
    Action: OneOrMany.optional(),
    NotAction: OneOrMany.optional(),
    Resource: OneOrMany.optional(),
    NotResource: OneOrMany.optional(),
    Principal: PrincipalBlock.optional(),
    NotPrincipal: PrincipalBlock.optional(),
    Condition: ConditionBlock.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.Action === undefined) === (s.NotAction === undefined)) ctx.addIssue({ code: 'custom', message: 'a statement has exactly one of Action and NotAction' });
    if (s.Resource !== undefined && s.NotResource !== undefined) ctx.addIssue({ code: 'custom', message: 'a statement has at most one of Resource and NotResource' });
  });
export type PolicyStatement = z.infer<typeof PolicyStatement>;

export const PolicyDocument = z
  .object({
    Version: z.literal('2012-10-17'),
    Id: z.string().optional(),
    Statement: z.union([PolicyStatement, z.array(PolicyStatement).min(1)]),
  })
  .strict();
export type PolicyDocument = z.infer<typeof PolicyDocument>;

/** The kinds of policy the organisation attaches: service and resource control policies. */
export const OrganizationPolicyKind = z.enum(['SCP', 'RCP']);
export type OrganizationPolicyKind = z.infer<typeof OrganizationPolicyKind>;
