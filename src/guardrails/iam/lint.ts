import type { z } from 'zod';
import { PolicyDocument, type OrganizationPolicyKind, type PolicyStatement } from './policy-schema.js';
import type { IamVocabulary } from './vocabulary.js';

/**
 * Lint for organisation policies (SCPs and RCPs) before they are attached: size, the names of
 * services, actions, condition keys and operators against AWS's reference data (through the
 * vocabulary port), and what each kind of policy allows. Every problem has a path into the policy
 * (`['Statement', 2, 'Action', 1]`) and a severity; errors are what AWS would refuse or what cannot
 * work, warnings are what AWS accepts but probably does not do what was meant.
 */

/** "Maximum size of a policy document": 5,120 characters for SCPs and RCPs (AWS Organizations quotas). */
export const POLICY_SIZE_LIMIT = 5120;
/** At most five SCPs (and five RCPs) attached to a root, OU or account; the default full-access policy takes one. */
export const POLICIES_PER_TARGET = 5;

export type LintSeverity = 'error' | 'warning';
export type LintCode =
  | 'json_invalid'
  | 'schema_invalid'
  | 'too_large'
  | 'not_minified'
  | 'duplicate_sid'
  | 'action_malformed'
  | 'unknown_service'
  | 'action_matches_nothing'
  | 'operator_invalid'
  | 'condition_key_unknown'
  | 'condition_key_other_service'
  | 'resource_malformed'
  | 'resource_missing'
  | 'scp_principal_unsupported'
  | 'rcp_principal_required'
  | 'rcp_not_principal_unsupported'
  | 'rcp_not_action_unsupported'
  | 'rcp_allow_unsupported'
  | 'rcp_service_unsupported';

export type LintIssue = {
  path: (string | number)[];
  severity: LintSeverity;
  code: LintCode;
  message: { ja: string; en: string };
};

export type LintResult = {
  issues: LintIssue[];
  /** Characters of the minified document (UTF-8 bytes, see `policySize`); undefined when the text is not JSON. */
  size: number | undefined;
  /** The document, when it has the shape of an IAM policy. */
  document: PolicyDocument | undefined;
};

export type LintOptions = { kind: OrganizationPolicyKind; vocabulary: IamVocabulary };

type Path = (string | number)[];

/**
 * The size AWS holds a policy to: the minified JSON, counted in UTF-8 bytes. AWS's quota page says
 * characters and counts whitespace as stored; AWS support has answered that the limit is bytes. For
 * ASCII the two agree; for anything else bytes are the stricter count, so a policy that passes here
 * passes there. Hatoba always uploads the minified text.
 */
export const policySize = (document: unknown): number => new TextEncoder().encode(JSON.stringify(document)).length;

const BASE_OPERATORS = new Set([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
]);

/** `ForAnyValue:StringLikeIfExists` -> valid; `Null` takes no `IfExists` (it already asks whether the key exists). */
export const isConditionOperator = (name: string): boolean => {
  const unqualified = name.replace(/^(ForAnyValue|ForAllValues):/, '');
  if (BASE_OPERATORS.has(unqualified)) return true;
  const base = unqualified.replace(/IfExists$/, '');
  return base !== unqualified && base !== 'Null' && BASE_OPERATORS.has(base);
};

const issue = (path: Path, severity: LintSeverity, code: LintCode, en: string, ja: string): LintIssue => ({ path, severity, code, message: { ja, en } });

const each = (value: string | string[] | undefined, at: Path): { value: string; at: Path }[] =>
  value === undefined ? [] : typeof value === 'string' ? [{ value, at }] : value.map((v, j) => ({ value: v, at: [...at, j] }));

/** Lints a policy given as JSON text or as an already-parsed value. */
export function lintPolicy(input: unknown, options: LintOptions): LintResult {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { issues: [issue([], 'error', 'json_invalid', `the policy is not valid JSON: ${detail}`, `ポリシーが正しい JSON ではありません: ${detail}`)], size: undefined, document: undefined };
    }
  }
  const issues: LintIssue[] = [];
  const size = policySize(raw);
  if (size > POLICY_SIZE_LIMIT) {
    issues.push(issue([], 'error', 'too_large', `the policy is ${size} characters minified; an ${options.kind} may have at most ${POLICY_SIZE_LIMIT}`, `ポリシーは空白を除いても ${size} 文字あり、${options.kind} の上限 ${POLICY_SIZE_LIMIT} 文字を超えています`));
  } else if (typeof input === 'string' && new TextEncoder().encode(input).length > POLICY_SIZE_LIMIT) {
    issues.push(issue([], 'warning', 'not_minified', `as written the policy is over ${POLICY_SIZE_LIMIT} characters, and AWS counts whitespace; upload it minified (${size} characters)`, `書かれたままでは ${POLICY_SIZE_LIMIT} 文字を超えます（AWS は空白も数えます）。空白を除いて（${size} 文字）登録してください`));
  }
  const parsed = PolicyDocument.safeParse(raw);
  if (!parsed.success) {
    for (const i of schemaIssues(parsed.error.issues, [])) {
      issues.push(issue(i.path, 'error', 'schema_invalid', i.message, `ポリシーの形式が正しくありません: ${i.message}`));
    }
    return { issues, size, document: undefined };
  }
  const document = parsed.data;
  const statements = Array.isArray(document.Statement)
    ? document.Statement.map((statement, i) => ({ statement, at: ['Statement', i] }))
    : [{ statement: document.Statement, at: ['Statement'] }];
  const sids = new Map<string, Path>();
  for (const { statement, at } of statements) {
    if (statement.Sid !== undefined && statement.Sid !== '') {
      const first = sids.get(statement.Sid);
      if (first !== undefined) issues.push(issue([...at, 'Sid'], 'error', 'duplicate_sid', `the Sid ${statement.Sid} is used twice (first at ${first.join('.')})`, `Sid ${statement.Sid} が重複しています（最初は ${first.join('.')}）`));
      else sids.set(statement.Sid, at);
    }
    issues.push(...lintStatement(statement, at, options));
  }
  return { issues, size, document };
}

/**
 * zod reports a value that fits no branch of a union (a statement or a list of them; "*" or a
 * principal block) once, at the union. The branch of the value's own JSON type says where the
 * problem really is, so its issues are reported instead; when no branch fits even the type, the
 * union's place is reported with what each branch expected.
 */
function schemaIssues(found: readonly z.core.$ZodIssue[], base: Path): { path: Path; message: string }[] {
  return found.flatMap((i) => {
    const path = [...base, ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    if (i.code !== 'invalid_union' || i.errors.length === 0) return [{ path, message: i.message }];
    const wrongType = (branch: z.core.$ZodIssue[]) => branch.every((b) => b.path.length === 0 && (b.code === 'invalid_type' || b.code === 'invalid_value'));
    const fitting = i.errors.find((branch) => !wrongType(branch));
    if (fitting !== undefined) return schemaIssues(fitting, path);
    return [{ path, message: i.errors.flat().map((b) => b.message.replace(/^Invalid input: /, '')).join('; or ') }];
  });
}

function lintStatement(statement: PolicyStatement, at: Path, { kind, vocabulary }: LintOptions): LintIssue[] {
  const issues: LintIssue[] = [];
  // The services whose requests the statement applies to; undefined when it may be any (`*`, NotAction).
  let services: Set<string> | undefined = statement.Action === undefined ? undefined : new Set();
  for (const element of ['Action', 'NotAction'] as const) {
    for (const { value, at: where } of each(statement[element], [...at, element])) {
      const found = lintAction(value, where, vocabulary, issues);
      if (element !== 'Action') continue;
      if (found === 'all') services = undefined;
      else if (services !== undefined) for (const s of found) services.add(s.toLowerCase());
      if (kind === 'RCP' && found !== 'all') {
        const unsupported = found.filter((s) => !vocabulary.supportsRcp(s));
        if (found.length > 0 && unsupported.length === found.length) {
          issues.push(issue(where, 'error', 'rcp_service_unsupported', `RCPs do not apply to ${unsupported.join(', ')}`, `RCP は ${unsupported.join(', ')} には適用されません`));
        }
      }
    }
  }
  lintConditions(statement, at, services, vocabulary, issues);
  lintResources(statement, at, issues);
  if (kind === 'SCP') {
    for (const element of ['Principal', 'NotPrincipal'] as const) {
      if (statement[element] !== undefined) issues.push(issue([...at, element], 'error', 'scp_principal_unsupported', `SCPs do not support ${element}: they apply to the principals of the accounts they are attached to; use a condition on aws:PrincipalArn`, `SCP は ${element} を使えません（適用先アカウントのプリンシパルが対象です）。aws:PrincipalArn の条件を使ってください`));
    }
  } else {
    lintRcpStatement(statement, at, issues);
  }
  return issues;
}

/** Checks one action pattern; returns the services it names ('all' for `*`). */
function lintAction(value: string, at: Path, vocabulary: IamVocabulary, issues: LintIssue[]): string[] | 'all' {
  if (value === '*') return 'all';
  const colon = value.indexOf(':');
  const prefix = value.slice(0, colon);
  const name = value.slice(colon + 1);
  if (colon <= 0 || name === '') {
    issues.push(issue(at, 'error', 'action_malformed', `"${value}" is not an action: write service:Action, like s3:GetObject`, `"${value}" はアクションの形式ではありません。s3:GetObject のように サービス:アクション と書いてください`));
    return [];
  }
  const services = /[*?]/.test(prefix) ? vocabulary.servicesMatching(prefix) : vocabulary.hasService(prefix) ? [prefix] : [];
  if (services.length === 0) {
    issues.push(issue(at, 'error', 'unknown_service', `"${prefix}" is not the prefix of any AWS service`, `"${prefix}" はどの AWS サービスのプレフィックスでもありません`));
    return [];
  }
  if (!services.some((s) => vocabulary.actionsMatching(s, name).length > 0)) {
    issues.push(issue(at, 'error', 'action_matches_nothing', `"${value}" matches no action of ${services.join(', ')}`, `"${value}" に一致する ${services.join(', ')} のアクションはありません`));
  }
  return services;
}

function lintConditions(statement: PolicyStatement, at: Path, services: Set<string> | undefined, vocabulary: IamVocabulary, issues: LintIssue[]): void {
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    const where = [...at, 'Condition', operator];
    if (!isConditionOperator(operator)) {
      issues.push(issue(where, 'error', 'operator_invalid', `"${operator}" is not a condition operator`, `"${operator}" は条件演算子ではありません`));
    }
    for (const key of Object.keys(block)) {
      const owner = vocabulary.conditionKey(key);
      if (owner === undefined) {
        issues.push(issue([...where, key], 'error', 'condition_key_unknown', `"${key}" is not a global condition key nor one of any service`, `"${key}" はグローバル条件キーでもサービスの条件キーでもありません`));
        continue;
      }
      if (owner.global || services === undefined || services.size === 0) continue;
      if (!owner.services.some((s) => services.has(s.toLowerCase()))) {
        const named = [...services].sort().join(', ');
        issues.push(issue([...where, key], 'warning', 'condition_key_other_service', `"${key}" is a key of ${owner.services.join(', ')}, but the statement's actions are of ${named}: their requests do not carry it`, `"${key}" は ${owner.services.join(', ')} の条件キーですが、このステートメントのアクションは ${named} のものです。そのリクエストにこのキーは含まれません`));
      }
    }
  }
}

function lintResources(statement: PolicyStatement, at: Path, issues: LintIssue[]): void {
  if (statement.Resource === undefined && statement.NotResource === undefined) {
    issues.push(issue(at, 'warning', 'resource_missing', 'the statement names no Resource; write "Resource": "*" for every resource', 'ステートメントに Resource がありません。すべてのリソースなら "Resource": "*" と書いてください'));
  }
  for (const element of ['Resource', 'NotResource'] as const) {
    for (const { value, at: where } of each(statement[element], [...at, element])) {
      if (value === '*' || (value.startsWith('arn:') && value.split(':').length >= 6)) continue;
      issues.push(issue(where, 'error', 'resource_malformed', `"${value}" is neither "*" nor an ARN (arn:partition:service:region:account:resource)`, `"${value}" は "*" でも ARN（arn:partition:service:region:account:resource）でもありません`));
    }
  }
}

const isStar = (v: string | string[] | undefined) => v === '*' || (Array.isArray(v) && v.length === 1 && v[0] === '*');

/** RCPFullAWSAccess, the AWS-managed default that every target carries: the one Allow an RCP may hold. */
const isRcpFullAccess = (s: PolicyStatement) =>
  s.Principal === '*' && isStar(s.Action) && isStar(s.Resource) && s.Condition === undefined && s.NotResource === undefined;

function lintRcpStatement(statement: PolicyStatement, at: Path, issues: LintIssue[]): void {
  if (statement.Effect === 'Allow' && !isRcpFullAccess(statement)) {
    issues.push(issue([...at, 'Effect'], 'error', 'rcp_allow_unsupported', 'RCPs deny only: Allow is reserved for the AWS-managed RCPFullAWSAccess', 'RCP は拒否（Deny）のみです。Allow は AWS 管理の RCPFullAWSAccess だけが使えます'));
  }
  if (statement.Principal === undefined) {
    issues.push(issue(at, 'error', 'rcp_principal_required', 'an RCP statement needs "Principal": "*"; narrow it with conditions such as aws:PrincipalOrgID', 'RCP のステートメントには "Principal": "*" が必要です。対象は aws:PrincipalOrgID などの条件で絞ってください'));
  } else if (statement.Principal !== '*') {
    issues.push(issue([...at, 'Principal'], 'error', 'rcp_principal_required', 'in an RCP the Principal is always "*"; narrow it with conditions such as aws:PrincipalOrgID', 'RCP の Principal は常に "*" です。対象は aws:PrincipalOrgID などの条件で絞ってください'));
  }
  if (statement.NotPrincipal !== undefined) {
    issues.push(issue([...at, 'NotPrincipal'], 'error', 'rcp_not_principal_unsupported', 'RCPs do not support NotPrincipal; use "Principal": "*" with a condition', 'RCP は NotPrincipal を使えません。"Principal": "*" と条件を使ってください'));
  }
  if (statement.NotAction !== undefined) {
    issues.push(issue([...at, 'NotAction'], 'error', 'rcp_not_action_unsupported', 'RCPs do not support NotAction; list the actions', 'RCP は NotAction を使えません。アクションを列挙してください'));
  }
}
