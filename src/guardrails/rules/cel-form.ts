import { celList, celMap, type CelInput } from '@bufbuild/cel';

/**
 * Resources in the form CEL evaluates: maps and lists wrapped once (CEL would otherwise wrap every
 * map and list again on each access), kept per properties object, which is treated as immutable once
 * handed to a rule: several rules judge the same resource (a scan, a sweep).
 *
 * A resource with open values (CloudFormation intrinsics: a Ref to a parameter, Fn::…) also records
 * which of them an evaluation reads. Its maps that hold an open value (directly, or in lists) note
 * every read that could see one: the open key itself, or any walk over the map's keys or entries.
 * CEL is deterministic, so an evaluation that never read an open value gives the same answer
 * whatever that value is: the rule engine probes only the open values that were read.
 */
export type CelForm = { cel: CelInput; open: string[] };

const forms = new WeakMap<object, CelForm>();

let reads: Set<string> | undefined;

/** Runs `evaluate` and returns, with its value, the paths (`A.B[0].C`) of the open values it read. */
export function watchingReads<T>(evaluate: () => T): { value: T; read: ReadonlySet<string> } {
  const read = new Set<string>();
  const outer = reads;
  reads = read;
  try {
    return { value: evaluate(), read };
  } finally {
    reads = outer;
  }
}

/** A map that holds open values: `openAt` gives, per key, the paths of the open values under it. */
class WatchedMap extends Map<string, CelInput> {
  private readonly openAt: ReadonlyMap<string, readonly string[]>;

  constructor(entries: [string, CelInput][], openAt: ReadonlyMap<string, readonly string[]>) {
    super(entries);
    this.openAt = openAt;
  }

  private note(key: string | undefined): void {
    if (reads === undefined) return;
    if (key === undefined) for (const paths of this.openAt.values()) for (const path of paths) reads.add(path);
    else for (const path of this.openAt.get(key) ?? []) reads.add(path);
  }

  override get(key: string): CelInput | undefined {
    this.note(key);
    return super.get(key);
  }

  override has(key: string): boolean {
    this.note(key);
    return super.has(key);
  }

  override forEach(callback: (value: CelInput, key: string, map: Map<string, CelInput>) => void, thisArg?: unknown): void {
    this.note(undefined);
    super.forEach(callback, thisArg);
  }

  override keys(): MapIterator<string> {
    this.note(undefined);
    return super.keys();
  }

  override values(): MapIterator<CelInput> {
    this.note(undefined);
    return super.values();
  }

  override entries(): MapIterator<[string, CelInput]> {
    this.note(undefined);
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, CelInput]> {
    return this.entries();
  }
}

/** A CloudFormation intrinsic: an object with the single key Ref or Fn::Something. */
export function isIntrinsic(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || (keys[0]?.startsWith('Fn::') ?? false));
}

/** The CEL form of a resource's properties, made once per properties object. */
export function celForm(properties: Record<string, unknown>): CelForm {
  let form = forms.get(properties);
  if (form === undefined) {
    let open: string[] = [];
    let cel = plain(properties, () => (open = ['']));
    if (open.length > 0) {
      open = [];
      cel = watched(properties, '', open).cel;
    }
    form = { cel, open };
    forms.set(properties, form);
  }
  return form;
}

/**
 * Plain JSON as CEL values: objects become maps, numbers doubles. An object that already has a CEL
 * form without open values (a resource inside an account document) is reused.
 */
export function plain(value: unknown, onIntrinsic?: () => void): CelInput {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const items: CelInput[] = [];
    for (const item of value) items.push(plain(item, onIntrinsic));
    return celList(items);
  }
  if (typeof value === 'object') {
    const known = forms.get(value);
    if (known !== undefined && known.open.length === 0) return known.cel;
    const entries = Object.entries(value);
    const map = new Map<string, CelInput>();
    for (const [key, item] of entries) map.set(key, plain(item, onIntrinsic));
    const [only] = entries;
    if (onIntrinsic !== undefined && entries.length === 1 && only !== undefined && (only[0] === 'Ref' || only[0].startsWith('Fn::'))) onIntrinsic();
    return celMap(map);
  }
  return String(value);
}

/** The CEL form of a value with open values; `exposed` are the open paths a read of this value could see. */
function watched(value: unknown, at: string, open: string[]): { cel: CelInput; exposed: string[] } {
  if (isIntrinsic(value)) {
    open.push(at);
    return { cel: plain(value), exposed: [at] };
  }
  if (Array.isArray(value)) {
    const items: CelInput[] = [];
    const exposed: string[] = [];
    value.forEach((item, i) => {
      const child = watched(item, `${at}[${i}]`, open);
      items.push(child.cel);
      exposed.push(...child.exposed);
    });
    return { cel: celList(items), exposed };
  }
  if (typeof value === 'object' && value !== null) {
    const entries: [string, CelInput][] = [];
    const openAt = new Map<string, string[]>();
    for (const [key, item] of Object.entries(value)) {
      const child = watched(item, at === '' ? key : `${at}.${key}`, open);
      entries.push([key, child.cel]);
      if (child.exposed.length > 0) openAt.set(key, child.exposed);
    }
    // The map itself hides its open values from whoever holds it: only reads through it see them.
    return { cel: celMap(openAt.size === 0 ? new Map(entries) : new WatchedMap(entries, openAt)), exposed: [] };
  }
  return { cel: plain(value), exposed: [] };
}
