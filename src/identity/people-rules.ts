import { z } from 'zod';
import { CentralRole, TenantRole } from '../domain/access/roles.js';
import type { Label } from '../domain/registry/labels.js';

/**
 * Rules that create a person Hatoba does not know yet from the provider's claims at their first
 * sign-in (HATOBA_OIDC_PEOPLE_RULES). A rule matches when a claim (a dotted path into the claims,
 * e.g. `realm_access.roles`) equals a value or, for a list, contains it. Matching central rules give
 * the union of their roles; matching tenant rules must agree on one tenant (tenant admin wins over
 * member). A person is central or of one tenant, never both: rules that make them both refuse.
 */
const Condition = z.object({ claim: z.string().min(1), equals: z.string().min(1) }).strict();

export const PeopleRule = z
  .object({
    when: Condition,
    central: z.array(CentralRole).min(1).optional(),
    tenantRole: TenantRole.optional(),
    /** The tenant's official code, fixed… */
    tenantCode: z.string().min(1).optional(),
    /** …or read from this claim. */
    tenantCodeClaim: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const central = rule.central !== undefined;
    const tenant = rule.tenantRole !== undefined;
    if (central === tenant) ctx.addIssue({ code: 'custom', path: [], message: '"central"(役割)か "tenantRole" のどちらか一方を指定してください / give either "central" (roles) or "tenantRole", not both or neither' });
    const sources = (rule.tenantCode === undefined ? 0 : 1) + (rule.tenantCodeClaim === undefined ? 0 : 1);
    if (tenant && sources !== 1) ctx.addIssue({ code: 'custom', path: ['tenantCode'], message: 'テナントの規則には "tenantCode" と "tenantCodeClaim" のどちらか一方が必要です / a tenant rule needs exactly one of "tenantCode" and "tenantCodeClaim"' });
    if (central && sources > 0) ctx.addIssue({ code: 'custom', path: ['tenantCode'], message: '中央の規則はテナントを指定しません / a central rule names no tenant' });
  });
export type PeopleRule = z.infer<typeof PeopleRule>;

export const PeopleRules = z.array(PeopleRule).max(200);
export type PeopleRules = z.infer<typeof PeopleRules>;

export type RuleGrant = { kind: 'central'; roles: CentralRole[] } | { kind: 'tenant'; role: TenantRole; tenantCode: string };

/** `reason` is shown on the refusal page, so it is in both languages. */
export type RuleOutcome = { kind: 'none' } | { kind: 'grant'; grant: RuleGrant } | { kind: 'conflict'; reason: Label };

/** The value at a dotted path of the claims, or undefined. */
export function claimAt(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = claims;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = Object.entries(value).find(([k]) => k === key)?.[1];
  }
  return value;
}

const matches = (value: unknown, expected: string): boolean => (Array.isArray(value) ? value.includes(expected) : value === expected);

/** What the rules give a person with these claims. */
export function applyPeopleRules(rules: PeopleRules, claims: Readonly<Record<string, unknown>>): RuleOutcome {
  const matched = rules.filter((r) => matches(claimAt(claims, r.when.claim), r.when.equals));
  const central = new Set<CentralRole>();
  const tenants = new Map<string, TenantRole>();
  for (const rule of matched) {
    for (const role of rule.central ?? []) central.add(role);
    if (rule.tenantRole === undefined) continue;
    const code = rule.tenantCode ?? claimAt(claims, rule.tenantCodeClaim ?? '');
    if (typeof code !== 'string' || code === '') {
      const claim = rule.tenantCodeClaim ?? '';
      return { kind: 'conflict', reason: { ja: `属性 ${claim} にテナントが含まれていません`, en: `the claim ${claim} names no tenant` } };
    }
    tenants.set(code, tenants.get(code) === 'tenant_admin' ? 'tenant_admin' : rule.tenantRole);
  }
  if (central.size > 0 && tenants.size > 0) return { kind: 'conflict', reason: { ja: '規則によると中央とテナントの両方の利用者になります', en: 'the rules make this person both central and a tenant’s' } };
  if (tenants.size > 1) {
    const codes = [...tenants.keys()].sort().join(', ');
    return { kind: 'conflict', reason: { ja: `規則が複数のテナントを指しています: ${codes}`, en: `the rules name several tenants: ${codes}` } };
  }
  const [tenant] = [...tenants];
  if (tenant !== undefined) return { kind: 'grant', grant: { kind: 'tenant', tenantCode: tenant[0], role: tenant[1] } };
  if (central.size > 0) return { kind: 'grant', grant: { kind: 'central', roles: [...central].sort() } };
  return { kind: 'none' };
}
