import { z } from 'zod';
import { PageQuery, pageOf } from './common.js';
import { ACCOUNT_STATUS_LABELS, AccountStatus, ENVIRONMENT_LABELS, Environment } from '../domain/registry/account.js';
import { CONTACT_ROLE_LABELS, ContactRole, ORGANISATION_KIND_LABELS, OrganisationInput, OrganisationKind } from '../domain/registry/organisation.js';
import { PlacementRule, PlacementRuleInput } from '../domain/registry/placement.js';
import { CLOUD_PROVIDER_LABELS, CloudProvider, SystemInput } from '../domain/registry/system.js';

/**
 * The registry over HTTP: tenants (organisations), systems, placement rules, accounts. Request bodies
 * reuse the domain's schemas, so the API, the CLI and the portal validate exactly as the use cases do.
 * Times are ISO 8601 strings.
 */
export const Label = z.object({ ja: z.string(), en: z.string() }).meta({ id: 'Label' });
export type Label = z.infer<typeof Label>;

const Timestamp = z.iso.datetime();
const DryRunFlag = z.enum(['true', 'false']).optional().meta({ description: 'true: validate and answer as if done, change nothing' });

export const DryRunQuery = z.object({ dryRun: DryRunFlag });

export const TenantRef = z
  .object({ id: z.string(), code: z.string(), kind: OrganisationKind, nameJa: z.string(), nameEn: z.string() })
  .meta({ id: 'TenantRef' });

export const Tenant = z
  .object({
    id: z.string(),
    kind: OrganisationKind,
    kindLabel: Label,
    /** 全国地方公共団体コード (6 digits) or 法人番号 (13 digits). */
    code: z.string(),
    codeScheme: z.enum(['local_government_code', 'corporate_number']),
    nameJa: z.string(),
    nameEn: z.string(),
    parentCode: z.string().nullable(),
    prefecture: z.string().nullable(),
    contacts: z.array(z.object({ name: z.string(), email: z.string(), role: ContactRole })),
    billingEmail: z.string(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Tenant' });
export type Tenant = z.infer<typeof Tenant>;

export const TenantPage = pageOf(Tenant).meta({ id: 'TenantPage' });
export type TenantPage = z.infer<typeof TenantPage>;

export const TenantListQuery = PageQuery.extend({
  kind: OrganisationKind.optional(),
  prefecture: z.string().regex(/^\d{2}$/, 'two digits, e.g. 13').optional(),
  parentCode: z.string().max(20).optional(),
  /** Part of a name (ja or en) or of the code. */
  q: z.string().max(100).optional(),
});

export const TenantBody = OrganisationInput.meta({ id: 'TenantInput' });
export const TenantResult = z.object({ dryRun: z.boolean(), tenant: Tenant }).meta({ id: 'TenantResult' });
export type TenantResult = z.infer<typeof TenantResult>;

export const TenantImportQuery = z.object({
  dryRun: DryRunFlag,
  update: z.enum(['true', 'false']).optional().meta({ description: 'true: existing codes are updated instead of refused' }),
});
export const TenantImportResult = z
  .object({
    dryRun: z.boolean(),
    created: z.number().int(),
    updated: z.number().int(),
    rows: z.array(z.object({ row: z.number().int(), code: z.string(), nameJa: z.string(), action: z.enum(['create', 'update']) })),
  })
  .meta({ id: 'TenantImportResult' });
export type TenantImportResult = z.infer<typeof TenantImportResult>;

export const TenantParam = z.object({ tenant: z.string().min(1).max(64).meta({ description: 'tenant id (org_…) or official code' }) });

export const SystemView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    slug: z.string(),
    nameJa: z.string(),
    nameEn: z.string(),
    provider: CloudProvider,
    providerLabel: Label,
    attributes: z.record(z.string(), z.string()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'System' });
export type SystemView = z.infer<typeof SystemView>;
export const SystemDetail = SystemView.extend({ tenant: TenantRef }).meta({ id: 'SystemDetail' });
export type SystemDetail = z.infer<typeof SystemDetail>;
export const SystemPage = pageOf(SystemView).meta({ id: 'SystemPage' });
export const SystemBody = SystemInput.meta({ id: 'SystemInput' });
export const SystemResult = z.object({ dryRun: z.boolean(), system: SystemView }).meta({ id: 'SystemResult' });
export type SystemResult = z.infer<typeof SystemResult>;

export const PlacementRuleView = PlacementRule.meta({ id: 'PlacementRule' });
export const PlacementRules = z.object({ rules: z.array(PlacementRuleView) }).meta({ id: 'PlacementRules' });
export type PlacementRules = z.infer<typeof PlacementRules>;
/** Rule-set checks (a catch-all, unique priorities, unreachable rules) are the use case's: every problem at once. */
export const PlacementRulesBody = z.object({ rules: z.array(PlacementRuleInput).max(500) }).meta({ id: 'PlacementRulesInput' });

export const PlacementMoveView = z
  .object({
    accountId: z.string(),
    accountName: z.string(),
    provider: CloudProvider,
    providerAccountId: z.string().nullable(),
    tenantCode: z.string(),
    environment: Environment,
    status: AccountStatus,
    from: z.string().nullable(),
    to: z.string(),
    fromRuleId: z.string().nullable(),
    toRuleId: z.string(),
    outcome: z.enum(['planned', 'moved', 'failed']),
    error: z.string().nullable(),
  })
  .meta({ id: 'PlacementMove' });
export const PlacementChange = z
  .object({ dryRun: z.boolean(), rules: z.array(PlacementRuleView), moves: z.array(PlacementMoveView) })
  .meta({ id: 'PlacementChange' });
export type PlacementChange = z.infer<typeof PlacementChange>;

export const AccountView = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    environment: Environment,
    status: AccountStatus,
    statusLabel: Label,
    provider: CloudProvider,
    providerAccountId: z.string().nullable(),
    ouPath: z.string().nullable(),
    requestId: z.string().nullable(),
    tenant: TenantRef,
    system: z.object({ id: z.string(), slug: z.string(), nameJa: z.string(), nameEn: z.string() }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    readyAt: Timestamp.nullable(),
  })
  .meta({ id: 'Account' });
export type AccountView = z.infer<typeof AccountView>;
export const AccountPage = pageOf(AccountView).meta({ id: 'AccountPage' });
export type AccountPage = z.infer<typeof AccountPage>;
export const AccountListQuery = PageQuery.extend({
  tenant: z.string().max(64).optional().meta({ description: 'tenant id or official code' }),
  system: z.string().max(64).optional(),
  status: AccountStatus.optional(),
  environment: Environment.optional(),
});
export const IdParam = z.object({ id: z.string().min(1).max(64) });

const entries = <K extends string>(labels: Record<K, Label>, keys: readonly K[]) => keys.map((value) => ({ value, label: labels[value] }));
const Term = z.object({ value: z.string(), label: Label });

/** The controlled vocabularies with their labels, for forms and tables. */
export const Vocabulary = z
  .object({
    organisationKinds: z.array(Term),
    contactRoles: z.array(Term),
    providers: z.array(Term),
    environments: z.array(Term),
    accountStatuses: z.array(Term),
  })
  .meta({ id: 'RegistryVocabulary' });
export type Vocabulary = z.infer<typeof Vocabulary>;

export const REGISTRY_VOCABULARY: Vocabulary = {
  organisationKinds: entries(ORGANISATION_KIND_LABELS, OrganisationKind.options),
  contactRoles: entries(CONTACT_ROLE_LABELS, ContactRole.options),
  providers: entries(CLOUD_PROVIDER_LABELS, CloudProvider.options),
  environments: entries(ENVIRONMENT_LABELS, Environment.options),
  accountStatuses: entries(ACCOUNT_STATUS_LABELS, AccountStatus.options),
};
