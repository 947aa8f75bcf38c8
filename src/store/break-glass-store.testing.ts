/**
 * Test support (only tests import this file): a break-glass world on a migrated test database: a twin
 * and every store on one ManualClock, the demo federation, one ready account in each of two tenants,
 * and people of every kind break-glass tells apart.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../domain/access/principal.js';
import { ManualClock } from '../cloud/contract-tests/manual-clock.js';
import { createSimulatedCloud, type SimulatedCloud } from '../cloud/simulated/driver.js';
import { SimulatedCloudConfig } from '../cloud/simulated/config.js';
import { resolveCaller } from '../cloud/simulated/activity.js';
import { seedDemoFederation, DEMO_SYSTEMS } from '../app/registry/demo-federation.js';
import { timeOrderedId } from '../app/registry/ids.js';
import { DEFAULT_SCAN_SETTINGS, type BreakGlassDeps } from '../app/break-glass/deps.js';
import { createBreakGlassStore } from './break-glass-store.js';
import { createNotificationStore } from './notification-store.js';
import { createPeopleStore } from './people-store.js';
import { createPersonAccessStore } from './person-access-store.js';
import { createRegistryStore } from './registry-store.js';
import type { Database } from './database.js';

export type WorldAccount = { accountId: string; providerAccountId: string; tenantId: string; tenantCode: string };

export type BreakGlassWorld = {
  clock: ManualClock;
  cloud: SimulatedCloud;
  deps: BreakGlassDeps;
  /** Tenant A (the Digital Agency, with a security contact) and tenant B (MIC). */
  a: WorldAccount;
  b: WorldAccount;
  operator: Principal;
  /** A second operator, and a central auditor (who requests nothing and sees only their own). */
  operator2: Principal;
  auditor: Principal;
  adminA: Principal;
  memberA: Principal;
  adminB: Principal;
  /** A new central operator of its own (for tests that remove one). */
  newOperator: (name: string) => Promise<Principal>;
};

const ASSIGNMENT_MS = 1_000;

export async function breakGlassWorld(db: Database): Promise<BreakGlassWorld> {
  const clock = new ManualClock('2030-04-01T00:00:00.000Z');
  const twinConfig = { twin: randomUUID(), accountCreationDurationMs: 1_000, assignmentDurationMs: ASSIGNMENT_MS };
  const cloud = await createSimulatedCloud({ db, clock, config: twinConfig });
  const registry = createRegistryStore(db);
  await seedDemoFederation({ store: registry, clock, ids: timeOrderedId, cloudFor: () => cloud }, { dryRun: false });

  async function account(tenantIndex: number): Promise<WorldAccount> {
    const name = `bg-${tenantIndex}-${randomUUID().slice(0, 8)}`;
    const email = `${name}@break-glass.hatoba.invalid`;
    const started = await cloud.createAccount({ email, accountName: name });
    clock.advance(1_000);
    const status = await cloud.describeCreateAccountStatus(started.id);
    if (status.accountId === undefined) throw new Error(`the creation of ${name} ended ${status.state}`);
    const [code, systems] = Object.entries(DEMO_SYSTEMS)[tenantIndex] ?? [];
    const tenant = code === undefined ? undefined : await registry.getOrganisationByCode(code);
    const system = tenant === undefined || systems?.[0] === undefined ? undefined : await registry.getSystemBySlug(tenant.id, systems[0].slug);
    if (tenant === undefined || system === undefined) throw new Error('the demo federation is not seeded');
    const reserved = await registry.reserveAccount({ id: timeOrderedId('acc'), systemId: system.id, environment: 'dev', name, email, status: 'provisioning' });
    await registry.updateAccount(reserved.id, { providerAccountId: status.accountId, status: 'ready', readyAt: clock.now() });
    return { accountId: reserved.id, providerAccountId: status.accountId, tenantId: tenant.id, tenantCode: tenant.code };
  }
  const a = await account(0);
  const b = await account(1);

  const people = createPeopleStore(db);
  const suffix = randomUUID().slice(0, 6);
  async function central(name: string, roles: ('operator' | 'security_officer' | 'auditor')[]): Promise<Principal> {
    const p = await people.create({ id: timeOrderedId('per'), email: `${name}-${suffix}@hatoba.example`, name, kind: 'central', centralRoles: roles, createdAt: clock.now(), createdBy: 'test' });
    return { kind: 'central', personId: p.id, email: p.email, name: p.name, roles, via: 'token' };
  }
  async function tenantPerson(name: string, t: WorldAccount, role: 'tenant_admin' | 'tenant_member'): Promise<Principal> {
    const p = await people.create({ id: timeOrderedId('per'), email: `${name}-${suffix}@${t.tenantCode}.example.jp`, name, kind: 'tenant', tenantId: t.tenantId, tenantRole: role, createdAt: clock.now(), createdBy: 'test' });
    return { kind: 'tenant', personId: p.id, email: p.email, name: p.name, tenantId: t.tenantId, tenantCode: t.tenantCode, role, via: 'session' };
  }

  const deps: BreakGlassDeps = {
    store: createBreakGlassStore(db),
    registry,
    cloud,
    notifications: createNotificationStore(db),
    clock,
    newGrantId: () => timeOrderedId('grt'),
    platform: { managementAccountId: cloud.organization.managementAccountId, callerArn: resolveCaller(SimulatedCloudConfig.parse(twinConfig), cloud.organization).arn },
    scan: DEFAULT_SCAN_SETTINGS,
    adminPermissionSet: 'Admin',
    access: createPersonAccessStore(db),
  };
  return {
    clock,
    cloud,
    deps,
    a,
    b,
    operator: await central('ope', ['operator']),
    operator2: await central('ope2', ['operator']),
    auditor: await central('aud', ['auditor']),
    adminA: await tenantPerson('admin-a', a, 'tenant_admin'),
    memberA: await tenantPerson('member-a', a, 'tenant_member'),
    adminB: await tenantPerson('admin-b', b, 'tenant_admin'),
    newOperator: (name) => central(name, ['operator']),
  };
}

/** Moves past the twin's assignment delay, so requests in flight complete. */
export const ASSIGNMENT_DELAY_MS = ASSIGNMENT_MS;

/** A call by the person's Identity Center session (Admin) in the account, as the twin logs it. */
export const ssoSession = (accountId: string, email: string) => ({
  arn: `arn:aws:sts::${accountId}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/${email}`,
  type: 'AssumedRole' as const,
});
