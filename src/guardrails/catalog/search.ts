import { validationFailed } from '../../domain/errors.js';
import type { Catalog } from './catalog.js';
import type { CompiledControl } from './compiled.js';
import { resolveRequirement } from './ids.js';
import type { Objective, Severity } from './schema.js';
import type { ControlType } from './vocabulary.js';

export const typesOf = (control: CompiledControl): ControlType[] => [
  ...(control.implementations.preventive === undefined ? [] : ['preventive' as const]),
  ...(control.implementations.rule === undefined ? [] : ['proactive' as const, 'detective' as const]),
];

export const isImplemented = (control: CompiledControl): boolean => typesOf(control).length > 0;

export type SearchFilters = {
  text?: string | undefined;
  objective?: Objective | undefined;
  service?: string | undefined;
  /** A framework id (controls that reach any of its requirements) or `<framework>:<requirement>`. */
  framework?: string | undefined;
  type?: ControlType | undefined;
  severity?: Severity | undefined;
};

export type Field = 'id' | 'reference' | 'title' | 'description';
export type SearchHit = { control: CompiledControl; score: number; matched: Field[] };

/** Full-width letters and digits (ＧｕａｒｄＤｕｔｙ, ＫＭＳ) and half-width katakana read as their usual forms. */
export const fold = (text: string): string => text.normalize('NFKC').toLowerCase();

// An id hit outranks any number of title hits, a title hit any number of description hits.
const WEIGHT: Record<Field, number> = { id: 1_000_000, reference: 10_000, title: 100, description: 1 };
const FIELDS: readonly Field[] = ['id', 'reference', 'title', 'description'];

function fieldsOf(control: CompiledControl): Record<Field, string[]> {
  const refs = control.implementations.references;
  return {
    id: [control.id],
    reference: [...(refs?.securityHub ?? []), ...(refs?.configRule ?? []), ...(refs?.prowler ?? [])],
    title: [control.title.ja, control.title.en],
    description: [control.description.ja, control.description.en],
  };
}

/** The score of one control for the query's terms; undefined when a term matches nothing. */
function score(control: CompiledControl, terms: string[]): { score: number; matched: Field[] } | undefined {
  const fields = fieldsOf(control);
  const matched = new Set<Field>();
  let total = 0;
  for (const term of terms) {
    const best = FIELDS.find((field) => fields[field].some((value) => fold(value).includes(term)));
    if (best === undefined) return undefined;
    matched.add(best);
    total += WEIGHT[best] * (best === 'id' && fold(control.id) === term ? 2 : 1);
  }
  return { score: total, matched: [...matched] };
}

/** The controls that reach the filter's framework or requirement; throws when the filter names neither. */
function frameworkFilter(catalog: Catalog, filter: string): (control: CompiledControl) => boolean {
  const colon = filter.indexOf(':');
  const frameworkId = colon < 0 ? filter : filter.slice(0, colon);
  const framework = catalog.frameworksById.get(frameworkId);
  if (framework === undefined) {
    const known = [...catalog.frameworksById.keys()].sort().join(', ');
    throw validationFailed('unknown framework', [{ path: ['framework'], message: `no framework ${frameworkId} in the catalog (known: ${known || 'none'})` }]);
  }
  const reaches = (control: CompiledControl) => catalog.reach.get(control.id) ?? new Set<string>();
  if (colon < 0) return (control) => [...reaches(control)].some((node) => node.startsWith(`${frameworkId}:`));
  const resolved = resolveRequirement(frameworkId, filter.slice(colon + 1), (id) => framework.requirements.find((r) => r.id === id));
  if (!resolved.ok) throw validationFailed('unknown requirement', [{ path: ['framework'], message: resolved.reason }]);
  const node = `${frameworkId}:${resolved.id}`;
  return (control) => reaches(control).has(node);
}

/**
 * Controls matching every filter. `text` matches ids, references, and titles and descriptions in
 * either language, case-insensitively and after NFKC; every word of it must match. Ranked by where
 * the words matched (id, then reference, then title, then description), then by id.
 */
export function searchControls(catalog: Catalog, filters: SearchFilters): SearchHit[] {
  const inFramework = filters.framework === undefined || filters.framework === '' ? undefined : frameworkFilter(catalog, filters.framework);
  const terms = fold(filters.text ?? '').split(/\s+/).filter((t) => t !== '');
  const service = filters.service === undefined ? undefined : fold(filters.service).trim();
  const hits: SearchHit[] = [];
  for (const control of catalog.controls) {
    if (filters.objective !== undefined && !control.objectives.includes(filters.objective)) continue;
    if (service !== undefined && service !== '' && !control.services.includes(service)) continue;
    if (filters.severity !== undefined && control.severity !== filters.severity) continue;
    if (filters.type !== undefined && !typesOf(control).includes(filters.type)) continue;
    if (inFramework !== undefined && !inFramework(control)) continue;
    const scored = score(control, terms);
    if (scored !== undefined) hits.push({ control, ...scored });
  }
  return hits.sort((a, b) => b.score - a.score || (a.control.id < b.control.id ? -1 : a.control.id > b.control.id ? 1 : 0));
}
