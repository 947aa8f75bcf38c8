/**
 * The cloud port: what the control plane asks of a provider's landing zone. Shapes follow the
 * AWS APIs they stand for (Organizations, IAM Identity Center, Support) so the AWS driver is a thin
 * translation and the simulated twin can be checked against the same contract suite.
 */

export type CreateAccountState = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

/** Organizations' CreateAccountStatus.FailureReason values that we act on. */
export type CreateAccountFailureReason =
  | 'EMAIL_ALREADY_EXISTS'
  | 'CONCURRENT_ACCOUNT_MODIFICATION'
  | 'ACCOUNT_LIMIT_EXCEEDED'
  | 'INVALID_EMAIL'
  | 'INVALID_ADDRESS'
  | 'INTERNAL_FAILURE';

export type CreateAccountStatus = {
  /** The provider's request id (car-… on AWS). */
  id: string;
  accountName: string;
  state: CreateAccountState;
  requestedAt: Date;
  completedAt?: Date;
  accountId?: string;
  failureReason?: CreateAccountFailureReason;
};

export type CloudAccount = {
  id: string;
  arn: string;
  name: string;
  email: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
  joinedAt: Date;
};

export type OrganizationalUnit = { id: string; arn: string; name: string; parentId: string };

export type IdentityGroup = { groupId: string; displayName: string; description?: string };

export type PermissionSet = { arn: string; name: string; description?: string; sessionDuration: string };

/** An identity store user (IdentityStore CreateUser / ListUsers): one per person, never one permission set per person. */
export type IdentityUser = { userId: string; userName: string; displayName: string; email: string };

export type AccountAssignment = {
  accountId: string;
  permissionSetArn: string;
  principalType: 'GROUP' | 'USER';
  principalId: string;
};

export type AssignmentStatus = { requestId: string; status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED'; failureReason?: string };

export type SupportPlan = 'BASIC' | 'DEVELOPER' | 'BUSINESS' | 'ENTERPRISE';

/** One activity-log record in CloudTrail's event shape. */
export type ActivityEvent = {
  eventId: string;
  eventTime: Date;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  userIdentity: {
    type: string;
    principalId: string;
    arn: string;
    accountId: string;
    /** For a role session: the role behind it, with its path (what aws:PrincipalArn names). */
    sessionContext?: { sessionIssuer: { type: 'Role'; principalId: string; arn: string; accountId: string; userName: string } };
    /** The service that made the call for the principal (Cloud Control for the service calls of a resource write). */
    invokedBy?: string;
  };
  recipientAccountId: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  /** CloudTrail's `resources`: what the call touched, with the account that owns each (what RCPs judge). */
  resources?: { ARN: string; accountId?: string; type?: string }[];
  errorCode?: string;
  errorMessage?: string;
  /** CloudTrail's readOnly: false for calls that change something (what an SCP audit replays). */
  readOnly?: boolean;
};

/** CloudTrail's userIdentity.type of a caller. */
export type CallerType = 'AssumedRole' | 'IAMUser' | 'Root' | 'FederatedUser' | 'AWSService';

/**
 * Who makes a call inside a member account: a role session (`arn:aws:sts::<account>:assumed-role/<role>/<session>`),
 * an IAM user, the root user, or a service principal's name. SCPs judge its calls.
 */
export type CallerIdentity = { arn: string; type: CallerType; principalId?: string };

export type PolicyType = 'SERVICE_CONTROL_POLICY';

/** Organizations' Policy (PolicySummary plus its content). */
export type OrganizationPolicy = {
  id: string;
  arn: string;
  name: string;
  description: string;
  type: PolicyType;
  /** True for AWS-managed policies such as FullAWSAccess. */
  awsManaged: boolean;
  /** The IAM policy document, as JSON text. */
  content: string;
};

/**
 * Error codes follow the AWS exception names so retry policy is written once for every driver.
 * `retryable` says whether the same call may succeed later without anyone changing anything.
 */
export type CloudErrorCode =
  | 'TooManyRequestsException'
  | 'ConcurrentModificationException'
  | 'ServiceException'
  | 'ConstraintViolationException'
  | 'DuplicateOrganizationalUnitException'
  | 'AccountNotFoundException'
  | 'ParentNotFoundException'
  | 'OrganizationalUnitNotFoundException'
  | 'DuplicateAccountException'
  | 'SourceParentNotFoundException'
  | 'DestinationParentNotFoundException'
  | 'ConflictException'
  | 'ServiceQuotaExceededException'
  | 'ResourceNotFoundException'
  | 'AccessDeniedException'
  | 'ValidationException'
  | 'InvalidInputException'
  | 'CreateAccountStatusNotFoundException'
  | 'ChildNotFoundException'
  | 'PolicyNotFoundException'
  | 'TargetNotFoundException'
  | 'DuplicatePolicyException'
  | 'DuplicatePolicyAttachmentException'
  | 'PolicyNotAttachedException'
  | 'PolicyInUseException'
  | 'PolicyChangesNotAllowedException'
  | 'MalformedPolicyDocumentException';

export class CloudError extends Error {
  readonly code: CloudErrorCode;
  readonly retryable: boolean;
  /** A finer reason inside the code, e.g. ConstraintViolationException's Reason field. */
  readonly reason: string | undefined;

  constructor(code: CloudErrorCode, message: string, options: { retryable?: boolean; reason?: string } = {}) {
    super(message);
    this.name = 'CloudError';
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.reason = options.reason;
  }
}

const RETRYABLE_BY_DEFAULT = new Set<CloudErrorCode>([
  'TooManyRequestsException',
  'ConcurrentModificationException',
  'ServiceException',
  'ConflictException',
]);

export type Page<T> = { items: T[]; nextToken?: string };

/**
 * One resource as Cloud Control API's GetResource/ListResources describe it: its type, its primary
 * `identifier` (the physical id) and its `properties` in CloudFormation's shape (Cloud Control sends
 * them as a JSON string; the port parses it). `region` is 'global' for IAM, as AWS Config records it.
 */
export type CloudResource = {
  accountId: string;
  region: string;
  typeName: string;
  identifier: string;
  arn?: string;
  properties: Record<string, unknown>;
  updatedAt: Date;
};

/** Names one resource. Without a region: the driver's home region, or 'global' for IAM types. */
export type ResourceRef = { accountId: string; region?: string; typeName: string; identifier: string };

export type ResourceOperation = 'CREATE' | 'UPDATE' | 'DELETE';

/** One entry of the resource change feed (on AWS: Config's configuration item changes). */
export type ResourceChange = { accountId: string; region: string; typeName: string; identifier: string; operation: ResourceOperation; changedAt: Date };

/** A read of the change feed: the changes after the given cursor, oldest first, and the cursor to pass next. */
export type ResourceChanges = { changes: ResourceChange[]; cursor: string };

export interface CloudDriver {
  /** 'simulated', 'aws', … */
  readonly provider: string;
  /** How many account creations the provider runs at once (Organizations and Control Tower: 5). */
  readonly accountCreationConcurrency: number;

  // Organizations
  describeOrganizationRoot(): Promise<{ id: string; arn: string }>;
  listOrganizationalUnitsForParent(parentId: string, nextToken?: string): Promise<Page<OrganizationalUnit>>;
  createOrganizationalUnit(parentId: string, name: string): Promise<OrganizationalUnit>;
  createAccount(input: { email: string; accountName: string; tags?: Record<string, string> }): Promise<CreateAccountStatus>;
  describeCreateAccountStatus(requestId: string): Promise<CreateAccountStatus>;
  listCreateAccountStatus(states: CreateAccountState[], nextToken?: string): Promise<Page<CreateAccountStatus>>;
  listAccounts(nextToken?: string): Promise<Page<CloudAccount>>;
  describeAccount(accountId: string): Promise<CloudAccount>;
  /** Organizations' ListTagsForResource: the tags given at CreateAccount, e.g. hatoba:request. */
  listTagsForResource(resourceId: string): Promise<Record<string, string>>;
  listParents(accountId: string): Promise<{ id: string; type: 'ROOT' | 'ORGANIZATIONAL_UNIT' }>;
  /** The accounts directly under a root or OU (Organizations ListAccountsForParent). */
  listAccountsForParent(parentId: string, nextToken?: string): Promise<Page<CloudAccount>>;
  moveAccount(input: { accountId: string; sourceParentId: string; destinationParentId: string }): Promise<void>;

  // Organizations policies (the twin enforces SCPs on simulated tenant calls: enforcement.ts)
  createPolicy(input: { name: string; description?: string; content: string; type?: PolicyType }): Promise<OrganizationPolicy>;
  /** targetId: a root, OU or account id. */
  attachPolicy(policyId: string, targetId: string): Promise<void>;
  detachPolicy(policyId: string, targetId: string): Promise<void>;
  listPoliciesForTarget(targetId: string, type: PolicyType, nextToken?: string): Promise<Page<OrganizationPolicy>>;
  /** Every policy of a type in the organisation (Organizations ListPolicies). */
  listPolicies(type: PolicyType, nextToken?: string): Promise<Page<OrganizationPolicy>>;
  /** Organizations UpdatePolicy; AWS-managed policies cannot be changed (PolicyChangesNotAllowedException). */
  updatePolicy(policyId: string, changes: { name?: string; description?: string; content?: string }): Promise<OrganizationPolicy>;
  /** Organizations DeletePolicy; PolicyInUseException while it is attached anywhere. */
  deletePolicy(policyId: string): Promise<void>;

  // IAM Identity Center (identity store + SSO admin)
  listGroups(filter: { displayName?: string }, nextToken?: string): Promise<Page<IdentityGroup>>;
  createGroup(input: { displayName: string; description?: string }): Promise<IdentityGroup>;
  listPermissionSets(nextToken?: string): Promise<Page<PermissionSet>>;
  createPermissionSet(input: { name: string; description?: string; sessionDuration?: string }): Promise<PermissionSet>;
  createAccountAssignment(assignment: AccountAssignment): Promise<AssignmentStatus>;
  describeAccountAssignmentCreationStatus(requestId: string): Promise<AssignmentStatus>;
  listAccountAssignments(accountId: string, permissionSetArn: string, nextToken?: string): Promise<Page<AccountAssignment>>;
  /** SSO admin DeleteAccountAssignment: asynchronous like creation; deleting one that does not exist succeeds. */
  deleteAccountAssignment(assignment: AccountAssignment): Promise<AssignmentStatus>;
  describeAccountAssignmentDeletionStatus(requestId: string): Promise<AssignmentStatus>;
  /** IdentityStore ListUsers, filtered on UserName by exact match. */
  listUsers(filter: { userName?: string }, nextToken?: string): Promise<Page<IdentityUser>>;
  /** IdentityStore CreateUser; ConflictException (not retryable) for a UserName already taken. */
  createUser(input: { userName: string; displayName: string; email: string }): Promise<IdentityUser>;
  /** IdentityStore DeleteUser; ResourceNotFoundException when it does not exist. Its assignments go with it. */
  deleteUser(userId: string): Promise<void>;

  // Support
  getSupportPlan(accountId: string): Promise<SupportPlan>;
  enrolSupportPlan(accountId: string, plan: SupportPlan): Promise<void>;

  // Activity log (CloudTrail LookupEvents)
  /** `maxResults`: events per page, 1 to 50 (LookupEvents' MaxResults; 50 when absent). */
  lookupEvents(filter: { accountId?: string; eventName?: string; since?: Date; maxResults?: number }, nextToken?: string): Promise<Page<ActivityEvent>>;

  // Resources (Cloud Control API) and their change feed, what the detective guardrails evaluate
  /**
   * Creates or replaces a resource's properties (Cloud Control CreateResource / UpdateResource).
   * `caller`: a tenant principal of the resource's account, whose write the SCPs judge (AccessDeniedException
   * when they deny it; nothing is written). Absent: the platform itself, from the management account.
   */
  putResource(input: ResourceRef & { arn?: string; properties: Record<string, unknown> }, caller?: CallerIdentity): Promise<CloudResource>;
  /** Cloud Control DeleteResource; ResourceNotFoundException when it does not exist. `caller` as for putResource. */
  deleteResource(ref: ResourceRef, caller?: CallerIdentity): Promise<void>;
  getResource(ref: ResourceRef): Promise<CloudResource>;
  /** The live resources of one account, of one type and region when given. */
  listResources(accountId: string, filter?: { typeName?: string; region?: string }, nextToken?: string): Promise<Page<CloudResource>>;
  /** At most `limit` changes after `cursor` (from the first change when undefined), oldest first. */
  readResourceChanges(cursor: string | undefined, limit: number): Promise<ResourceChanges>;
}
