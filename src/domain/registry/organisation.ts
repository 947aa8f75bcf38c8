import { z } from 'zod';
import type { Label } from './labels.js';
import {
  corporateNumberProblem,
  isPrefectureCode,
  localGovernmentCodeProblem,
  normaliseCode,
  prefectureCodeFor,
  prefectureOfCode,
} from './codes.js';

/**
 * Organisations (tenants) as they exist in the real world. Kinds follow how Japan's public sector is
 * organised, because kind decides which official code applies and who may be a parent.
 */
export const ORGANISATION_KINDS = ['ministry', 'prefecture', 'designated_city', 'municipality', 'special_ward', 'quasi_public'] as const;
export const OrganisationKind = z.enum(ORGANISATION_KINDS);
export type OrganisationKind = z.infer<typeof OrganisationKind>;

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, Label> = {
  ministry: { ja: '府省庁', en: 'Ministry or agency' },
  prefecture: { ja: '都道府県', en: 'Prefecture' },
  designated_city: { ja: '政令指定都市', en: 'Designated city' },
  municipality: { ja: '市町村', en: 'Municipality' },
  special_ward: { ja: '特別区', en: 'Special ward' },
  quasi_public: { ja: '独立行政法人等', en: 'Quasi-public body' },
};

/** Kinds that are local public bodies and carry a 全国地方公共団体コード. */
export const LOCAL_GOVERNMENT_KINDS: readonly OrganisationKind[] = ['prefecture', 'designated_city', 'municipality', 'special_ward'];
/** Kinds whose parent is their prefecture, derived from the code. */
const MUNICIPAL_KINDS: readonly OrganisationKind[] = ['designated_city', 'municipality', 'special_ward'];

export type CodeScheme = 'local_government_code' | 'corporate_number';
export const codeSchemeOf = (kind: OrganisationKind): CodeScheme =>
  LOCAL_GOVERNMENT_KINDS.includes(kind) ? 'local_government_code' : 'corporate_number';

/** Which kinds may be the parent of which: the real hierarchy, checked on every write. */
export const ALLOWED_PARENT_KINDS: Record<OrganisationKind, readonly OrganisationKind[]> = {
  ministry: ['ministry'], // an external agency (外局) under its ministry, e.g. 国税庁 under 財務省
  prefecture: [],
  designated_city: ['prefecture'],
  municipality: ['prefecture'],
  special_ward: ['prefecture'],
  quasi_public: ['ministry', 'prefecture', 'designated_city', 'municipality', 'special_ward'], // its supervising body
};

export const CONTACT_ROLES = ['primary', 'technical', 'security', 'billing'] as const;
export const ContactRole = z.enum(CONTACT_ROLES);
export type ContactRole = z.infer<typeof ContactRole>;
export const CONTACT_ROLE_LABELS: Record<ContactRole, Label> = {
  primary: { ja: '主担当', en: 'Primary contact' },
  technical: { ja: '技術担当', en: 'Technical contact' },
  security: { ja: 'セキュリティ担当', en: 'Security contact' },
  billing: { ja: '請求担当', en: 'Billing contact' },
};

/** E-mail addresses compare case-insensitively everywhere (the provider treats them so). */
export const EmailAddress = z.string().trim().toLowerCase().pipe(z.email({ error: 'must be an e-mail address' }).max(254));

const PersonName = z.string().trim().min(1, 'must not be empty').max(100);

export const Contact = z.object({
  name: PersonName,
  email: EmailAddress,
  role: ContactRole.default('primary'),
});
export type Contact = z.infer<typeof Contact>;

const OrgName = z.string().trim().min(1, 'must not be empty').max(200);

/** Why a normalised code is not a valid official code of either scheme, judged by its length. */
export function officialCodeProblem(code: string): string | undefined {
  if (code.length === 6) return localGovernmentCodeProblem(code);
  if (code.length === 13) return corporateNumberProblem(code);
  return 'must be a 6-digit local government code (全国地方公共団体コード) or a 13-digit corporate number (法人番号), with its check digit';
}

/** A code as people type it: normalised (full-width digits, hyphens), then its check digit verified. */
export const OfficialCode = z
  .string()
  .meta({ description: '6-digit 全国地方公共団体コード or 13-digit 法人番号, check digit included; full-width digits and hyphens are accepted' })
  .transform((raw, ctx) => {
    const code = normaliseCode(raw);
    const problem = officialCodeProblem(code);
    if (problem !== undefined) ctx.issues.push({ code: 'custom', input: raw, message: problem });
    return code;
  });

const OptionalCode = z
  .string()
  .nullish()
  .transform((raw, ctx) => {
    if (raw === undefined || raw === null || normaliseCode(raw) === '') return null;
    const code = normaliseCode(raw);
    const problem = officialCodeProblem(code);
    if (problem !== undefined) ctx.issues.push({ code: 'custom', input: raw, message: problem });
    return code;
  });

/** An organisation as it is registered: the input with its code normalised and its parent derived. */
export const NewOrganisation = z.object({
  code: z.string(),
  kind: OrganisationKind,
  nameJa: z.string(),
  nameEn: z.string(),
  parentCode: z.string().nullable(),
  /** Two digits ('13') for local governments, null otherwise. */
  prefecture: z.string().nullable(),
  contacts: z.array(Contact),
  billingEmail: z.string(),
});
export type NewOrganisation = z.infer<typeof NewOrganisation>;

type Problem = { path: (string | number)[]; message: string };

const kindLabel = (kind: OrganisationKind): string => ORGANISATION_KIND_LABELS[kind].en.toLowerCase();

/**
 * The rules that tie kind, code and parent together (check digits are the fields' own business).
 * Returns every problem, so one pass over a CSV row reports all of them. Whether the parent exists is
 * the caller's business: it needs the store.
 */
export function organisationProblems(input: { code: string; kind: OrganisationKind; parentCode: string | null }): Problem[] {
  const { code, kind, parentCode: parent } = input;
  const problems: Problem[] = [];
  if (parent !== null && parent === code) problems.push({ path: ['parentCode'], message: 'an organisation cannot be its own parent' });
  if (codeSchemeOf(kind) === 'corporate_number') {
    if (code.length === 6) problems.push({ path: ['code'], message: `a ${kindLabel(kind)} is identified by its 13-digit corporate number (法人番号), not a local government code` });
    return problems;
  }
  if (code.length === 13) {
    problems.push({ path: ['code'], message: `a ${kindLabel(kind)} is identified by its 6-digit local government code (全国地方公共団体コード), not a corporate number` });
    return problems;
  }
  if (localGovernmentCodeProblem(code) !== undefined) return problems;
  if (kind === 'prefecture') {
    if (!isPrefectureCode(code)) problems.push({ path: ['code'], message: `a prefecture's code has 000 as its municipality digits (${prefectureCodeFor(code)} for this prefecture)` });
    if (parent !== null) problems.push({ path: ['parentCode'], message: 'a prefecture has no parent' });
    return problems;
  }
  if (isPrefectureCode(code)) problems.push({ path: ['code'], message: `${code} is a prefecture's code; a ${kindLabel(kind)} has its own municipality digits` });
  if (kind === 'special_ward' && !/^131(0[1-9]|1\d|2[0-3])\d$/.test(code)) {
    problems.push({ path: ['code'], message: 'special wards are the 23 wards of Tokyo (131016–131237)' });
  }
  const expectedParent = prefectureCodeFor(code);
  if (parent !== null && parent !== expectedParent) {
    problems.push({ path: ['parentCode'], message: `must be the prefecture ${expectedParent} (the first two digits of the code), or empty; not ${parent}` });
  }
  return problems;
}

const ConsistencyFields = z.object({ code: z.string(), kind: OrganisationKind, parentCode: z.string().nullable() });

/**
 * What a caller provides to register an organisation. Validates the code's check digit against the
 * kind's scheme and derives the parent of a municipality from its code when it is left empty.
 */
export const OrganisationInput = z
  .object({
    code: OfficialCode,
    kind: OrganisationKind,
    nameJa: OrgName,
    nameEn: OrgName,
    parentCode: OptionalCode,
    contacts: z.array(Contact).max(10).default([]),
    billingEmail: EmailAddress,
  })
  .superRefine(
    (input, ctx) => {
      // Runs even when fields failed (see `when`), so the fields may hold anything: look before using.
      const fields = ConsistencyFields.safeParse(input);
      if (!fields.success) return;
      for (const problem of organisationProblems(fields.data)) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    },
    // Also when other fields failed, so a row reports a wrong kind/code pairing along with a bad e-mail.
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )
  .transform((input): NewOrganisation => {
    const local = codeSchemeOf(input.kind) === 'local_government_code';
    return {
      code: input.code,
      kind: input.kind,
      nameJa: input.nameJa,
      nameEn: input.nameEn,
      parentCode: MUNICIPAL_KINDS.includes(input.kind) ? (input.parentCode ?? prefectureCodeFor(input.code)) : input.parentCode,
      prefecture: local ? prefectureOfCode(input.code) : null,
      contacts: input.contacts,
      billingEmail: input.billingEmail,
    };
  });
export type OrganisationInput = z.input<typeof OrganisationInput>;

export const Organisation = NewOrganisation.extend({
  id: z.string(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Organisation = z.infer<typeof Organisation>;

/** Why `parent` cannot be the parent of an organisation of `kind`, or undefined when it can. */
export function parentProblem(kind: OrganisationKind, parent: { code: string; kind: OrganisationKind }): string | undefined {
  const allowed = ALLOWED_PARENT_KINDS[kind];
  if (allowed.includes(parent.kind)) return undefined;
  if (allowed.length === 0) return `a ${ORGANISATION_KIND_LABELS[kind].en.toLowerCase()} has no parent`;
  return `${parent.code} is a ${ORGANISATION_KIND_LABELS[parent.kind].en.toLowerCase()}; the parent must be a ${allowed.map((k) => ORGANISATION_KIND_LABELS[k].en.toLowerCase()).join(' or ')}`;
}
