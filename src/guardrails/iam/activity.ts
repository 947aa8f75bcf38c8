import { parseAddress } from './ip.js';
import { accountOfArn, type AuthorizationRequest, type PrincipalType, type RequestPrincipal } from './request.js';

/**
 * From a CloudTrail-shaped event (what the twin's activity log holds) to the request that policies
 * would have judged. Only the fields the replay needs; the app's ActivityEvent fits this shape.
 */
export type TrailEvent = {
  eventId?: string;
  eventTime: Date | string;
  /** `ec2.amazonaws.com`. */
  eventSource: string;
  eventName: string;
  awsRegion: string;
  recipientAccountId: string;
  userIdentity: {
    type: string;
    arn?: string;
    accountId?: string;
    /** Set when a service made the call for the principal (or is the principal). */
    invokedBy?: string;
    sessionContext?: { sessionIssuer?: { arn?: string } };
  };
  /** CloudTrail's `resources`: the resources the call touched and the accounts that own them. */
  resources?: readonly { ARN?: string; accountId?: string; type?: string }[] | null;
  requestParameters?: Record<string, unknown> | null;
  sourceIPAddress?: string;
  errorCode?: string;
};

/** CloudTrail event sources whose host is not the IAM service prefix. */
const PREFIX_OF_SOURCE: Readonly<Record<string, string>> = { monitoring: 'cloudwatch', email: 'ses' };

/** `ec2.amazonaws.com` + `RunInstances` -> `ec2:RunInstances`; Lambda's dated names (`GetFunction20150331v2`) lose the date. */
export function actionOf(eventSource: string, eventName: string): string {
  const host = eventSource.endsWith('.amazonaws.com') ? eventSource.slice(0, -'.amazonaws.com'.length) : eventSource.split('.')[0] ?? eventSource;
  const prefix = PREFIX_OF_SOURCE[host] ?? host.split('.')[0] ?? host;
  return `${prefix}:${eventName.replace(/\d{8}(v\d+)?$/, '')}`;
}

const TYPE: Readonly<Record<string, PrincipalType>> = {
  Root: 'root',
  IAMUser: 'user',
  AssumedRole: 'assumed-role',
  Role: 'role',
  FederatedUser: 'federated-user',
  AWSService: 'service',
};

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The resource ARNs of an event: its `resources`, else the few request parameters that name a resource
 * unambiguously (S3 bucketName, IAM roleName / userName, CloudTrail name), else `*` (unknown: only
 * statements about every resource can match it).
 */
export function resourcesOf(event: TrailEvent, action: string, account: string): string[] {
  const listed = (event.resources ?? []).flatMap((r) => (r.ARN === undefined ? [] : [r.ARN]));
  if (listed.length > 0) return listed;
  const params = event.requestParameters ?? {};
  const service = action.slice(0, action.indexOf(':'));
  const bucket = text(params.bucketName);
  if (service === 's3' && bucket !== undefined) return [`arn:aws:s3:::${bucket}`];
  const role = text(params.roleName);
  if (service === 'iam' && role !== undefined) return [`arn:aws:iam::${account}:role/${role}`];
  const user = text(params.userName);
  if (service === 'iam' && user !== undefined) return [`arn:aws:iam::${account}:user/${user}`];
  const trail = text(params.name) ?? text(params.trailName);
  if (service === 'cloudtrail' && trail !== undefined) return [trail.startsWith('arn:') ? trail : `arn:aws:cloudtrail:${event.awsRegion}:${account}:trail/${trail}`];
  return ['*'];
}


/**
 * Maps events to requests, keeping what repeats: the action of each event source and name, and the
 * caller of each `userIdentity` object (a parser that shares identities between events saves the work,
 * and the memo recognises the caller by identity).
 */
export function eventMapper(managementAccountId?: string): (event: TrailEvent) => AuthorizationRequest | string {
  const actions = new Map<string, Map<string, string>>();
  const callers = new WeakMap<object, RequestPrincipal | string>();
  const actionFor = (source: string, name: string): string => {
    let byName = actions.get(source);
    if (byName === undefined) actions.set(source, (byName = new Map()));
    let action = byName.get(name);
    if (action === undefined) byName.set(name, (action = actionOf(source, name)));
    return action;
  };
  return (event) => {
    const identity = event.userIdentity;
    let principal = callers.get(identity);
    if (principal === undefined) callers.set(identity, (principal = callerOf(event)));
    if (typeof principal === 'string') return principal;
    const action = actionFor(event.eventSource, event.eventName);
    const resources = resourcesFor(event, action);
    const resourceAccount = ownerOf(event, resources);
    const sourceIp = event.sourceIPAddress !== undefined && parseAddress(event.sourceIPAddress) !== undefined ? event.sourceIPAddress : undefined;
    // One object shape for every event (no spreads): the replay builds a million of them.
    return {
      principal,
      action,
      resources,
      resourceAccount,
      region: event.awsRegion,
      currentTime: typeof event.eventTime === 'string' ? new Date(event.eventTime) : event.eventTime,
      viaAWSService: principal.type === 'service' ? undefined : identity.invokedBy !== undefined,
      sourceIp,
      managementAccountId,
    };
  };
}

const ANY: readonly string[] = ['*'];

const resourcesFor = (event: TrailEvent, action: string): readonly string[] =>
  (event.resources ?? undefined) === undefined && (event.requestParameters ?? undefined) === undefined ? ANY : resourcesOf(event, action, event.recipientAccountId);

const ownerOf = (event: TrailEvent, resources: readonly string[]): string =>
  event.resources?.find((r) => r.accountId !== undefined)?.accountId ?? accountOfArn(resources[0] ?? '*') ?? event.recipientAccountId;

/**
 * The account that owns what a call touched (aws:ResourceAccount; what RCPs judge): the owner CloudTrail
 * names in `resources`, else the account in the resource's ARN, else the account whose trail has the call.
 */
export function resourceAccountOf(event: TrailEvent): string {
  return ownerOf(event, resourcesFor(event, actionOf(event.eventSource, event.eventName)));
}

/** The account of the principal that made a call (what SCPs judge). */
export const principalAccountOf = (event: TrailEvent): string => event.userIdentity.accountId || event.recipientAccountId;

/** The caller of an event, or why IAM policies do not judge it. */
function callerOf(event: TrailEvent): RequestPrincipal | string {
  const identity = event.userIdentity;
  const type = TYPE[identity.type];
  if (type === undefined) return `caller type ${identity.type}`;
  const accountId = principalAccountOf(event);
  const arn = type === 'service' ? (identity.invokedBy ?? event.eventSource) : identity.arn;
  if (arn === undefined) return 'caller without an ARN';
  const roleArn = identity.sessionContext?.sessionIssuer?.arn;
  return { arn, accountId, type, ...(roleArn === undefined ? {} : { roleArn }) };
}

/** The request an event stands for, or why it cannot be replayed (a caller type IAM policies do not judge). */
export function requestOfEvent(event: TrailEvent, managementAccountId?: string): { request: AuthorizationRequest } | { skip: string } {
  const mapped = eventMapper(managementAccountId)(event);
  return typeof mapped === 'string' ? { skip: mapped } : { request: mapped };
}
