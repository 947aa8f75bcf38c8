import { REGISTRY_VOCABULARY, type Label } from '../api/contracts';

/** Labels of the registry's controlled values, from the contracts (no call needed). */
const find = (terms: { value: string; label: Label }[], value: string): Label | undefined => terms.find((t) => t.value === value)?.label;

export const environmentLabel = (value: string): Label => find(REGISTRY_VOCABULARY.environments, value) ?? { ja: value, en: value };
export const contactRoleLabel = (value: string): Label => find(REGISTRY_VOCABULARY.contactRoles, value) ?? { ja: value, en: value };
export const organisationKindLabel = (value: string): Label => find(REGISTRY_VOCABULARY.organisationKinds, value) ?? { ja: value, en: value };
export const accountStatusLabel = (value: string): Label => find(REGISTRY_VOCABULARY.accountStatuses, value) ?? { ja: value, en: value };
