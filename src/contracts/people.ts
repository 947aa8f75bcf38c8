import { z } from 'zod';
import { pageOf, PageQuery } from './common.js';
import { Label } from './registry.js';
import { CentralRole, TenantRole } from '../domain/access/roles.js';
import { AccessStatus, CentralPersonInput, PermissionSetKey, RoleChangeInput, TenantPersonInput } from '../domain/people/person.js';
import { Environment } from '../domain/registry/account.js';

/**
 * People and their access over HTTP: who they are, one row per account of their tenant with the
 * permission set, its status and the time from "added" (or the account ready, or the role changed) to
 * "can sign in", and the person's summary. Bodies reuse the domain's schemas (strict: an unknown key is
 * refused). Times are ISO 8601 strings; durations in milliseconds.
 */
const Timestamp = z.iso.datetime();

export const PersonView = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    kind: z.enum(['central', 'tenant']),
    centralRoles: z.array(CentralRole),
    tenant: z.object({ id: z.string(), code: z.string() }).nullable(),
    tenantRole: TenantRole.nullable(),
    roleLabels: z.array(Label),
    status: z.enum(['active', 'removed']),
    /** Whether they have signed in at least once (the provider's subject is bound). */
    signedIn: z.boolean(),
    createdAt: Timestamp,
    createdBy: z.string(),
    removedAt: Timestamp.nullable(),
    removedBy: z.string().nullable(),
  })
  .meta({ id: 'Person' });
export type PersonView = z.infer<typeof PersonView>;

export const AccessView = z
  .object({
    accountId: z.string(),
    accountName: z.string(),
    environment: Environment,
    provider: z.string(),
    providerAccountId: z.string().nullable(),
    permissionSet: PermissionSetKey,
    permissionSetLabel: Label,
    /** The set a role change is swapping out, until its assignment is gone. */
    replacing: PermissionSetKey.nullable(),
    status: AccessStatus,
    statusLabel: Label,
    requestedAt: Timestamp,
    readyAt: Timestamp.nullable(),
    removedAt: Timestamp.nullable(),
    /** readyAt - requestedAt, once ready. */
    timeToAccessMs: z.number().int().nullable(),
    failure: z.string().nullable(),
  })
  .meta({ id: 'PersonAccess' });
export type AccessView = z.infer<typeof AccessView>;

export const AccessSummary = z
  .object({
    status: z.enum(['no_accounts', 'pending', 'ready', 'failed', 'removing', 'removed']),
    accounts: z.number().int(),
    ready: z.number().int(),
    /** When they could first sign in to one of their accounts. */
    firstReadyAt: Timestamp.nullable(),
    /** From being added to firstReadyAt. */
    timeToAccessMs: z.number().int().nullable(),
  })
  .meta({ id: 'PersonAccessSummary' });

export const PersonDetailView = z.object({ person: PersonView, access: z.array(AccessView), summary: AccessSummary }).meta({ id: 'PersonDetail' });
export type PersonDetailView = z.infer<typeof PersonDetailView>;

export const PeoplePage = pageOf(PersonDetailView).meta({ id: 'PeoplePage' });
export type PeoplePage = z.infer<typeof PeoplePage>;

export const PersonResult = z.object({ dryRun: z.boolean(), person: PersonDetailView }).meta({ id: 'PersonResult' });
export type PersonResult = z.infer<typeof PersonResult>;

export const PeopleListQuery = PageQuery.extend({
  includeRemoved: z.enum(['true', 'false']).optional().meta({ description: 'true: removed people too' }),
});

export const TenantPersonBody = z.strictObject(TenantPersonInput.shape).meta({ id: 'TenantPersonInput' });
export type TenantPersonBody = z.input<typeof TenantPersonBody>;
export const CentralPersonBody = z.strictObject(CentralPersonInput.shape).meta({ id: 'CentralPersonInput' });
export type CentralPersonBody = z.input<typeof CentralPersonBody>;
export const PersonPatchBody = z.strictObject(RoleChangeInput.shape).meta({ id: 'PersonRoleChange' });
export type PersonPatchBody = z.input<typeof PersonPatchBody>;

export const PersonIdParam = z.object({ id: z.string().min(1).max(100) });
