import type { PrincipalFacts } from './request.js';

/**
 * Matching the parts of a statement that name things: actions (case-insensitive, `*` and `?`),
 * resource ARNs (segment by segment) and principals. Patterns are escaped globs (see variables.ts):
 * `\*`, `\?` and `\\` are literal. Regular expressions are built once per pattern and kept.
 */

export type GlobMode =
  /** `*` is any run of characters, `?` one character, over the whole text. */
  | 'text'
  /**
   * ARN: the first five colons divide the ARN into partition, service, region, account and the
   * resource part; a wildcard does not cross a colon before the resource part, and matches anything
   * within it. A pattern with fewer than five colons treats its last part as the rest of the ARN, so `*`
   * matches every ARN.
   */
  | 'arn';

const REGEX_SPECIAL = /[.+^${}()|[\]\\/-]/;
const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 50_000;

function globSource(glob: string, mode: GlobMode): string {
  const colons = mode === 'arn' ? countUnescapedColons(glob) : 0;
  let out = '';
  let segment = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    // Within ARN's first five fields a wildcard stops at a colon; the last field may contain colons.
    const bounded = mode === 'arn' && segment < 5 && segment < colons;
    if (c === '\\' && i + 1 < glob.length) {
      const next = glob.charAt(++i);
      out += REGEX_SPECIAL.test(next) || next === '*' || next === '?' ? `\\${next}` : next;
    } else if (c === '*') out += bounded ? '[^:]*' : '[\\s\\S]*';
    else if (c === '?') out += bounded ? '[^:]' : '[\\s\\S]';
    else {
      if (c === ':') segment++;
      out += REGEX_SPECIAL.test(c) ? `\\${c}` : c;
    }
  }
  return out;
}

function countUnescapedColons(glob: string): number {
  let n = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '\\') i++;
    else if (c === ':') n++;
  }
  return n;
}

/** One regular expression for several globs (any of them matches); built once and kept. */
export function globRegExp(globs: readonly string[], mode: GlobMode): RegExp {
  const key = `${mode}\u0000${globs.join('\u0000')}`;
  let re = cache.get(key);
  if (re === undefined) {
    re = new RegExp(`^(?:${globs.map((g) => globSource(g, mode)).join('|')})$`);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, re);
  }
  return re;
}

export const hasWildcard = (glob: string): boolean => /(^|[^\\])(\\\\)*[*?]/.test(glob);

/** Actions: `ec2:Describe*`, `*`; compared lower-cased. Takes the action already lower-cased. */
export function actionMatcher(patterns: readonly string[]): (action: string) => boolean {
  const lowered = patterns.map((p) => p.toLowerCase().replace(/\\/g, '\\\\'));
  if (lowered.includes('*')) return () => true;
  const exact = new Set(lowered.filter((p) => !hasWildcard(p)));
  const wild = lowered.filter((p) => hasWildcard(p));
  if (wild.length === 0) return (action) => exact.has(action);
  const re = globRegExp(wild, 'text');
  return (action) => exact.has(action) || re.test(action);
}

/** How a Principal element names the caller, weakest first. */
export type PrincipalMatch = 'none' | 'account' | 'any' | 'role' | 'exact';
const STRENGTH: Record<PrincipalMatch, number> = { none: 0, account: 1, any: 2, role: 3, exact: 4 };
export const strongest = (a: PrincipalMatch, b: PrincipalMatch): PrincipalMatch => (STRENGTH[a] >= STRENGTH[b] ? a : b);

export type PrincipalEntry = { type: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | '*'; value: string };

const ROLE = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
const ROOT = /^arn:[^:]+:iam::(\d{12}):root$/;

/**
 * `*` and `{"AWS": "*"}` name everyone (`any`); an account id or its root ARN names the account
 * (`account`: the account must still allow its principals through their own policies); a user, role
 * session or service names the caller itself (`exact`); a role ARN names the role's sessions (`role`).
 */
export function matchPrincipal(entries: readonly PrincipalEntry[], facts: PrincipalFacts): PrincipalMatch {
  let best: PrincipalMatch = 'none';
  for (const { type, value } of entries) {
    best = strongest(best, matchOne(type, value, facts));
    if (best === 'exact') return best;
  }
  return best;
}

function matchOne(type: PrincipalEntry['type'], value: string, facts: PrincipalFacts): PrincipalMatch {
  if (type === '*') return 'any';
  if (type === 'Service') return facts.type === 'service' && facts.arn === value ? 'exact' : 'none';
  if (type !== 'AWS') return facts.type === 'federated-user' && facts.arn === value ? 'exact' : 'none';
  if (value === '*') return facts.type === 'service' ? 'none' : 'any';
  if (facts.type === 'service') return 'none';
  const account = /^\d{12}$/.test(value) ? value : ROOT.exec(value)?.[1];
  if (account !== undefined) return account !== facts.accountId ? 'none' : facts.type === 'root' ? 'exact' : 'account';
  if (value === facts.arn) return 'exact';
  const role = ROLE.exec(value);
  const callerRole = facts.roleArn === undefined ? null : ROLE.exec(facts.roleArn);
  // A session ARN carries no role path, so roles are compared by account and name.
  if (role !== null && callerRole !== null && role[1] === callerRole[1] && role[2] === callerRole[2]) {
    return facts.type === 'role' ? 'exact' : 'role';
  }
  return 'none';
}
