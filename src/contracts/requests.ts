import { z } from 'zod';
import { pageOf } from './common.js';
import { Label } from './registry.js';
import { RunFailure, RunStatus, StepError, StepStatus } from '../domain/workflow.js';

/** Run and step statuses as people read them; the API sends the label next to the value, as for accounts. */
export const RUN_STATUS_LABELS: Record<RunStatus, Label> = {
  pending: { ja: '受付済み', en: 'Pending' },
  running: { ja: '実行中', en: 'Running' },
  succeeded: { ja: '完了', en: 'Succeeded' },
  failed: { ja: '失敗', en: 'Failed' },
  abandoned: { ja: '中止', en: 'Abandoned' },
};
export const STEP_STATUS_LABELS: Record<StepStatus, Label> = {
  running: { ja: '実行中', en: 'Running' },
  waiting: { ja: '待機中', en: 'Waiting' },
  succeeded: { ja: '成功', en: 'Succeeded' },
  failed: { ja: '失敗', en: 'Failed' },
};

/** The most requests one submission may hold (JSON items or CSV rows): all are validated and written in one transaction. */
export const MAX_BATCH_REQUESTS = 5_000;

/** Fields are validated by the use case so that every problem is reported with its location at once. */
export const AccountRequestBody = z
  .object({
    systemId: z.string().optional(),
    tenantCode: z.string().optional(),
    systemName: z.string().optional(),
    environment: z.string(),
    accountName: z.string().optional(),
    email: z.string().optional(),
  })
  .meta({ id: 'AccountRequestInput' });

export const BatchBody = z.object({ requests: z.array(z.unknown()).max(MAX_BATCH_REQUESTS) });

export const PlannedRequest = z.object({
  id: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  email: z.string(),
  systemId: z.string(),
  organisationId: z.string(),
  environment: z.string(),
  ouPath: z.string(),
});

export const SubmitResult = z.object({ dryRun: z.boolean(), batchId: z.string().nullable(), requests: z.array(PlannedRequest) }).meta({ id: 'SubmitResult' });
export type SubmitResult = z.infer<typeof SubmitResult>;

export const AccountRequest = z
  .object({
    id: z.string(),
    batchId: z.string().nullable(),
    organisationId: z.string(),
    systemId: z.string(),
    environment: z.string(),
    accountName: z.string(),
    email: z.string(),
    requestedBy: z.string(),
    createdAt: z.string(),
    status: RunStatus,
    statusLabel: Label,
    currentStep: z.string().nullable(),
    failure: RunFailure.nullable(),
    providerAccountId: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'AccountRequest' });
export type AccountRequest = z.infer<typeof AccountRequest>;

export const StepRecord = z.object({
  step: z.string(),
  status: StepStatus,
  statusLabel: Label,
  attempts: z.number(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  lastError: StepError.nullable(),
});

export const AccountRequestDetail = AccountRequest.extend({ steps: z.array(StepRecord) }).meta({ id: 'AccountRequestDetail' });
export type AccountRequestDetail = z.infer<typeof AccountRequestDetail>;

/** After an abandon: whether the account name and e-mail became free to request again. */
export const AbandonResult = AccountRequestDetail.extend({ released: z.boolean() }).meta({ id: 'AbandonResult' });

export const AccountRequestPage = pageOf(AccountRequest);

export const RequestListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
  organisationId: z.string().optional(),
  batchId: z.string().optional(),
  status: RunStatus.optional(),
});

export const BatchProgress = z.object({
  batchId: z.string(),
  total: z.number(),
  counts: z.object({ pending: z.number(), running: z.number(), succeeded: z.number(), failed: z.number(), abandoned: z.number() }),
});
export type BatchProgress = z.infer<typeof BatchProgress>;
