import type { RequestContext } from './request.js';

/**
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`) and the special
 * characters `${*}`, `${?}`, `${$}`, in Resource and in string, ARN and Bool condition values.
 *
 * A template resolves to an *escaped glob*: the policy's own `*` and `?` stay wildcards, while `\*`,
 * `\?` and `\\` are literal characters. What a variable or `${*}` puts in is escaped, so a tag value
 * `a*b` matches only `a*b`. A variable whose key is absent (and has no default) or has several values
 * does not resolve: AWS then treats the statement as not matching.
 */
export type Template = {
  /** The escaped glob when there is no variable to resolve. */
  fixed: string | undefined;
  parts: readonly Part[];
  /** The lower-cased context keys the variables read. */
  keys: readonly string[];
};

type Part = { glob: string } | { key: string; fallback: string | undefined };

const VARIABLE = /\$\{([^}]*)\}/g;
const REFERENCE = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/;
const SPECIAL: Record<string, string> = { '*': '\\*', '?': '\\?', $: '$' };

export const escapeGlob = (text: string): string => text.replace(/[\\*?]/g, '\\$&');

/** `withVariables: false` reads `${…}` as plain text (Numeric, Date, IP and Null values take no variables). */
export function parseTemplate(value: string, withVariables = true): Template {
  const own = (text: string): string => text.replace(/\\/g, '\\\\');
  if (!withVariables || !value.includes('${')) return { fixed: own(value), parts: [{ glob: own(value) }], keys: [] };
  const parts: Part[] = [];
  const keys: string[] = [];
  let last = 0;
  for (const match of value.matchAll(VARIABLE)) {
    const inner = match[1] ?? '';
    const before = value.slice(last, match.index);
    if (before !== '') parts.push({ glob: own(before) });
    last = match.index + match[0].length;
    const special = SPECIAL[inner];
    const reference = REFERENCE.exec(inner);
    if (special !== undefined) parts.push({ glob: special });
    else if (reference === null) parts.push({ glob: own(match[0]) });
    else {
      const key = (reference[1] ?? '').toLowerCase();
      keys.push(key);
      parts.push({ key, fallback: reference[2] });
    }
  }
  if (last < value.length) parts.push({ glob: own(value.slice(last)) });
  const fixed = keys.length === 0 ? parts.map((p) => ('glob' in p ? p.glob : '')).join('') : undefined;
  return { fixed, parts, keys };
}

/** The escaped glob with the variables filled in from the context, or undefined when one does not resolve. */
export function resolveTemplate(template: Template, context: RequestContext): string | undefined {
  if (template.fixed !== undefined) return template.fixed;
  let out = '';
  for (const part of template.parts) {
    if ('glob' in part) {
      out += part.glob;
      continue;
    }
    const values = context.get(part.key);
    const value = values?.length === 1 ? values[0] : undefined;
    if (value === undefined && part.fallback === undefined) return undefined;
    out += escapeGlob(value ?? part.fallback ?? '');
  }
  return out;
}

/** The plain text an escaped glob stands for, for operators that compare exactly. */
export const unescapeGlob = (glob: string): string => glob.replace(/\\(.)/g, '$1');
