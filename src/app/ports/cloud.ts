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
  userIdentity: { type: string; principalId: string; arn: string; accountId: string };
  recipientAccountId: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  /** CloudTrail's readOnly: false for calls that change something (what an SCP audit replays). */
  readOnly?: boolean;
};

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
  moveAccount(input: { accountId: string; sourceParentId: string; destinationParentId: string }): Promise<void>;

  // Organizations policies (stored now; enforcement comes with the guardrails)
  createPolicy(input: { name: string; description?: string; content: string; type?: PolicyType }): Promise<OrganizationPolicy>;
  /** targetId: a root, OU or account id. */
  attachPolicy(policyId: string, targetId: string): Promise<void>;
  detachPolicy(policyId: string, targetId: string): Promise<void>;
  listPoliciesForTarget(targetId: string, type: PolicyType, nextToken?: string): Promise<Page<OrganizationPolicy>>;

  // IAM Identity Center (identity store + SSO admin)
  listGroups(filter: { displayName?: string }, nextToken?: string): Promise<Page<IdentityGroup>>;
  createGroup(input: { displayName: string; description?: string }): Promise<IdentityGroup>;
  listPermissionSets(nextToken?: string): Promise<Page<PermissionSet>>;
  createPermissionSet(input: { name: string; description?: string; sessionDuration?: string }): Promise<PermissionSet>;
  createAccountAssignment(assignment: AccountAssignment): Promise<AssignmentStatus>;
  describeAccountAssignmentCreationStatus(requestId: string): Promise<AssignmentStatus>;
  listAccountAssignments(accountId: string, permissionSetArn: string, nextToken?: string): Promise<Page<AccountAssignment>>;

  // Support
  getSupportPlan(accountId: string): Promise<SupportPlan>;
  enrolSupportPlan(accountId: string, plan: SupportPlan): Promise<void>;

  // Activity log (CloudTrail LookupEvents)
  lookupEvents(filter: { accountId?: string; eventName?: string; since?: Date }, nextToken?: string): Promise<Page<ActivityEvent>>;
}
