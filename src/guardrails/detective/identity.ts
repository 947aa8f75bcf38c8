import { sha256Hex } from './sha256.js';

/**
 * Who a check is about. A resource is known by its account, region, type and physical id
 * (Cloud Control's identifier). The region is part of it because some physical ids repeat across
 * regions (every region's Config recorder is called "default"); IAM lives in 'global'.
 */
export type ResourceIdentity = { accountId: string; region: string; type: string; identifier: string };

/** Account ids, regions and type names never contain '|', so this key is unambiguous (the identifier comes last). */
export const resourceKey = (r: ResourceIdentity): string => `${r.accountId}|${r.region}|${r.type}|${r.identifier}`;

/** The resource part of a finding id: the first 96 bits of SHA-256 over the resource key, in hex. */
export const resourceDigest = (r: ResourceIdentity): string => sha256Hex(resourceKey(r)).slice(0, 24);

/**
 * A finding's id, stable across evaluations, processes and versions: the control id, a dot, and the
 * resource digest — `HTB-EC2-002.3f1c…`. The same control on the same resource is always the same
 * finding, so re-evaluation refreshes, resolves or reopens it instead of creating another.
 */
export const findingId = (controlId: string, r: ResourceIdentity): string => `${controlId}.${resourceDigest(r)}`;
