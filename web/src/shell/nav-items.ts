import type { Messages } from '../i18n/ja';

/** The roles a person may hold, as `GET /auth/me` names them. */
export type RoleName = 'operator' | 'security_officer' | 'auditor' | 'tenant_admin' | 'tenant_member';

export type NavKey = keyof Messages['nav'];

/**
 * The portal's menu by role. It only decides what is offered: the API decides what is allowed
 * (src/domain/access/policy.ts), and a page a role cannot use answers "not found" anyway.
 */
export const NAV_ITEMS: readonly { key: NavKey; path: string; roles: readonly RoleName[] }[] = [
  { key: 'organisation', path: '/organisation', roles: ['tenant_admin', 'tenant_member'] },
  { key: 'systems', path: '/systems', roles: ['tenant_admin', 'tenant_member'] },
  { key: 'requests', path: '/requests', roles: ['tenant_admin', 'tenant_member'] },
  { key: 'people', path: '/people', roles: ['tenant_admin', 'tenant_member', 'operator'] },
  { key: 'breakGlass', path: '/break-glass', roles: ['tenant_admin', 'tenant_member', 'operator'] },
  { key: 'overview', path: '/overview', roles: ['operator', 'security_officer', 'auditor'] },
  { key: 'audit', path: '/audit', roles: ['auditor', 'security_officer'] },
];

export const navFor = (roles: readonly string[]) => NAV_ITEMS.filter((item) => item.roles.some((r) => roles.includes(r)));

/** Where `/` leads: the first page of the menu. */
export const homeFor = (roles: readonly string[]): string | undefined => navFor(roles)[0]?.path;

/** Whether a menu page is open to these roles; pages outside the menu (details) are open to anyone signed in. */
export function mayOpen(path: string, roles: readonly string[]): boolean {
  const item = NAV_ITEMS.find((i) => i.path === path);
  return item === undefined || item.roles.some((r) => roles.includes(r));
}
