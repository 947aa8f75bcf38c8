/**
 * The part of the OSCAL 1.1 JSON model that Hatoba's exports write (catalog and component
 * definition). The vendored schemas under schema/ are the authority; these types only keep the
 * exporters honest. OSCAL forbids empty arrays, so every list here is left out rather than empty.
 */

/** The OSCAL version the exports declare: the version of the vendored schemas. */
export const OSCAL_VERSION = '1.1.3';

export type OscalProperty = {
  name: string;
  value: string;
  /** Required for every name OSCAL itself does not define. */
  ns?: string;
  class?: string;
  /** Relates the props that describe one thing (one Hatoba control among several). */
  group?: string;
};

export type OscalLink = {
  href: string;
  rel?: string;
  'media-type'?: string;
  /** With an href to a back-matter resource (`#<uuid>`): the fragment within that resource. */
  'resource-fragment'?: string;
  text?: string;
};

export type OscalBackMatter = {
  resources: { uuid: string; title?: string; rlinks?: { href: string; 'media-type'?: string }[] }[];
};

export type OscalPart = {
  id?: string;
  name: string;
  ns?: string;
  class?: string;
  title?: string;
  props?: OscalProperty[];
  prose?: string;
  parts?: OscalPart[];
};

export type OscalMetadata = {
  title: string;
  'last-modified': string;
  version: string;
  'oscal-version': string;
  props?: OscalProperty[];
  remarks?: string;
};

export type OscalControl = {
  id: string;
  class?: string;
  title: string;
  props?: OscalProperty[];
  links?: OscalLink[];
  parts?: OscalPart[];
};

export type OscalGroup = {
  id: string;
  class?: string;
  title: string;
  props?: OscalProperty[];
  controls?: OscalControl[];
};

export type OscalCatalog = {
  catalog: { uuid: string; metadata: OscalMetadata; groups?: OscalGroup[] };
};

export type OscalImplementedRequirement = {
  uuid: string;
  'control-id': string;
  description: string;
  props?: OscalProperty[];
  links?: OscalLink[];
  remarks?: string;
};

export type OscalControlImplementation = {
  uuid: string;
  source: string;
  description: string;
  props?: OscalProperty[];
  'implemented-requirements': OscalImplementedRequirement[];
};

export type OscalComponent = {
  uuid: string;
  type: string;
  title: string;
  description: string;
  purpose?: string;
  props?: OscalProperty[];
  'control-implementations'?: OscalControlImplementation[];
};

export type OscalComponentDefinition = {
  'component-definition': { uuid: string; metadata: OscalMetadata; components?: OscalComponent[]; 'back-matter'?: OscalBackMatter };
};

/** What the caller fixes so that the same catalog always exports to the same bytes. */
export type OscalExportOptions = {
  /** The version of the exported document (Hatoba's catalog version), e.g. `2026.1` or a git describe. */
  version: string;
  /** ISO 8601 date-time with a time zone, e.g. `2026-03-01T00:00:00Z`. */
  lastModified: string;
};

/** Leaves an empty list out: OSCAL arrays have at least one item. */
export const optional = <K extends string, T>(key: K, items: readonly T[]): { [P in K]?: T[] } => {
  const out: { [P in K]?: T[] } = {};
  if (items.length > 0) out[key] = [...items];
  return out;
};
