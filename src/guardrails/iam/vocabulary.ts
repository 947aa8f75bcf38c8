/**
 * What policy lint needs to know about AWS IAM: which service prefixes exist, the actions of each
 * service, and which condition keys exist (global `aws:*` keys and each service's own keys). A port:
 * the driver (`src/cloud/iam-data`) loads AWS's reference data once, up front, so that lint stays
 * synchronous and pure. `vocabularyFrom` builds the lookups from plain lists, for the driver and for
 * tests alike.
 */
export interface IamVocabulary {
  /** Whether a service prefix (`s3`, `ec2`) exists; case-insensitive, as IAM is. */
  hasService(prefix: string): boolean;
  /** The services whose prefix a pattern with `*` and `?` matches, in AWS's spelling. */
  servicesMatching(pattern: string): string[];
  /** The actions of a service a pattern with `*` and `?` matches (case-insensitive); [] when none or the service is unknown. */
  actionsMatching(service: string, pattern: string): string[];
  /** Where a condition key is defined, or undefined when nowhere. Keys with a variable part (`aws:RequestTag/${TagKey}`) match any value there. */
  conditionKey(key: string): ConditionKeyOwner | undefined;
  /** Whether resource control policies apply to a service. */
  supportsRcp(service: string): boolean;
}

/** `global`: usable with every action; otherwise the services whose reference lists the key. */
export type ConditionKeyOwner = { global: boolean; services: readonly string[] };

export type VocabularyData = {
  /** Per service prefix: its actions and the condition keys its service reference lists. */
  services: ReadonlyMap<string, { actions: readonly string[]; conditionKeys: readonly string[] }>;
  /** The global condition keys; a key with `/` takes any value after it (`aws:PrincipalTag/tag-key`). */
  globalConditionKeys: readonly string[];
  rcpServices: readonly string[];
};

/** `*` any run of characters, `?` one character; everything else literal. Case-insensitive, as IAM matches actions. */
export const wildcardRegExp = (pattern: string): RegExp =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');

/** `${TagKey}` and `<key>` are variable parts of a documented key; `tag-key` after a slash in the global list is too. */
const keyTemplateRegExp = (template: string, global: boolean): RegExp | undefined => {
  const variable = /\$\{[^}]+\}|<[^>]+>/g;
  if (template.search(variable) >= 0) {
    const parts = template.split(variable).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return new RegExp(`^${parts.join('.+')}$`, 'i');
  }
  const slash = template.indexOf('/');
  if (global && slash > 0) return new RegExp(`^${template.slice(0, slash + 1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.+$`, 'i');
  return undefined;
};

type Owner = { global: boolean; services: Set<string> };

export function vocabularyFrom(data: VocabularyData): IamVocabulary {
  const services = new Map<string, { name: string; actions: readonly string[]; lower: Set<string> }>();
  for (const [name, entry] of data.services) services.set(name.toLowerCase(), { name, actions: entry.actions, lower: new Set(entry.actions.map((a) => a.toLowerCase())) });

  const exact = new Map<string, Owner>();
  const patterns: { regex: RegExp; owner: Owner }[] = [];
  const patternOwners = new Map<string, Owner>();
  const add = (key: string, global: boolean, service: string | undefined) => {
    const regex = keyTemplateRegExp(key, global);
    const lower = key.toLowerCase();
    let owner = regex === undefined ? exact.get(lower) : patternOwners.get(lower);
    if (owner === undefined) {
      owner = { global: false, services: new Set() };
      if (regex === undefined) exact.set(lower, owner);
      else {
        patternOwners.set(lower, owner);
        patterns.push({ regex, owner });
      }
    }
    // Service references repeat some global keys (`aws:RequestTag/${TagKey}`); an `aws:` key is global wherever it is listed.
    if (global || lower.startsWith('aws:')) owner.global = true;
    if (service !== undefined) owner.services.add(service);
  };
  for (const key of data.globalConditionKeys) add(key, true, undefined);
  for (const [name, entry] of data.services) for (const key of entry.conditionKeys) add(key, false, name);
  const rcp = new Set(data.rcpServices.map((s) => s.toLowerCase()));

  const freeze = (owners: Owner[]): ConditionKeyOwner => ({
    global: owners.some((o) => o.global),
    services: [...new Set(owners.flatMap((o) => [...o.services]))].sort(),
  });

  return {
    hasService: (prefix) => services.has(prefix.toLowerCase()),
    servicesMatching: (pattern) => {
      const regex = wildcardRegExp(pattern);
      return [...services.values()].filter((s) => regex.test(s.name)).map((s) => s.name);
    },
    actionsMatching: (service, pattern) => {
      const entry = services.get(service.toLowerCase());
      if (entry === undefined) return [];
      if (!/[*?]/.test(pattern)) return entry.lower.has(pattern.toLowerCase()) ? entry.actions.filter((a) => a.toLowerCase() === pattern.toLowerCase()) : [];
      const regex = wildcardRegExp(pattern);
      return entry.actions.filter((a) => regex.test(a));
    },
    conditionKey: (key) => {
      const found = [exact.get(key.toLowerCase()), ...patterns.filter((p) => p.regex.test(key)).map((p) => p.owner)].filter((o) => o !== undefined);
      return found.length === 0 ? undefined : freeze(found);
    },
    supportsRcp: (service) => rcp.has(service.toLowerCase()),
  };
}
