import type { DetectiveEvaluator } from '../../guardrails/detective/evaluator.js';
import type { Clock } from '../ports/clock.js';
import type { CloudDriver } from '../ports/cloud.js';
import type { FindingsStore } from '../ports/findings-store.js';
import type { RegistryStore } from '../ports/registry-store.js';

/** What the detective guardrails need: one provider's resources, the findings store, the registry (who owns what). */
export type PostureDeps = {
  cloud: Pick<CloudDriver, 'provider' | 'listResources' | 'readResourceChanges'>;
  store: FindingsStore;
  registry: RegistryStore;
  clock: Clock;
  /** The catalog's controls as an evaluator, built once (the catalog is read and compiled on first use). */
  evaluator: () => Promise<DetectiveEvaluator>;
};

/** The change-feed cursor of a provider's incremental evaluation. */
export const cursorName = (provider: string): string => `detective:${provider}`;
