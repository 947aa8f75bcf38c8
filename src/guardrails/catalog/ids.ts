/**
 * Requirement ids as each framework writes them. Sources disagree on the spelling (OSCAL writes
 * `ac-2.1`, Prowler `AC-2 (1)`, spreadsheets `AC-02(01)`, CSF 1.1-era tools `GV.RM-1`); the catalog
 * stores one canonical form per framework, and these normalisers give it. The import script and
 * the loader use the same functions, so an id accepted on import is an id the loader accepts.
 */

export const NIST_800_53_R5 = 'nist-sp-800-53-r5';
export const NIST_CSF_2 = 'nist-csf-2.0';

/** Full-width input (ＡＣ－２（１）) reads as its ASCII form; blanks around the id do not count. */
const clean = (raw: string): string => raw.normalize('NFKC').trim();

const number = (digits: string): string => String(Number(digits));

/**
 * SP 800-53: families `AC`, controls `AC-2`, enhancements `AC-2(1)`. Accepts `ac-2.1`, `AC-2 (1)`,
 * `AC-02(01)`, `AC2` and the OSCAL sort ids (`ac-02.01`).
 */
export function normalise80053(raw: string): string | undefined {
  const text = clean(raw).toUpperCase();
  const family = /^([A-Z]{2})$/.exec(text);
  if (family?.[1] !== undefined) return family[1];
  const match = /^([A-Z]{2})\s*-?\s*(\d{1,3})\s*(?:\(\s*(\d{1,3})\s*\)|\.\s*(\d{1,3}))?$/.exec(text);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const control = `${match[1]}-${number(match[2])}`;
  if (control.endsWith('-0')) return undefined;
  const enhancement = match[3] ?? match[4];
  if (enhancement === undefined) return control;
  return Number(enhancement) === 0 ? undefined : `${control}(${number(enhancement)})`;
}

/** CSF 2.0: functions `GV`, categories `GV.RM`, subcategories `GV.RM-01` (two digits, as NIST writes them). */
export function normaliseCsf2(raw: string): string | undefined {
  const text = clean(raw).toUpperCase();
  const match = /^([A-Z]{2})(?:\s*\.\s*([A-Z]{2})(?:\s*-\s*(\d{1,2}))?)?$/.exec(text);
  if (match?.[1] === undefined) return undefined;
  if (match[2] === undefined) return match[1];
  if (match[3] === undefined) return `${match[1]}.${match[2]}`;
  return Number(match[3]) === 0 ? undefined : `${match[1]}.${match[2]}-${match[3].padStart(2, '0')}`;
}

/** Frameworks without a known id grammar keep their ids as written, only cleaned. */
function normaliseAny(raw: string): string | undefined {
  const text = clean(raw);
  return text === '' ? undefined : text;
}

const NORMALISERS: Record<string, { normalise: (raw: string) => string | undefined; looksLike: string }> = {
  [NIST_800_53_R5]: { normalise: normalise80053, looksLike: 'AC, AC-2 or AC-2(1)' },
  [NIST_CSF_2]: { normalise: normaliseCsf2, looksLike: 'GV, GV.RM or GV.RM-01' },
};

/** The canonical form of a requirement id of this framework, or undefined when it cannot be one. */
export function normaliseRequirementId(frameworkId: string, raw: string): string | undefined {
  return (NORMALISERS[frameworkId]?.normalise ?? normaliseAny)(raw);
}

/** What the ids of a framework look like, for messages; undefined for frameworks with no grammar. */
export const idShapeOf = (frameworkId: string): string | undefined => NORMALISERS[frameworkId]?.looksLike;

/** What the catalog knows of one requirement id: enough to accept it or to say why not. */
export type KnownRequirement = { withdrawn?: { movedTo: string[] } | undefined };

export type Resolution = { ok: true; id: string; normalised: boolean } | { ok: false; reason: string };

/**
 * Resolves an id written by someone (a mapping, an import, a search) against a framework's
 * requirements: normalised, existing, and not withdrawn. A withdrawn id is refused with where it
 * went ("AC-3(1) is withdrawn; moved to AC-6"), so that the author can fix the reference.
 */
export function resolveRequirement(frameworkId: string, raw: string, lookup: (id: string) => KnownRequirement | undefined): Resolution {
  const id = normaliseRequirementId(frameworkId, raw);
  if (id === undefined) return { ok: false, reason: notAnId(frameworkId, raw) };
  const known = lookup(id);
  if (known === undefined) return { ok: false, reason: `${id} is not a requirement of ${frameworkId}` };
  if (known.withdrawn !== undefined) return { ok: false, reason: withdrawnReason(id, known.withdrawn.movedTo) };
  return { ok: true, id, normalised: id === raw };
}

export function notAnId(frameworkId: string, raw: string): string {
  const shape = idShapeOf(frameworkId);
  return `"${raw}" is not an id of ${frameworkId}${shape === undefined ? '' : ` (ids look like ${shape})`}`;
}

export const withdrawnReason = (id: string, movedTo: readonly string[]): string =>
  movedTo.length === 0 ? `${id} is withdrawn` : `${id} is withdrawn; moved to ${movedTo.join(', ')}`;
