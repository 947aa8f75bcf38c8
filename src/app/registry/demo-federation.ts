import { DomainError } from '../../domain/errors.js';
import { withCorporateNumberCheckDigit } from '../../domain/registry/codes.js';
import { OrganisationInput, type Organisation } from '../../domain/registry/organisation.js';
import type { PlacementRule } from '../../domain/registry/placement.js';
import { SystemInput, type System } from '../../domain/registry/system.js';
import type { RegistryDeps } from './deps.js';

/**
 * A small, realistic federation for the demo and for trying things out: the Digital Agency and two
 * ministries, Tokyo and Osaka with some of their wards and cities, a quasi-public body, systems named
 * after the 20 standardised local government operations, and placement rules for the Prod / NonProd /
 * Sandbox / Security / Suspended OUs. It creates no accounts: provisioning does that.
 *
 * Codes: the local government codes are the real ones (check digits verified in the tests). Corporate
 * numbers: 総務省 2000012020001 and 厚生労働省 6000012070001 are published ones; the Digital Agency's is
 * the government-organ base 000012010035 with its computed check digit (not confirmed against the
 * National Tax Agency's register); J-LIS carries a synthetic 999999… number.
 */
const mail = (who: string) => `${who}.demo.hatoba.example`;
const contact = (name: string, who: string, role: 'primary' | 'security' = 'primary') => ({ name, email: `${role}@${mail(who)}`, role });

export const DEMO_ORGANISATIONS: OrganisationInput[] = [
  { code: '2000012010035', kind: 'ministry', nameJa: 'デジタル庁', nameEn: 'Digital Agency', billingEmail: `billing@${mail('digital')}`, contacts: [contact('ガバメントクラウド担当', 'digital'), contact('セキュリティ担当', 'digital', 'security')] },
  { code: '2000012020001', kind: 'ministry', nameJa: '総務省', nameEn: 'Ministry of Internal Affairs and Communications', billingEmail: `billing@${mail('soumu')}`, contacts: [contact('情報システム担当', 'soumu')] },
  { code: '6000012070001', kind: 'ministry', nameJa: '厚生労働省', nameEn: 'Ministry of Health, Labour and Welfare', billingEmail: `billing@${mail('mhlw')}`, contacts: [contact('情報政策担当', 'mhlw')] },
  { code: '130001', kind: 'prefecture', nameJa: '東京都', nameEn: 'Tokyo Metropolitan Government', billingEmail: `billing@${mail('tokyo')}`, contacts: [contact('デジタルサービス局', 'tokyo')] },
  { code: '270008', kind: 'prefecture', nameJa: '大阪府', nameEn: 'Osaka Prefecture', billingEmail: `billing@${mail('osaka-pref')}`, contacts: [contact('スマートシティ戦略部', 'osaka-pref')] },
  { code: '131016', kind: 'special_ward', nameJa: '千代田区', nameEn: 'Chiyoda City', billingEmail: `billing@${mail('chiyoda')}`, contacts: [contact('情報政策課', 'chiyoda')] },
  { code: '131121', kind: 'special_ward', nameJa: '世田谷区', nameEn: 'Setagaya City', billingEmail: `billing@${mail('setagaya')}`, contacts: [contact('DX推進担当課', 'setagaya')] },
  { code: '132012', kind: 'municipality', nameJa: '八王子市', nameEn: 'Hachioji City', billingEmail: `billing@${mail('hachioji')}`, contacts: [contact('情報管理課', 'hachioji')] },
  { code: '271004', kind: 'designated_city', nameJa: '大阪市', nameEn: 'Osaka City', billingEmail: `billing@${mail('osaka-city')}`, contacts: [contact('デジタル統括室', 'osaka-city')] },
  { code: '271403', kind: 'designated_city', nameJa: '堺市', nameEn: 'Sakai City', billingEmail: `billing@${mail('sakai')}`, contacts: [contact('ICTイノベーション推進室', 'sakai')] },
  { code: '272035', kind: 'municipality', nameJa: '豊中市', nameEn: 'Toyonaka City', billingEmail: `billing@${mail('toyonaka')}`, contacts: [contact('情報政策課', 'toyonaka')] },
  {
    code: withCorporateNumberCheckDigit('999999000001'),
    kind: 'quasi_public',
    nameJa: '地方公共団体情報システム機構',
    nameEn: 'Japan Agency for Local Authority Information Systems (J-LIS)',
    parentCode: '2000012020001',
    billingEmail: `billing@${mail('j-lis')}`,
    contacts: [contact('システム運用部', 'j-lis')],
  },
];

/** Names of some of the 20 standardised local government operations (標準化対象20業務). */
const STANDARD: Record<string, [string, string]> = {
  juki: ['住民基本台帳', 'Basic Resident Register'],
  'kojin-juminzei': ['個人住民税', 'Individual Inhabitant Tax'],
  'kotei-shisanzei': ['固定資産税', 'Fixed Asset Tax'],
  'kaigo-hoken': ['介護保険', 'Long-term Care Insurance'],
  kokuho: ['国民健康保険', 'National Health Insurance'],
  'jido-teate': ['児童手当', 'Child Allowance'],
  koseki: ['戸籍', 'Family Register'],
  'seikatsu-hogo': ['生活保護', 'Public Assistance'],
  shugaku: ['就学', 'School Enrolment'],
  'kokumin-nenkin': ['国民年金', 'National Pension'],
};
const standard = (slug: string): SystemInput => {
  const [nameJa, nameEn] = STANDARD[slug] ?? [slug, slug];
  return { slug, nameJa, nameEn, provider: 'simulated', attributes: { classification: 'confidential', workload: 'lg-standard' } };
};
const own = (slug: string, nameJa: string, nameEn: string, attributes: Record<string, string>): SystemInput => ({ slug, nameJa, nameEn, provider: 'simulated', attributes });

export const DEMO_SYSTEMS: Record<string, SystemInput[]> = {
  '2000012010035': [
    own('gcas', 'ガバメントクラウド利用支援サービス', 'Government Cloud Assistance Service', { classification: 'internal', workload: 'platform' }),
    own('security', 'セキュリティ監視', 'Security monitoring', { classification: 'confidential', workload: 'security' }),
    own('log-archive', 'ログ集約', 'Log archive', { classification: 'confidential', workload: 'logging' }),
  ],
  '2000012020001': [own('statistics', '統計データ公開', 'Statistics publication', { classification: 'public', workload: 'web' })],
  '6000012070001': [own('kaigo-db', '介護保険総合データベース', 'Long-term care database', { classification: 'confidential', workload: 'analytics' })],
  '130001': [own('bosai', '防災情報', 'Disaster information', { classification: 'internal', workload: 'web' })],
  '270008': [own('bosai', '防災情報', 'Disaster information', { classification: 'internal', workload: 'web' })],
  '131016': ['juki', 'kojin-juminzei', 'kaigo-hoken'].map(standard),
  '131121': ['juki', 'kokuho', 'jido-teate'].map(standard),
  '132012': ['juki', 'koseki', 'kaigo-hoken'].map(standard),
  '271004': ['juki', 'kotei-shisanzei', 'seikatsu-hogo'].map(standard),
  '271403': ['juki', 'shugaku'].map(standard),
  '272035': ['juki', 'kokumin-nenkin'].map(standard),
  [withCorporateNumberCheckDigit('999999000001')]: [own('jpki', '公的個人認証サービス', 'Public certification service (JPKI)', { classification: 'confidential', workload: 'platform' })],
};

const LOCAL_GOVERNMENT = ['prefecture', 'designated_city', 'municipality', 'special_ward'] as const;

/** OUs by policy grouping, the real hierarchy nowhere: guardrails attach to these. */
export const DEMO_PLACEMENT_RULES: PlacementRule[] = [
  { id: 'plr_demo_suspended', priority: 10, description: 'Suspended accounts, whatever they are', match: { accountStatus: ['suspended'] }, ouPath: '/Suspended' },
  { id: 'plr_demo_security', priority: 20, description: 'Security and log archive systems', match: { systemAttributes: { workload: ['security', 'logging'] } }, ouPath: '/Security' },
  { id: 'plr_demo_sandbox', priority: 30, description: 'Sandboxes', match: { environment: ['sandbox'] }, ouPath: '/Sandbox' },
  { id: 'plr_demo_prod_lg', priority: 40, description: 'Local government production', match: { environment: ['prod'], tenantKind: [...LOCAL_GOVERNMENT] }, ouPath: '/Workloads/Prod/LocalGov' },
  { id: 'plr_demo_prod_central', priority: 50, description: 'Ministries and quasi-public production', match: { environment: ['prod'] }, ouPath: '/Workloads/Prod/Central' },
  { id: 'plr_demo_nonprod_lg', priority: 60, description: 'Local government staging and development', match: { tenantKind: [...LOCAL_GOVERNMENT] }, ouPath: '/Workloads/NonProd/LocalGov' },
  { id: 'plr_demo_default', priority: 1000, description: 'Everything else: central staging and development', match: {}, ouPath: '/Workloads/NonProd/Central' },
];

export type DemoFederationResult = {
  dryRun: boolean;
  organisations: { created: string[]; existing: string[] };
  /** As tenant code/system slug. */
  systems: { created: string[]; existing: string[] };
  /** Installed only when there are no rules yet: an operator's rules are never overwritten. */
  placementRules: 'installed' | 'kept';
};

/**
 * Seeds the demo federation, idempotently: what exists is left as it is, what is missing is added.
 * Safe when two processes seed at once (the loser of a race runs again and finds everything).
 */
export async function seedDemoFederation(deps: RegistryDeps, options: { dryRun: boolean }): Promise<DemoFederationResult> {
  try {
    return await seedOnce(deps, options.dryRun);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'conflict') return seedOnce(deps, options.dryRun);
    throw error;
  }
}

async function seedOnce(deps: RegistryDeps, dryRun: boolean): Promise<DemoFederationResult> {
  const { store, clock, ids } = deps;
  const now = clock.now();
  const wanted = DEMO_ORGANISATIONS.map((input) => OrganisationInput.parse(input));
  const existing = new Map((await store.findOrganisationsByCodes(wanted.map((o) => o.code))).map((o) => [o.code, o]));
  const missing: Organisation[] = wanted.filter((o) => !existing.has(o.code)).map((o) => ({ ...o, id: ids('org'), createdAt: now, updatedAt: now }));
  if (!dryRun && missing.length > 0) await store.saveOrganisations({ insert: missing, update: [] });
  const byCode = new Map([...existing.values(), ...missing].map((o) => [o.code, o]));

  const systems: { created: string[]; existing: string[] } = { created: [], existing: [] };
  for (const [code, inputs] of Object.entries(DEMO_SYSTEMS)) {
    const organisation = byCode.get(code);
    if (organisation === undefined) continue;
    for (const input of inputs) {
      const parsed = SystemInput.parse(input);
      const key = `${code}/${parsed.slug}`;
      const known = existing.has(code) ? await store.getSystemBySlug(organisation.id, parsed.slug) : undefined;
      if (known !== undefined) {
        systems.existing.push(key);
        continue;
      }
      const system: System = { ...parsed, id: ids('sys'), organisationId: organisation.id, createdAt: now, updatedAt: now };
      if (!dryRun) await store.insertSystem(system);
      systems.created.push(key);
    }
  }

  const rulesExist = (await store.listPlacementRules()).length > 0;
  if (!dryRun && !rulesExist) await store.replacePlacementRules(DEMO_PLACEMENT_RULES);
  return {
    dryRun,
    organisations: { created: missing.map((o) => o.code), existing: [...existing.keys()] },
    systems,
    placementRules: rulesExist ? 'kept' : 'installed',
  };
}
