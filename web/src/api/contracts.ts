/**
 * The one door from the portal to the server's contracts (src/contracts): the same zod schemas the
 * API validates with parse every answer here. Lint allows web/ to import only these browser-safe files.
 */
import type { Problem } from '../../../src/contracts/common.js';
export { Problem } from '../../../src/contracts/common.js';
export type ProblemIssue = Problem['issues'][number];
export { Me, CSRF_HEADER, AUTH_PATHS, ROLE_LABELS } from '../../../src/contracts/session.js';
export {
  Tenant,
  TenantPage,
  SystemPage,
  AccountView,
  AccountPage,
  REGISTRY_VOCABULARY,
  type Label,
  type SystemView,
} from '../../../src/contracts/registry.js';
export { AccountRequestDetail, AccountRequestPage, SubmitResult, type AccountRequest } from '../../../src/contracts/requests.js';
export { AuditEntryPage, AuditVerification, type AuditEntryView } from '../../../src/contracts/audit.js';
export {
  AlertPage,
  AlertView,
  GrantActivityView,
  GrantPage,
  GrantView,
  MAX_GRANT_MINUTES,
  MIN_GRANT_MINUTES,
} from '../../../src/contracts/break-glass.js';
export { PeoplePage, PersonResult, type PersonDetailView } from '../../../src/contracts/people.js';
