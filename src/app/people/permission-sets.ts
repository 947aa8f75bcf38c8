import type { CloudDriver, IdentityUser, PermissionSet } from '../ports/cloud.js';
import { ensureNamed, findInPages } from '../cloud-pages.js';
import type { PermissionSetKey } from '../../domain/people/person.js';

/**
 * The instance's two permission sets, found or created by name. There are exactly two for every
 * tenant and every person: IAM Identity Center allows 2,000 permission sets per instance, so one per
 * person (or per tenant) would run out. The names are the ones account provisioning assigns to the
 * tenants' groups (ProvisioningSettings.permissionSets), so both reach the same two sets.
 */
export type PermissionSetNames = { admin: string; nonAdmin: string };
export type PermissionSetArns = Record<PermissionSetKey, string>;

const DESCRIPTIONS: Record<PermissionSetKey, string> = {
  admin: 'Tenant administrator: creates the tenant’s own roles',
  non_admin: 'Switch-role only into roles the tenant admin made',
};

const nameOf = (names: PermissionSetNames, key: PermissionSetKey): string => (key === 'admin' ? names.admin : names.nonAdmin);

export const findPermissionSet = (cloud: CloudDriver, name: string): Promise<PermissionSet | undefined> =>
  findInPages((t) => cloud.listPermissionSets(t), (p) => p.name === name);

async function ensureOne(cloud: CloudDriver, names: PermissionSetNames, key: PermissionSetKey): Promise<string> {
  const name = nameOf(names, key);
  const set = await ensureNamed(() => findPermissionSet(cloud, name), () => cloud.createPermissionSet({ name, description: DESCRIPTIONS[key] }), ['ConflictException']);
  return set.arn;
}

/** Finds or creates both; safe to run concurrently (a lost creation race takes the winner's). */
export async function ensurePermissionSets(cloud: CloudDriver, names: PermissionSetNames): Promise<PermissionSetArns> {
  return { admin: await ensureOne(cloud, names, 'admin'), non_admin: await ensureOne(cloud, names, 'non_admin') };
}

/** The two sets when they exist, without creating them (removing access needs nothing new). */
export async function findPermissionSets(cloud: CloudDriver, names: PermissionSetNames): Promise<Partial<PermissionSetArns>> {
  const found: Partial<PermissionSetArns> = {};
  const admin = await findPermissionSet(cloud, names.admin);
  const nonAdmin = await findPermissionSet(cloud, names.nonAdmin);
  if (admin !== undefined) found.admin = admin.arn;
  if (nonAdmin !== undefined) found.non_admin = nonAdmin.arn;
  return found;
}

/** A person's identity store user is named by their e-mail address (lower case, unique among active people). */
export const findUser = (cloud: CloudDriver, userName: string): Promise<IdentityUser | undefined> =>
  findInPages((t) => cloud.listUsers({ userName }, t), (u) => u.userName.toLowerCase() === userName.toLowerCase());
