import { CloudError, type CloudDriver, type IdentityUser, type PermissionSet } from '../ports/cloud.js';
import type { Person } from '../ports/people-store.js';
import type { PersonAccessStore } from '../ports/person-access.js';
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

/** What finding and making a set needs of a provider (break-glass holds a narrower driver than CloudDriver). */
type SetCloud = Pick<CloudDriver, 'listPermissionSets' | 'createPermissionSet'>;

export const findPermissionSet = (cloud: Pick<CloudDriver, 'listPermissionSets'>, name: string): Promise<PermissionSet | undefined> =>
  findInPages((t) => cloud.listPermissionSets(t), (p) => p.name === name);

/**
 * One of the two sets, found or created with its one description and the provider's default session
 * duration, whoever needs it first (people provisioning, or break-glass, which assigns the admin set).
 */
export const ensurePermissionSet = (cloud: SetCloud, key: PermissionSetKey, name: string): Promise<PermissionSet> =>
  ensureNamed(() => findPermissionSet(cloud, name), () => cloud.createPermissionSet({ name, description: DESCRIPTIONS[key] }), ['ConflictException']);

async function ensureOne(cloud: CloudDriver, names: PermissionSetNames, key: PermissionSetKey): Promise<string> {
  return (await ensurePermissionSet(cloud, key, nameOf(names, key))).arn;
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
export const findUser = (cloud: Pick<CloudDriver, 'listUsers'>, userName: string): Promise<IdentityUser | undefined> =>
  findInPages((t) => cloud.listUsers({ userName }, t), (u) => u.userName.toLowerCase() === userName.toLowerCase());

/**
 * The person's user in the provider's identity store: the one recorded for them, else found by name or
 * created, then recorded in person_cloud_users, which is what the person's deprovisioning deletes (so
 * every user Hatoba makes for a person, break-glass ones included, goes when they are removed). While a
 * removed person with the same address still holds the user, a retryable conflict: their deprovisioning
 * deletes it first.
 */
export async function ensurePersonUser(
  cloud: Pick<CloudDriver, 'provider' | 'listUsers' | 'createUser'>,
  access: Pick<PersonAccessStore, 'cloudUsers' | 'recordCloudUser'>,
  person: Pick<Person, 'id' | 'email' | 'name'>,
  now: Date,
): Promise<{ userId: string; userName: string }> {
  const recorded = (await access.cloudUsers(person.id)).find((u) => u.provider === cloud.provider && u.deletedAt === null);
  if (recorded !== undefined) return { userId: recorded.userId, userName: recorded.userName };
  const user = await ensureNamed(
    () => findUser(cloud, person.email),
    () => cloud.createUser({ userName: person.email, displayName: person.name, email: person.email }),
    ['ConflictException'],
  );
  if (!(await access.recordCloudUser({ personId: person.id, provider: cloud.provider, userId: user.userId, userName: user.userName, createdAt: now }))) {
    throw new CloudError('ConflictException', `ID ストアのユーザー ${user.userName} は削除済みの人のものです。その削除を待ちます / the identity store user ${user.userName} still belongs to a removed person`, { retryable: true });
  }
  return { userId: user.userId, userName: user.userName };
}
