import type { Control, Framework, Mapping, Relationship } from '../catalog/schema.js';
import { KIND_TEXT, hatobaProp, implementationKinds, metadata } from './common.js';
import { compareNatural, controlToken, requirementToken } from './ids.js';
import type { OscalComponentDefinition, OscalControlImplementation, OscalExportOptions, OscalImplementedRequirement } from './types.js';
import { optional } from './types.js';
import { hatobaUuid } from './uuid.js';

export type ComponentDefinitionOptions = OscalExportOptions & {
  /** Frameworks of the catalog: their titles, versions and sources make the document readable. */
  frameworks?: readonly Framework[];
  /** Where the OSCAL catalog export of the same controls is published (default: a file beside this one). */
  catalogHref?: string;
};

/** Where each framework's official OSCAL catalog lives, so tools can resolve our control-ids against it. */
const OSCAL_SOURCES: Record<string, string> = {
  'nist-sp-800-53-r5': 'https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json',
};

const KNOWN_TITLES: Record<string, string> = {
  'nist-sp-800-53-r5': 'NIST SP 800-53 Revision 5',
  'nist-csf-2.0': 'NIST Cybersecurity Framework 2.0',
};

/** What a control is to a requirement when the edge was written from the requirement's side. */
const MIRROR: Partial<Record<Relationship, Relationship>> = { subset: 'superset', superset: 'subset' };

const RELATIONSHIP_JA: Record<Relationship, string> = {
  equivalent: '同等',
  subset: '一部を実施',
  superset: '包含して実施',
  intersects: '一部が重なる',
  implements: '実施',
  'derived-from': '派生',
};

type Implementers = Map<string, Set<Relationship>>;

/**
 * Hatoba's guardrails as one OSCAL component whose control implementations, one per framework,
 * list every requirement at least one Hatoba control maps to directly (any relationship: the
 * relationship travels in a prop), with the controls that do it and how (preventive policy,
 * proactive and detective rule). Mappings that name a control not among `controls` are ignored,
 * so exporting a subset of the catalog claims only what that subset implements.
 */
export function toOscalComponentDefinition(controls: readonly Control[], mappings: readonly Mapping[], options: ComponentDefinitionOptions): OscalComponentDefinition {
  const meta = metadata({ en: 'Hatoba guardrails: component definition', ja: 'Hatoba ガードレール: コンポーネント定義' }, options);
  const byId = new Map(controls.map((control) => [control.id, control]));
  const frameworks = new Map((options.frameworks ?? []).map((framework) => [framework.id, framework]));
  const catalogResource = hatobaUuid('resource:hatoba-controls-catalog');

  const implementations = [...collect(mappings, byId)].sort(([a], [b]) => compareNatural(a, b));
  const controlImplementations = implementations.map(([frameworkId, requirements]): OscalControlImplementation => {
    const framework = frameworks.get(frameworkId);
    const title = framework?.title.en ?? KNOWN_TITLES[frameworkId] ?? frameworkId;
    return {
      uuid: hatobaUuid(`control-implementation:${frameworkId}`),
      source: OSCAL_SOURCES[frameworkId] ?? framework?.source.url ?? `urn:hatoba:framework:${frameworkId}`,
      description: `How the Hatoba guardrails implement ${title}: ${requirements.size} requirement${requirements.size === 1 ? '' : 's'} with at least one Hatoba control mapped to it.`,
      props: [...hatobaProp('framework', frameworkId), ...hatobaProp('framework-version', framework?.version ?? '')],
      'implemented-requirements': [...requirements]
        .sort(([a], [b]) => compareNatural(a, b))
        .map(([requirementId, implementers]) => implementedRequirement(frameworkId, requirementId, implementers, byId, framework, catalogResource)),
    };
  });

  const body = {
    metadata: meta,
    components: [
      {
        uuid: hatobaUuid('component:hatoba-guardrails'),
        type: 'software',
        title: 'Hatoba guardrails',
        description: 'The guardrail engine of Hatoba, the control plane of a federated government cloud on AWS: it generates service and resource control policies per organisational unit (preventive), evaluates CEL rules on infrastructure templates before deployment (proactive) and on the resources of every account (detective).',
        purpose: 'Keep every account of the federation within the security baseline, and show which framework requirements each guardrail implements.',
        props: [
          ...hatobaProp('title-ja', 'Hatoba ガードレール'),
          ...hatobaProp('description-ja', 'Hatoba のガードレール機能。OU ごとにサービスコントロールポリシーとリソースコントロールポリシーを生成し（予防的）、デプロイ前のテンプレート（事前）と全アカウントのリソース（発見的）を CEL ルールで評価します。'),
        ],
        ...optional('control-implementations', controlImplementations),
      },
    ],
    'back-matter': {
      resources: [
        {
          uuid: catalogResource,
          title: 'Hatoba controls catalog (OSCAL)',
          rlinks: [{ href: options.catalogHref ?? 'hatoba-controls-catalog.json', 'media-type': 'application/oscal.catalog+json' }],
        },
      ],
    },
  };
  // The document's UUID names its content, so any change gives a new one.
  return { 'component-definition': { uuid: hatobaUuid(`component-definition:${JSON.stringify(body)}`), ...body } };
}

/** framework id -> requirement id -> control id -> relationships (as seen from the control). */
function collect(mappings: readonly Mapping[], byId: ReadonlyMap<string, Control>): Map<string, Map<string, Implementers>> {
  const out = new Map<string, Map<string, Implementers>>();
  for (const mapping of mappings) {
    const edge = controlEdge(mapping);
    if (edge === undefined || !byId.has(edge.controlId)) continue;
    const requirements = out.get(edge.framework) ?? new Map<string, Implementers>();
    const implementers = requirements.get(edge.requirement) ?? new Map<string, Set<Relationship>>();
    implementers.set(edge.controlId, (implementers.get(edge.controlId) ?? new Set<Relationship>()).add(edge.relationship));
    requirements.set(edge.requirement, implementers);
    out.set(edge.framework, requirements);
  }
  return out;
}

/** An edge between a control and a framework requirement, read from the control's side. */
function controlEdge(mapping: Mapping): { controlId: string; framework: string; requirement: string; relationship: Relationship } | undefined {
  const source = split(mapping.source);
  const target = split(mapping.target);
  if (source === undefined || target === undefined) return undefined;
  if (source.head === 'control' && target.head !== 'control') {
    return { controlId: source.id, framework: target.head, requirement: target.id, relationship: mapping.relationship };
  }
  if (target.head === 'control' && source.head !== 'control') {
    return { controlId: target.id, framework: source.head, requirement: source.id, relationship: MIRROR[mapping.relationship] ?? mapping.relationship };
  }
  return undefined;
}

function split(ref: string): { head: string; id: string } | undefined {
  const colon = ref.indexOf(':');
  return colon <= 0 || colon === ref.length - 1 ? undefined : { head: ref.slice(0, colon), id: ref.slice(colon + 1) };
}

function implementedRequirement(
  frameworkId: string,
  requirementId: string,
  implementers: Implementers,
  byId: ReadonlyMap<string, Control>,
  framework: Framework | undefined,
  catalogResource: string,
): OscalImplementedRequirement {
  const requirementTitle = framework?.requirements.find((r) => r.id === requirementId)?.title;
  const label = requirementTitle === undefined ? requirementId : `${requirementId} (${requirementTitle.en})`;
  const entries = [...implementers].sort(([a], [b]) => compareNatural(a, b)).flatMap(([id, relationships]) => {
    const control = byId.get(id);
    return control === undefined ? [] : [{ control, relationships: [...relationships].sort() }];
  });
  const en = entries.map(({ control, relationships }) => `${control.id} "${control.title.en}" (${relationships.join(', ')}; ${implementationKinds(control).map((k) => KIND_TEXT[k].en).join(' and ')})`);
  const ja = entries.map(({ control, relationships }) => `${control.id}「${control.title.ja}」（${relationships.map((r) => RELATIONSHIP_JA[r]).join('、')}。${implementationKinds(control).map((k) => KIND_TEXT[k].ja).join('、')}）`);
  return {
    uuid: hatobaUuid(`implemented-requirement:${frameworkId}:${requirementId}`),
    'control-id': requirementToken(frameworkId, requirementId),
    description: `${label} is implemented by the Hatoba guardrail${entries.length === 1 ? '' : 's'} ${en.join('; ')}.`,
    props: [
      ...hatobaProp('requirement-id', requirementId),
      ...entries.flatMap(({ control, relationships }) => {
        const group = controlToken(control.id);
        return [
          ...hatobaProp('hatoba-control', control.id, { group }),
          ...relationships.flatMap((relationship) => hatobaProp('relationship', relationship, { group })),
          ...implementationKinds(control).flatMap((kind) => hatobaProp('implementation', kind, { group })),
        ];
      }),
    ],
    links: entries.map(({ control }) => ({ href: `#${catalogResource}`, rel: 'implemented-by', 'resource-fragment': controlToken(control.id), text: control.id })),
    remarks: `${requirementId} を実施する Hatoba のガードレール: ${ja.join('、')}。`,
  };
}
