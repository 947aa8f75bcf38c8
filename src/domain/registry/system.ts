import { z } from 'zod';
import type { Label } from './labels.js';

/**
 * Cloud providers a system can live on. The Government Cloud has contracts with five providers and
 * one rule: a system lives on exactly one of them. `simulated` is the digital twin.
 */
export const CLOUD_PROVIDERS = ['simulated', 'aws', 'google_cloud', 'azure', 'oci', 'sakura'] as const;
export const CloudProvider = z.enum(CLOUD_PROVIDERS);
export type CloudProvider = z.infer<typeof CloudProvider>;

export const CLOUD_PROVIDER_LABELS: Record<CloudProvider, Label> = {
  simulated: { ja: 'シミュレーション(デジタルツイン)', en: 'Simulated (digital twin)' },
  aws: { ja: 'Amazon Web Services', en: 'Amazon Web Services' },
  google_cloud: { ja: 'Google Cloud', en: 'Google Cloud' },
  azure: { ja: 'Microsoft Azure', en: 'Microsoft Azure' },
  oci: { ja: 'Oracle Cloud Infrastructure', en: 'Oracle Cloud Infrastructure' },
  sakura: { ja: 'さくらのクラウド', en: 'Sakura Cloud' },
};

/**
 * Attributes describe a system for placement and reporting, e.g. `classification: confidential`,
 * `workload: security`. Keys are lower snake case so rules can name them without quoting.
 */
export const AttributeKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower snake case (a-z, 0-9, _), at most 40 characters');
export const SystemAttributes = z
  .record(AttributeKey, z.string().trim().min(1, 'must not be empty').max(100))
  .refine((attributes) => Object.keys(attributes).length <= 20, 'at most 20 attributes');
export type SystemAttributes = z.infer<typeof SystemAttributes>;

/**
 * The slug is ASCII because account names are built from it and the providers accept only printable
 * ASCII there (AWS: [\u0020-\u007E], at most 50 characters).
 */
export const SystemSlug = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,22}[a-z0-9])?$/, 'must be 1–24 characters of a-z, 0-9 and inner hyphens'));

export const SystemInput = z.object({
  slug: SystemSlug,
  nameJa: z.string().trim().min(1, 'must not be empty').max(200),
  nameEn: z.string().trim().min(1, 'must not be empty').max(200),
  provider: CloudProvider,
  attributes: SystemAttributes.default({}),
});
export type SystemInput = z.input<typeof SystemInput>;
export type NewSystem = z.output<typeof SystemInput>;

export const System = z.object({
  id: z.string(),
  organisationId: z.string(),
  slug: z.string(),
  nameJa: z.string(),
  nameEn: z.string(),
  provider: CloudProvider,
  attributes: z.record(z.string(), z.string()),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type System = z.infer<typeof System>;
