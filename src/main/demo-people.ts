import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DevPerson } from '../identity/dev-provider.js';
import type { NewPerson } from '../app/ports/people-store.js';
import { CentralRole, TenantRole } from '../domain/access/roles.js';
import type { PeopleRules } from '../identity/people-rules.js';
import { timeOrderedId } from '../app/registry/ids.js';
import { createApiTokens } from '../identity/tokens.js';
import { createSessionStore } from '../store/session-store.js';
import type { Container } from './container.js';

/**
 * The demo's people: one list for the bundled provider's login form and for the `people` table.
 * Everyone signs in strongly enough (acr substantial or high, amr showing multi-factor) except
 * Tanaka, who uses a password only and is refused by the default assurance requirement. Kobayashi is
 * not seeded: the demo's people rules create her from the provider's claims at her first sign-in.
 */
export type DemoPerson = DevPerson & { seeded: boolean };

const mail = (who: string) => `${who}@people.demo.hatoba.example`;
const HIGH = 'urn:hatoba:loa:high';
const SUBSTANTIAL = 'urn:hatoba:loa:substantial';
const LOW = 'urn:hatoba:loa:low';

/** The demo tenant most people belong to (千代田区) and another one (世田谷区). */
export const DEMO_TENANT = '131016';
export const OTHER_DEMO_TENANT = '131121';

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    sub: 'demo-operator', email: mail('sato.operator'), name: '佐藤 運用 (Sato)', acr: HIGH, amr: ['hwk', 'pin', 'mfa'], hatobaRoles: ['operator'], seeded: true,
    description: { ja: '運用担当(中央)・マイナンバーカード相当', en: 'Operator (central), eID card' },
  },
  {
    sub: 'demo-security', email: mail('suzuki.security'), name: '鈴木 保安 (Suzuki)', acr: HIGH, amr: ['hwk', 'pin', 'mfa'], hatobaRoles: ['security_officer'], seeded: true,
    description: { ja: 'セキュリティ責任者(中央)・マイナンバーカード相当', en: 'Security officer (central), eID card' },
  },
  {
    sub: 'demo-auditor', email: mail('takahashi.auditor'), name: '高橋 監査 (Takahashi)', acr: SUBSTANTIAL, amr: ['pwd', 'otp', 'mfa'], hatobaRoles: ['auditor'], seeded: true,
    description: { ja: '監査担当(中央)・ワンタイムパスワード', en: 'Auditor (central), one-time password' },
  },
  {
    sub: 'demo-chiyoda-admin', email: mail('ito.chiyoda'), name: '伊藤 管理 (Ito)', acr: SUBSTANTIAL, amr: ['pwd', 'otp', 'mfa'], hatobaRoles: ['tenant_admin'], tenantCode: DEMO_TENANT, seeded: true,
    description: { ja: '千代田区のテナント管理者・ワンタイムパスワード', en: 'Tenant admin of Chiyoda City, one-time password' },
  },
  {
    sub: 'demo-chiyoda-member', email: mail('watanabe.chiyoda'), name: '渡辺 利用 (Watanabe)', acr: SUBSTANTIAL, amr: ['pwd', 'otp', 'mfa'], hatobaRoles: ['tenant_member'], tenantCode: DEMO_TENANT, seeded: true,
    description: { ja: '千代田区のテナント利用者・ワンタイムパスワード', en: 'Tenant member of Chiyoda City, one-time password' },
  },
  {
    sub: 'demo-setagaya-admin', email: mail('yamamoto.setagaya'), name: '山本 管理 (Yamamoto)', acr: HIGH, amr: ['hwk', 'pin', 'mfa'], hatobaRoles: ['tenant_admin'], tenantCode: OTHER_DEMO_TENANT, seeded: true,
    description: { ja: '世田谷区のテナント管理者・マイナンバーカード相当', en: 'Tenant admin of Setagaya City, eID card' },
  },
  {
    sub: 'demo-chiyoda-newcomer', email: mail('kobayashi.chiyoda'), name: '小林 新任 (Kobayashi)', acr: SUBSTANTIAL, amr: ['pwd', 'otp', 'mfa'], hatobaRoles: ['tenant_member'], tenantCode: DEMO_TENANT, seeded: false,
    description: { ja: '千代田区の新任職員・未登録(初回サインインで属性から作成)', en: 'New at Chiyoda City, not registered: created from claims at first sign-in' },
  },
  {
    sub: 'demo-password-only', email: mail('tanaka.chiyoda'), name: '田中 パスワードのみ (Tanaka)', acr: LOW, amr: ['pwd'], hatobaRoles: ['tenant_member'], tenantCode: DEMO_TENANT, seeded: true,
    description: { ja: '千代田区のテナント利用者・パスワードのみ(サインインは拒否されます)', en: 'Tenant member of Chiyoda City, password only: the sign-in is refused' },
  },
];

/** The demo operator, whose API token the demo writes for the CLI. */
export const DEMO_OPERATOR_EMAIL = mail('sato.operator');

/** The people rules of the demo with its bundled provider: `hatoba_roles` and `tenant_code` as the provider states them. */
export const DEMO_PEOPLE_RULES: PeopleRules = [
  ...CentralRole.options.map((role) => ({ when: { claim: 'hatoba_roles', equals: role }, central: [role] })),
  ...TenantRole.options.map((role) => ({ when: { claim: 'hatoba_roles', equals: role }, tenantRole: role, tenantCodeClaim: 'tenant_code' })),
];

/** A demo person as a row of the `people` table, given their tenant's id. */
export function demoPersonRow(p: DemoPerson, ids: { personId: string; tenantId: string | undefined; at: Date }): NewPerson | undefined {
  const base = { id: ids.personId, email: p.email, name: p.name, createdAt: ids.at, createdBy: 'demo' };
  const central = p.hatobaRoles.flatMap((r) => {
    const role = CentralRole.safeParse(r);
    return role.success ? [role.data] : [];
  });
  if (central.length > 0) return { ...base, kind: 'central', centralRoles: central };
  const role = TenantRole.safeParse(p.hatobaRoles[0]);
  if (!role.success || ids.tenantId === undefined) return undefined;
  return { ...base, kind: 'tenant', tenantId: ids.tenantId, tenantRole: role.data };
}

/** Adds the seeded demo people who are not there yet (by e-mail); their subjects are bound at their first sign-in. */
export async function seedDemoPeople(container: Container): Promise<number> {
  const { people } = container;
  let added = 0;
  for (const p of DEMO_PEOPLE.filter((d) => d.seeded)) {
    if ((await people.findActiveByEmail(p.email)) !== undefined) continue;
    const tenant = p.tenantCode === undefined ? undefined : await container.registry.getOrganisationByCode(p.tenantCode);
    const row = demoPersonRow(p, { personId: timeOrderedId('per'), tenantId: tenant?.id, at: container.clock.now() });
    if (row === undefined) continue;
    await people.create(row);
    added++;
  }
  return added;
}

/** Issues the demo operator a week's API token and writes it, readable by this user only, to `file`. */
export async function writeDemoToken(container: Container, file: string): Promise<void> {
  const { people } = container;
  const operator = await people.findActiveByEmail(DEMO_OPERATOR_EMAIL);
  if (operator === undefined) throw new Error(`the demo operator ${DEMO_OPERATOR_EMAIL} is missing`);
  const tokens = createApiTokens({ store: createSessionStore(container.db), people, clock: container.clock, newId: timeOrderedId });
  const { token } = await tokens.issue(operator.id, { name: 'demo CLI', days: 7 });
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  // The mode of writeFile applies only to a new file.
  await chmod(file, 0o600);
}
