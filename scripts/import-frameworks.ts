/**
 * Imports NIST SP 800-53 r5 and NIST CSF 2.0 from the seed data into the catalog's own format
 * (src/guardrails/catalog/schema.ts), with the CSF 2.0 -> SP 800-53 edges NIST's CPRT export gives.
 * Ids and titles only: the catalog points at the standards, it does not republish their prose.
 *
 * Usage: tsx scripts/import-frameworks.ts [DATA_DIR] [--out CATALOG_DIR] [--check]
 *   DATA_DIR    default ../shared/catalog-data (next to the repository)
 *   --out       default catalog/ in the repository
 *   --check     write nothing; exit 1 when the committed files differ from a fresh import
 *
 * The output is deterministic (sorted; one requirement or mapping per line), so re-running it on the
 * same data changes nothing and a review sees only what NIST changed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { NIST_800_53_R5, NIST_CSF_2, normalise80053, normaliseCsf2, resolveRequirement } from '../src/guardrails/catalog/ids.js';
import { loadCatalog } from '../src/guardrails/catalog/loader.js';
import type { Framework, Mapping, Requirement } from '../src/guardrails/catalog/schema.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OSCAL_FILE = 'nist-oscal/NIST_SP-800-53_rev5_catalog-min.json';
export const CPRT_FILE = 'nist-csf2-cprt/cprt_CSF_2_0_0_04-24-2024.json';
const NIST = 'National Institute of Standards and Technology (NIST), U.S. Department of Commerce';
const PUBLIC_DOMAIN = 'Public domain (work of the U.S. Government); CC0 1.0 worldwide';

// Our own Japanese names for the top levels, so that Japanese screens can group by them.
const FAMILY_JA: Record<string, string> = {
  AC: 'アクセス制御', AT: '意識向上およびトレーニング', AU: '監査および説明責任', CA: 'アセスメント、認可およびモニタリング',
  CM: '構成管理', CP: '緊急時対応計画', IA: '識別および認証', IR: 'インシデント対応', MA: '保守', MP: '媒体保護',
  PE: '物理的および環境的保護', PL: '計画', PM: 'プログラム管理', PS: '要員セキュリティ', PT: '個人識別情報の処理および透明性',
  RA: 'リスクアセスメント', SA: 'システムおよびサービスの取得', SC: 'システムおよび通信の保護', SI: 'システムおよび情報の完全性',
  SR: 'サプライチェーンリスク管理',
};
const CSF_JA: Record<string, string> = {
  GV: '統治', ID: '識別', PR: '防御', DE: '検知', RS: '対応', RC: '復旧',
  'GV.OC': '組織の状況', 'GV.RM': 'リスクマネジメント戦略', 'GV.RR': '役割、責任および権限', 'GV.PO': 'ポリシー', 'GV.OV': '監督',
  'GV.SC': 'サイバーセキュリティのサプライチェーンリスクマネジメント', 'ID.AM': '資産管理', 'ID.RA': 'リスクアセスメント', 'ID.IM': '改善',
  'PR.AA': 'アイデンティティ管理、認証およびアクセス制御', 'PR.AT': '意識向上およびトレーニング', 'PR.DS': 'データセキュリティ',
  'PR.PS': 'プラットフォームセキュリティ', 'PR.IR': '技術インフラのレジリエンス', 'DE.CM': '継続的モニタリング', 'DE.AE': '有害事象の分析',
  'RS.MA': 'インシデント管理', 'RS.AN': 'インシデント分析', 'RS.CO': 'インシデント対応の報告およびコミュニケーション', 'RS.MI': 'インシデントの低減',
  'RC.RP': 'インシデント復旧計画の実行', 'RC.CO': 'インシデント復旧のコミュニケーション',
};

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();
const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// ---- SP 800-53 r5 from OSCAL ---------------------------------------------------------------------

const OscalProp = z.object({ name: z.string(), value: z.string() });
const OscalLink = z.object({ href: z.string(), rel: z.string().optional() });
const OscalControl = z.object({
  id: z.string(),
  title: z.string(),
  props: z.array(OscalProp).optional(),
  links: z.array(OscalLink).optional(),
  get controls() {
    return z.array(OscalControl).optional();
  },
});
type OscalControl = z.infer<typeof OscalControl>;
const OscalCatalog = z.object({
  catalog: z.object({
    metadata: z.object({ version: z.string(), 'last-modified': z.string() }),
    groups: z.array(z.object({ id: z.string(), title: z.string(), class: z.string().optional(), controls: z.array(OscalControl) })),
  }),
});

/** `#ac-2_smt.k` (a statement of AC-2) -> AC-2; `#sr` -> SR. */
function oscalTarget(href: string): string | undefined {
  const id = href.replace(/^#/, '').replace(/_smt.*$/, '');
  return normalise80053(id);
}

/** The sort key of an 800-53 id: family, control number, enhancement number (a family sorts first). */
function key80053(id: string): [string, number, number] {
  const match = /^([A-Z]{2})(?:-(\d+))?(?:\((\d+)\))?$/.exec(id);
  return [match?.[1] ?? id, Number(match?.[2] ?? -1), Number(match?.[3] ?? -1)];
}
function compare80053(a: Requirement, b: Requirement): number {
  const [x, y] = [key80053(a.id), key80053(b.id)];
  return compareIds(x[0], y[0]) || x[1] - y[1] || x[2] - y[2];
}

export function import80053(json: unknown): Framework {
  const { catalog } = OscalCatalog.parse(json);
  const requirements: Requirement[] = [];
  const visit = (control: OscalControl, parent: string) => {
    const id = normalise80053(control.id);
    if (id === undefined) throw new Error(`the OSCAL id ${control.id} is not an SP 800-53 id`);
    const label = control.props?.find((p) => p.name === 'label')?.value;
    if (label !== undefined && normalise80053(label) !== id) throw new Error(`the OSCAL control ${control.id} is labelled ${label}`);
    const withdrawn = control.props?.some((p) => p.name === 'status' && p.value === 'withdrawn') === true;
    const movedTo = (control.links ?? [])
      .filter((l) => l.rel === 'incorporated-into' || l.rel === 'moved-to')
      .map((l) => oscalTarget(l.href))
      .filter((t): t is string => t !== undefined);
    requirements.push({
      id,
      title: { en: oneLine(control.title) },
      parent,
      ...(withdrawn ? { withdrawn: { movedTo: [...new Set(movedTo)].sort(compareIds) } } : {}),
    });
    for (const child of control.controls ?? []) visit(child, id);
  };
  for (const group of catalog.groups) {
    const family = normalise80053(group.id);
    if (family === undefined) throw new Error(`the OSCAL group ${group.id} is not an SP 800-53 family`);
    const ja = FAMILY_JA[family];
    requirements.push({ id: family, title: { ...(ja === undefined ? {} : { ja }), en: oneLine(group.title) } });
    for (const control of group.controls) visit(control, family);
  }
  return {
    id: NIST_800_53_R5,
    kind: 'framework',
    title: {
      ja: 'NIST SP 800-53 第5版 情報システムおよび組織のためのセキュリティおよびプライバシー管理策',
      en: 'NIST SP 800-53 Rev. 5: Security and Privacy Controls for Information Systems and Organizations',
    },
    publisher: NIST,
    version: catalog.metadata.version,
    source: {
      url: 'https://github.com/usnistgov/oscal-content/blob/a849dbca4649e0cc626fefdd46cf5232c8308f4c/nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog-min.json',
      licence: PUBLIC_DOMAIN,
      note: `Generated by scripts/import-frameworks.ts from the OSCAL catalog (last modified ${catalog.metadata['last-modified'].slice(0, 10)}): ids and titles only; families as parents; withdrawn controls kept with where they were incorporated or moved.`,
    },
    requirements: requirements.sort(compare80053),
  };
}

// ---- CSF 2.0 from NIST's CPRT export -------------------------------------------------------------

const CprtElement = z.object({ element_type: z.string(), element_identifier: z.string(), title: z.string(), text: z.string() });
const CprtRelationship = z.object({ source_element_identifier: z.string(), dest_element_identifier: z.string(), relationship_identifier: z.string() });
const CprtExport = z.object({
  response: z.object({
    elements: z.object({
      documents: z.array(z.object({ doc_identifier: z.string(), version: z.string() })),
      elements: z.array(CprtElement),
      relationships: z.array(CprtRelationship),
    }),
  }),
});

const CSF_LEVELS = ['function', 'category', 'subcategory'];
const csfParent = (id: string): string | undefined => (id.includes('-') ? id.split('-')[0] : id.includes('.') ? id.split('.')[0] : undefined);

export type CsfImport = { framework: Framework; mappings: Mapping[]; rejected: { mapping: Mapping; reason: string }[] };

export function importCsf2(json: unknown, sp80053: Framework): CsfImport {
  const { elements, relationships, documents } = CprtExport.parse(json).response.elements;
  const doc = documents[0]?.doc_identifier ?? 'CSF_2_0_0';
  const sortKey = new Map(elements.filter((e) => e.element_type === 'sort').map((e) => [e.element_identifier.replace(/^S-/, ''), e.title]));
  const reasons = new Map(elements.filter((e) => e.element_type === 'withdraw_reason').map((e) => [e.element_identifier.replace(/^WR-/, ''), e.text]));
  const nodes = elements.filter((e) => CSF_LEVELS.includes(e.element_type));
  const known = new Set(nodes.map((e) => e.element_identifier));

  const requirements: Requirement[] = nodes.map((element) => {
    const id = normaliseCsf2(element.element_identifier);
    if (id !== element.element_identifier) throw new Error(`the CPRT id ${element.element_identifier} is not a CSF 2.0 id`);
    const parent = csfParent(id);
    const en = oneLine(element.element_type === 'subcategory' ? element.text : element.title);
    const ja = CSF_JA[id];
    const reason = reasons.get(id);
    const movedTo = reason === undefined ? [] : withdrawnTargets(id, reason, relationships, known);
    return {
      id,
      title: { ...(ja === undefined || reason !== undefined ? {} : { ja }), en },
      ...(parent === undefined ? {} : { parent }),
      ...(reason === undefined ? {} : { withdrawn: { movedTo } }),
    };
  });
  const order = (r: Requirement) => sortKey.get(r.id) ?? r.id;
  const framework: Framework = {
    id: NIST_CSF_2,
    kind: 'framework',
    title: { ja: 'NIST サイバーセキュリティフレームワーク (CSF) 2.0', en: 'NIST Cybersecurity Framework (CSF) 2.0' },
    publisher: NIST,
    version: '2.0',
    source: {
      url: 'https://csrc.nist.gov/projects/cprt/catalog#/cprt/framework/version/CSF_2_0_0',
      licence: PUBLIC_DOMAIN,
      note: `Generated by scripts/import-frameworks.ts from NIST's CPRT export of ${doc} (2024-04-24): functions, categories and subcategories (titled by their outcome statements); the CSF 1.1 ids that 2.0 withdrew are kept as withdrawn with where they went.`,
    },
    requirements: requirements.sort((a, b) => compareIds(order(a), order(b)) || compareIds(a.id, b.id)),
  };

  // CPRT's external references from CSF 2.0 to SP 800-53 name families only (AC, AU, …), not controls:
  // the honest edge is "this subcategory intersects that family".
  const provenance = `NIST CPRT ${doc} export (2024-04-24): external reference, SP 800-53 family level`;
  const candidates = relationships
    .filter((r) => r.relationship_identifier === 'external_reference')
    .map((r): Mapping => ({ source: `${NIST_CSF_2}:${r.source_element_identifier}`, target: `${NIST_800_53_R5}:${r.dest_element_identifier}`, relationship: 'intersects', provenance }));
  const { accepted, rejected } = validateMappings(candidates, [framework, sp80053]);
  return { framework, mappings: accepted, rejected };
}

/** Where a withdrawn CSF 1.1 id went: the CPRT relationships, plus ids its reason names (RS.RP's reason names RS.MA, its relationships nothing). */
function withdrawnTargets(id: string, reason: string, relationships: z.infer<typeof CprtRelationship>[], known: Set<string>): string[] {
  const linked = relationships
    .filter((r) => r.source_element_identifier === `WR-${id}` && (r.relationship_identifier === 'moved_to' || r.relationship_identifier === 'incorporated_into'))
    .map((r) => r.dest_element_identifier);
  const named = (reason.match(/\b[A-Z]{2}(?:\.[A-Z]{2}(?:-\d{2})?)?\b/g) ?? []).filter((t) => known.has(t));
  return [...new Set([...linked, ...named])].sort(compareIds);
}

// ---- Validating mappings against the frameworks --------------------------------------------------

/**
 * Normalises both ends of every candidate mapping and keeps those whose ends exist and are not
 * withdrawn; the others come back with the reason ("AC-3(1) is withdrawn; moved to AC-6").
 */
export function validateMappings(candidates: Mapping[], frameworks: Framework[]): { accepted: Mapping[]; rejected: { mapping: Mapping; reason: string }[] } {
  const byFramework = new Map(frameworks.map((f) => [f.id, new Map(f.requirements.map((r) => [r.id, r]))]));
  const accepted = new Map<string, Mapping>();
  const rejected: { mapping: Mapping; reason: string }[] = [];
  const resolveEnd = (ref: string): { ref: string } | { reason: string } => {
    const colon = ref.indexOf(':');
    const frameworkId = ref.slice(0, colon);
    const requirements = byFramework.get(frameworkId);
    if (colon <= 0 || requirements === undefined) return { reason: `no framework ${frameworkId} to check ${ref} against` };
    const resolved = resolveRequirement(frameworkId, ref.slice(colon + 1), (id) => requirements.get(id));
    return resolved.ok ? { ref: `${frameworkId}:${resolved.id}` } : { reason: resolved.reason };
  };
  for (const mapping of candidates) {
    const source = resolveEnd(mapping.source);
    const target = resolveEnd(mapping.target);
    if ('reason' in source) rejected.push({ mapping, reason: source.reason });
    else if ('reason' in target) rejected.push({ mapping, reason: target.reason });
    else accepted.set(`${source.ref} ${target.ref}`, { ...mapping, source: source.ref, target: target.ref });
  }
  const sorted = [...accepted.values()].sort((a, b) => compareIds(a.source, b.source) || compareIds(a.target, b.target));
  return { accepted: sorted, rejected };
}

// ---- Files ---------------------------------------------------------------------------------------

/** JSON with the long list one entry per line: small, and a diff shows one line per changed entry. */
export function formatWithList(value: Record<string, unknown>, listKey: string): string {
  const lines = Object.entries(value).map(([key, item]) => {
    if (key === listKey && Array.isArray(item)) return `  ${JSON.stringify(key)}: [\n${item.map((entry) => `    ${JSON.stringify(entry)}`).join(',\n')}\n  ]`;
    return `  ${JSON.stringify(key)}: ${JSON.stringify(item, null, 2).replace(/\n/g, '\n  ')}`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}

export type Output = { path: string; text: string };

/** Reads the seed data and returns the files to write under the catalog folder (relative paths). */
export async function importFrameworks(dataDir: string): Promise<{ files: Output[]; rejected: { mapping: Mapping; reason: string }[] }> {
  const readJson = async (file: string): Promise<unknown> => JSON.parse(await readFile(join(dataDir, file), 'utf8'));
  const sp80053 = import80053(await readJson(OSCAL_FILE));
  const csf = importCsf2(await readJson(CPRT_FILE), sp80053);
  const files: Output[] = [
    { path: `frameworks/${NIST_800_53_R5}.json`, text: formatWithList(sp80053, 'requirements') },
    { path: `frameworks/${NIST_CSF_2}.json`, text: formatWithList(csf.framework, 'requirements') },
    { path: 'mappings/csf-2.0-to-800-53-r5.json', text: formatWithList({ mappings: csf.mappings }, 'mappings') },
  ];
  // The files must load as a catalog on their own, exactly as the server will read them.
  const loaded = loadCatalog(files);
  if (!loaded.ok) throw new Error(`the generated files do not load:\n${loaded.issues.map((i) => `  ${i.path.join(' ')}: ${i.message}`).join('\n')}`);
  return { files, rejected: csf.rejected };
}

async function main(args: string[]): Promise<number> {
  const check = args.includes('--check');
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 && args[outAt + 1] !== undefined ? resolve(args[outAt + 1] ?? '') : join(REPO, 'catalog');
  const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--out');
  const dataDir = resolve(positional[0] ?? join(REPO, '..', 'shared', 'catalog-data'));
  const { files, rejected } = await importFrameworks(dataDir);
  for (const { mapping, reason } of rejected) console.error(`rejected ${mapping.source} -> ${mapping.target}: ${reason}`);
  let stale = 0;
  for (const file of files) {
    const target = join(out, file.path);
    if (check) {
      const current = await readFile(target, 'utf8').catch(() => undefined);
      if (current !== file.text) {
        stale++;
        console.error(`${target} differs from a fresh import`);
      }
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.text);
    console.log(`wrote ${target}`);
  }
  return stale === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
