/**
 * The request an IAM policy is evaluated against: who calls (principal), what (action), on what
 * (resources), where (region) and the rest of the request context. `contextFor` turns it into the
 * context keys AWS's global condition keys name, so policies see `aws:PrincipalArn`,
 * `aws:RequestedRegion` … filled from the principal and the region. Internal to the guardrails: plain
 * types, no schema.
 */

export type PrincipalType = 'root' | 'user' | 'role' | 'assumed-role' | 'federated-user' | 'service';

export type ContextScalar = string | number | boolean;
export type ContextValue = ContextScalar | readonly ContextScalar[];

export type RequestPrincipal = {
  /**
   * The caller: an IAM user or role ARN, a role session (`arn:aws:sts::…:assumed-role/Role/session`),
   * the root user (`arn:aws:iam::…:root`), or a service principal's name (`ec2.amazonaws.com`).
   */
  arn: string;
  /** The account the principal belongs to (for a service principal: the account it acts in). */
  accountId: string;
  type: PrincipalType;
  /** For a role session: the role's ARN with its path. Derived from the session ARN (without a path) when absent. */
  roleArn?: string;
  /** aws:PrincipalOrgID, when the principal's organisation is known. */
  orgId?: string;
  /** aws:PrincipalTag/<key>. */
  tags?: Readonly<Record<string, string>>;
  /** A service-linked role (SCPs and RCPs do not restrict it). Derived from the role's path or name when absent. */
  serviceLinked?: boolean;
};

export type AuthorizationRequest = {
  principal: RequestPrincipal;
  /** `service:Action`, e.g. `ec2:RunInstances`; compared case-insensitively. */
  action: string;
  /** The resource ARNs the call touches; `*` (the default) when the action has no resource or it is unknown. */
  resources?: readonly string[];
  /** aws:ResourceAccount; by default the account in the resource's ARN, else the principal's account. */
  resourceAccount?: string;
  /** aws:RequestedRegion. */
  region: string;
  /** aws:ResourceTag/<key>. */
  resourceTags?: Readonly<Record<string, string>>;
  /** aws:CurrentTime and aws:EpochTime. */
  currentTime?: Date;
  /** aws:SecureTransport. */
  secureTransport?: boolean;
  /** aws:ViaAWSService. */
  viaAWSService?: boolean;
  /** aws:SourceIp. */
  sourceIp?: string;
  /** Any other context keys (service keys, aws:MultiFactorAuthPresent …); they override the derived ones. */
  context?: Readonly<Record<string, ContextValue>>;
  /** The organisation's management account: SCPs and RCPs do not apply to it. */
  managementAccountId?: string;
};

/** What the evaluator needs to know about the caller, worked out once per request. */
export type PrincipalFacts = {
  type: PrincipalType;
  arn: string;
  accountId: string;
  /** aws:PrincipalArn: the role's ARN for a session, the caller's ARN otherwise; absent for a service. */
  principalArn: string | undefined;
  /** The role behind a session (or the role itself). */
  roleArn: string | undefined;
  serviceLinked: boolean;
};

const ACCOUNT_ID = /^\d{12}$/;

/** The account in an ARN's fifth field, when it has one (S3 bucket ARNs do not). */
export const accountOfArn = (arn: string): string | undefined => {
  const account = arn.split(':', 5)[4];
  return account !== undefined && ACCOUNT_ID.test(account) ? account : undefined;
};

/** `arn:aws:sts::123:assumed-role/Name/session` -> `arn:aws:iam::123:role/Name` (the path is not in a session ARN). */
export const roleArnOfSession = (sessionArn: string): string | undefined => {
  const match = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(sessionArn);
  return match === null ? undefined : `arn:${match[1]}:iam::${match[2]}:role/${match[3]}`;
};

const SERVICE_LINKED = /:role\/aws-service-role\/|:assumed-role\/AWSServiceRoleFor|:role\/AWSServiceRoleFor/;

export function principalFacts(principal: RequestPrincipal): PrincipalFacts {
  const { type, arn, accountId } = principal;
  const roleArn = type === 'assumed-role' ? (principal.roleArn ?? roleArnOfSession(arn)) : type === 'role' ? arn : undefined;
  const principalArn = type === 'service' ? undefined : type === 'assumed-role' ? (roleArn ?? arn) : type === 'root' ? `arn:aws:iam::${accountId}:root` : arn;
  const serviceLinked = principal.serviceLinked ?? ((type === 'role' || type === 'assumed-role') && (SERVICE_LINKED.test(arn) || SERVICE_LINKED.test(roleArn ?? '')));
  return { type, arn, accountId, principalArn, roleArn, serviceLinked };
}

/** aws:ResourceAccount of one resource of a request. */
export const resourceAccountOf = (request: AuthorizationRequest, resource: string): string =>
  request.resourceAccount ?? accountOfArn(resource) ?? request.principal.accountId;

const PRINCIPAL_TYPE: Record<PrincipalType, string | undefined> = {
  root: 'Account',
  user: 'User',
  role: 'AssumedRole',
  'assumed-role': 'AssumedRole',
  'federated-user': 'FederatedUser',
  service: undefined,
};

const text = (value: ContextScalar): string => (typeof value === 'string' ? value : String(value));

/**
 * The request context: lower-cased key -> its values as text (AWS compares key names
 * case-insensitively; booleans and numbers become the text a policy compares them with). A key that
 * is absent is not in the map; an empty list stands for an empty set of values.
 */
export type RequestContext = { get(key: string): readonly string[] | undefined };

/** The context keys that describe the caller alone (aws:PrincipalTag/<key> too). */
export const PRINCIPAL_KEYS: ReadonlySet<string> = new Set([
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principaltype',
  'aws:principalisawsservice',
  'aws:principalservicename',
  'aws:username',
]);
export const isPrincipalKey = (key: string): boolean => PRINCIPAL_KEYS.has(key) || key.startsWith('aws:principaltag/');

const lowerKeys = (record: Readonly<Record<string, string>> | undefined): Map<string, string> =>
  new Map(Object.entries(record ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

/**
 * The request context of one resource of a request, worked out key by key when a statement reads
 * it (most requests are decided by statements that read one or two keys, if any). Explicit context
 * entries override the derived keys.
 */
export class LazyContext implements RequestContext {
  private explicit: Map<string, readonly string[]> | undefined;
  private principalTags: Map<string, string> | undefined;
  private resourceTags: Map<string, string> | undefined;

  constructor(
    private readonly request: AuthorizationRequest,
    private readonly facts: PrincipalFacts,
    private readonly resource: string,
  ) {}

  get(key: string): readonly string[] | undefined {
    const { request, facts } = this;
    if (request.context !== undefined) {
      this.explicit ??= new Map(Object.entries(request.context).map(([k, v]) => [k.toLowerCase(), typeof v === 'object' ? v.map(text) : [text(v)]]));
      const given = this.explicit.get(key);
      if (given !== undefined) return given;
    }
    const one = (value: string | undefined): readonly string[] | undefined => (value === undefined ? undefined : [value]);
    switch (key) {
      case 'aws:principalarn':
        return one(facts.principalArn);
      case 'aws:principalaccount':
        return facts.type === 'service' ? undefined : [facts.accountId];
      case 'aws:principaltype':
        return one(PRINCIPAL_TYPE[facts.type]);
      case 'aws:principalisawsservice':
        return [facts.type === 'service' ? 'true' : 'false'];
      case 'aws:principalservicename':
        return facts.type === 'service' ? [facts.arn] : undefined;
      case 'aws:username':
        return facts.type === 'user' ? [facts.arn.slice(facts.arn.lastIndexOf('/') + 1)] : undefined;
      case 'aws:principalorgid':
        return one(request.principal.orgId);
      case 'aws:requestedregion':
        return [request.region];
      case 'aws:resourceaccount':
        return [resourceAccountOf(request, this.resource)];
      case 'aws:currenttime':
        return request.currentTime === undefined ? undefined : [request.currentTime.toISOString()];
      case 'aws:epochtime':
        return request.currentTime === undefined ? undefined : [String(Math.floor(request.currentTime.getTime() / 1000))];
      case 'aws:securetransport':
        return request.secureTransport === undefined ? undefined : [String(request.secureTransport)];
      case 'aws:viaawsservice':
        return request.viaAWSService === undefined ? undefined : [String(request.viaAWSService)];
      case 'aws:sourceip':
        return one(request.sourceIp);
    }
    if (key.startsWith('aws:principaltag/')) {
      this.principalTags ??= lowerKeys(request.principal.tags);
      return one(this.principalTags.get(key.slice('aws:principaltag/'.length)));
    }
    if (key.startsWith('aws:resourcetag/')) {
      this.resourceTags ??= lowerKeys(request.resourceTags);
      return one(this.resourceTags.get(key.slice('aws:resourcetag/'.length)));
    }
    return undefined;
  }
}

/** The whole context of one resource of a request, for display and tests. */
export function contextFor(request: AuthorizationRequest, facts: PrincipalFacts, resource: string): ReadonlyMap<string, readonly string[]> {
  const lazy = new LazyContext(request, facts, resource);
  const keys = [
    ...PRINCIPAL_KEYS,
    'aws:requestedregion',
    'aws:resourceaccount',
    'aws:currenttime',
    'aws:epochtime',
    'aws:securetransport',
    'aws:viaawsservice',
    'aws:sourceip',
    ...Object.keys(request.principal.tags ?? {}).map((k) => `aws:principaltag/${k.toLowerCase()}`),
    ...Object.keys(request.resourceTags ?? {}).map((k) => `aws:resourcetag/${k.toLowerCase()}`),
    ...Object.keys(request.context ?? {}).map((k) => k.toLowerCase()),
  ];
  const context = new Map<string, readonly string[]>();
  for (const key of keys) {
    const value = lazy.get(key);
    if (value !== undefined) context.set(key, value);
  }
  return context;
}
