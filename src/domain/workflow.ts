import { z } from 'zod';

/** Where a workflow run stands; shared by the store, the API contracts and the portal. */
export const RUN_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'abandoned'] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

export const StepStatus = z.enum(['running', 'waiting', 'succeeded', 'failed']);
export type StepStatus = z.infer<typeof StepStatus>;

/** Why a run stopped for an operator, and what the operator can do. */
export const RunFailure = z.object({ step: z.string(), code: z.string(), message: z.string(), action: z.string(), at: z.string() });
export type RunFailure = z.infer<typeof RunFailure>;

export const StepError = z.object({ code: z.string(), message: z.string(), at: z.string() });
export type StepError = z.infer<typeof StepError>;
