import { validationFailed, type Issue } from '../../domain/errors.js';
import type { Control } from '../catalog/schema.js';
import { OSCAL_VERSION, type OscalExportOptions, type OscalMetadata, type OscalProperty } from './types.js';
import { HATOBA_NS } from './uuid.js';

/** OSCAL strings in props may not start or end with blanks, nor span lines. */
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** A prop under Hatoba's namespace, as a list to spread: none when the value is blank (OSCAL refuses empty values). */
export function hatobaProp(name: string, value: string, extra: { class?: string; group?: string } = {}): OscalProperty[] {
  const clean = oneLine(value);
  return clean === '' ? [] : [{ name, ns: HATOBA_NS, value: clean, ...extra }];
}

/** The document's publication data; refuses a version or timestamp OSCAL would not accept. */
export function metadata(title: { en: string; ja: string }, options: OscalExportOptions, remarks?: string): OscalMetadata {
  const issues: Issue[] = [];
  if (oneLine(options.version) !== options.version || options.version === '') {
    issues.push({ path: ['version'], message: 'the document version is a non-empty string without surrounding blanks' });
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(options.lastModified) || Number.isNaN(Date.parse(options.lastModified))) {
    issues.push({ path: ['lastModified'], message: 'last-modified is a date-time with a time zone, like 2026-03-01T00:00:00Z' });
  }
  if (issues.length > 0) throw validationFailed('the OSCAL export options are not valid', issues);
  return {
    title: title.en,
    'last-modified': options.lastModified,
    version: options.version,
    'oscal-version': OSCAL_VERSION,
    props: hatobaProp('title-ja', title.ja),
    ...(remarks === undefined ? {} : { remarks }),
  };
}

export type ImplementationKind = 'preventive-scp' | 'preventive-rcp' | 'proactive-detective-rule';

/** How a control is enforced: by an organisation policy, by a rule, or both. */
export function implementationKinds(control: Control): ImplementationKind[] {
  const kinds: ImplementationKind[] = [];
  const preventive = control.implementations.preventive;
  if (preventive !== undefined) kinds.push(preventive.kind === 'SCP' ? 'preventive-scp' : 'preventive-rcp');
  if (control.implementations.rule !== undefined) kinds.push('proactive-detective-rule');
  return kinds;
}

export const KIND_TEXT: Record<ImplementationKind, { en: string; ja: string }> = {
  'preventive-scp': { en: 'preventive (service control policy)', ja: '予防的（サービスコントロールポリシー）' },
  'preventive-rcp': { en: 'preventive (resource control policy)', ja: '予防的（リソースコントロールポリシー）' },
  'proactive-detective-rule': { en: 'proactive and detective (CEL rule on templates and on deployed resources)', ja: '事前・発見的（テンプレートと稼働中のリソースを CEL ルールで評価）' },
};
