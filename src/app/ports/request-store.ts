import type { RunFailure, RunStatus, StepRecord } from './workflow-store.js';

/** An accepted account request, joined with the state of its provisioning run. */
export type AccountRequestView = {
  id: string;
  batchId: string | null;
  organisationId: string;
  systemId: string;
  environment: string;
  accountName: string;
  email: string;
  requestedBy: string;
  createdAt: Date;
  status: RunStatus;
  currentStep: string | null;
  failure: RunFailure | null;
  providerAccountId: string | null;
  finishedAt: Date | null;
};

export type NewAccountRequest = Omit<AccountRequestView, 'createdAt' | 'status' | 'currentStep' | 'failure' | 'providerAccountId' | 'finishedAt'>;

export type RequestFilter = { organisationId?: string; batchId?: string; status?: RunStatus; limit: number; after?: string };

export interface RequestStore {
  /** Stores the requests and starts their runs in one transaction: all or nothing. */
  submit(requests: { request: NewAccountRequest; run: { workflow: string; input: Record<string, unknown>; firstStep: string; needsSlot: string | null } }[], now: Date): Promise<void>;
  get(id: string): Promise<AccountRequestView | undefined>;
  /** Ordered by creation, oldest first; `after` is the id of the last request seen. */
  list(filter: RequestFilter): Promise<AccountRequestView[]>;
  countByStatus(filter: { batchId?: string; organisationId?: string }): Promise<Record<RunStatus, number>>;
  /** Which of these names and e-mails are already requested or held by an account. */
  taken(names: string[], emails: string[]): Promise<{ names: string[]; emails: string[] }>;
  steps(id: string): Promise<StepRecord[]>;
  /**
   * After an abandon: if no account record holds the request's name and e-mail any more (nothing was
   * created at the provider), marks the request released so both can be requested again. Returns
   * whether it released them.
   */
  releaseAbandoned(id: string, now: Date): Promise<boolean>;
}
