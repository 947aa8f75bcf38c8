import type { Clock } from '../app/ports/clock.js';
import type { PeopleStore } from '../app/ports/people-store.js';
import type { SessionStore, StoredApiToken } from '../app/ports/session-store.js';
import type { IdGenerator } from '../app/registry/ids.js';
import type { Principal } from '../domain/access/principal.js';
import { DomainError } from '../domain/errors.js';
import { principalForPerson } from './principal.js';
import { newSecret, sha256Hex } from './secrets.js';

/**
 * Bearer API tokens for the CLI and automation, bound to one person and acting with that person's
 * roles as they are now. The token is shown once; the store keeps its SHA-256. The prefix lets
 * secret scanners recognise a leaked token.
 */
export const TOKEN_PREFIX = 'hatoba_';
export const MAX_TOKEN_DAYS = 365;
export const DEFAULT_TOKEN_DAYS = 30;
const TOKEN_SHAPE = /^hatoba_[A-Za-z0-9_-]{43}$/;
const TOUCH_EVERY_MS = 60_000;

export type TokenDeps = { store: SessionStore; people: PeopleStore; clock: Clock; newId: IdGenerator };

export type IssuedToken = { token: string; record: StoredApiToken };

export type ApiTokens = ReturnType<typeof createApiTokens>;

export function createApiTokens(deps: TokenDeps) {
  const { store, people, clock, newId } = deps;
  return {
    /** A new token for an active person, valid for `days` days. */
    async issue(personId: string, options: { name: string; days: number }): Promise<IssuedToken> {
      if (!Number.isInteger(options.days) || options.days < 1 || options.days > MAX_TOKEN_DAYS) {
        throw new DomainError('validation_failed', `有効期間は 1〜${MAX_TOKEN_DAYS} 日です / a token lasts 1 to ${MAX_TOKEN_DAYS} days`, {
          issues: [{ path: ['days'], message: `1〜${MAX_TOKEN_DAYS} で指定してください / must be 1 to ${MAX_TOKEN_DAYS}` }],
        });
      }
      const person = await people.get(personId);
      if (person === undefined || principalForPerson(person, 'token') === undefined) {
        throw new DomainError('not_found', `有効な利用者が見つかりません / no active person ${personId}`);
      }
      const now = clock.now();
      const token = `${TOKEN_PREFIX}${newSecret()}`;
      const record: StoredApiToken = { id: newId('tok'), personId, name: options.name, createdAt: now, expiresAt: new Date(now.getTime() + options.days * 86_400_000), lastUsedAt: null, revokedAt: null };
      await store.createApiToken({ ...record, hash: sha256Hex(token) });
      return { token, record };
    },

    /** The caller behind a bearer token, or undefined (malformed, unknown, revoked, expired, or the person is gone). */
    async resolve(token: string): Promise<{ principal: Principal; token: StoredApiToken } | undefined> {
      if (!TOKEN_SHAPE.test(token)) return undefined;
      const record = await store.findApiTokenByHash(sha256Hex(token));
      const now = clock.now();
      if (record === undefined || record.revokedAt !== null || now >= record.expiresAt) return undefined;
      const person = await people.get(record.personId);
      const principal = person === undefined ? undefined : principalForPerson(person, 'token');
      if (principal === undefined) return undefined;
      if (record.lastUsedAt === null || now.getTime() - record.lastUsedAt.getTime() >= TOUCH_EVERY_MS) await store.touchApiToken(record.id, now);
      return { principal, token: record };
    },

    list: (personId: string): Promise<StoredApiToken[]> => store.listApiTokens(personId),

    /** Revokes one of the person's own tokens; false when they have no such token. */
    revoke: (personId: string, id: string): Promise<boolean> => store.revokeApiToken(personId, id, clock.now()),
  };
}
