import { z } from 'zod';
import type { SessionStore, StoredApiToken, StoredAuthTransaction, StoredSession } from '../app/ports/session-store.js';
import type { Database } from './database.js';

/** Sessions, sign-in transactions and API tokens in SQL (migration 009); rows parsed with zod. */

const SessionRow = z
  .object({
    id_hash: z.string(),
    person_id: z.string(),
    csrf_token: z.string(),
    acr: z.string().nullable(),
    amr: z.array(z.string()),
    id_token: z.string().nullable(),
    created_at: z.date(),
    last_seen_at: z.date(),
    idle_expires_at: z.date(),
    expires_at: z.date(),
  })
  .transform(
    (r): StoredSession => ({
      idHash: r.id_hash,
      personId: r.person_id,
      csrfToken: r.csrf_token,
      acr: r.acr,
      amr: r.amr,
      idToken: r.id_token,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      idleExpiresAt: r.idle_expires_at,
      expiresAt: r.expires_at,
    }),
  );

const TransactionRow = z
  .object({
    id_hash: z.string(),
    state: z.string(),
    nonce: z.string(),
    code_verifier: z.string(),
    return_to: z.string(),
    created_at: z.date(),
    expires_at: z.date(),
  })
  .transform(
    (r): StoredAuthTransaction => ({
      idHash: r.id_hash,
      state: r.state,
      nonce: r.nonce,
      codeVerifier: r.code_verifier,
      returnTo: r.return_to,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
    }),
  );

const TokenRow = z
  .object({
    id: z.string(),
    person_id: z.string(),
    name: z.string(),
    created_at: z.date(),
    expires_at: z.date(),
    last_used_at: z.date().nullable(),
    revoked_at: z.date().nullable(),
  })
  .transform(
    (r): StoredApiToken => ({
      id: r.id,
      personId: r.person_id,
      name: r.name,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
    }),
  );

const TOKEN_COLUMNS = 'id, person_id, name, created_at, expires_at, last_used_at, revoked_at';
const iso = (d: Date): string => d.toISOString();

export function createSessionStore(db: Database): SessionStore {
  return {
    async createSession(s) {
      await db.query(
        `INSERT INTO sessions (id_hash, person_id, csrf_token, acr, amr, id_token, created_at, last_seen_at, idle_expires_at, expires_at)
         VALUES ($1, $2, $3, $4, $5::text[], $6, $7::timestamptz, $8::timestamptz, $9::timestamptz, $10::timestamptz)`,
        [s.idHash, s.personId, s.csrfToken, s.acr, s.amr, s.idToken, iso(s.createdAt), iso(s.lastSeenAt), iso(s.idleExpiresAt), iso(s.expiresAt)],
      );
    },

    async findSession(idHash) {
      const [row] = await db.query('SELECT * FROM sessions WHERE id_hash = $1', [idHash]);
      return row === undefined ? undefined : SessionRow.parse(row);
    },

    async touchSession(idHash, lastSeenAt, idleExpiresAt) {
      await db.query('UPDATE sessions SET last_seen_at = $2::timestamptz, idle_expires_at = $3::timestamptz WHERE id_hash = $1', [idHash, iso(lastSeenAt), iso(idleExpiresAt)]);
    },

    async deleteSession(idHash) {
      const [row] = await db.query('DELETE FROM sessions WHERE id_hash = $1 RETURNING *', [idHash]);
      return row === undefined ? undefined : SessionRow.parse(row);
    },

    async deleteExpired(now) {
      return db.transaction(async (tx) => {
        const sessions = await tx.query('DELETE FROM sessions WHERE expires_at <= $1::timestamptz OR idle_expires_at <= $1::timestamptz RETURNING id_hash', [iso(now)]);
        const transactions = await tx.query('DELETE FROM auth_transactions WHERE expires_at <= $1::timestamptz RETURNING id_hash', [iso(now)]);
        return sessions.length + transactions.length;
      });
    },

    async deleteExpiredSignIns(now, limit) {
      const rows = await db.query(
        `DELETE FROM auth_transactions WHERE id_hash IN (SELECT id_hash FROM auth_transactions WHERE expires_at <= $1::timestamptz ORDER BY expires_at LIMIT $2) RETURNING id_hash`,
        [iso(now), limit],
      );
      return rows.length;
    },

    async createAuthTransaction(t) {
      await db.query(
        `INSERT INTO auth_transactions (id_hash, state, nonce, code_verifier, return_to, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::timestamptz)`,
        [t.idHash, t.state, t.nonce, t.codeVerifier, t.returnTo, iso(t.createdAt), iso(t.expiresAt)],
      );
    },

    async takeAuthTransaction(idHash) {
      const [row] = await db.query('DELETE FROM auth_transactions WHERE id_hash = $1 RETURNING *', [idHash]);
      return row === undefined ? undefined : TransactionRow.parse(row);
    },

    async createApiToken(t) {
      await db.query(
        `INSERT INTO api_tokens (id, hash, person_id, name, created_at, expires_at, last_used_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5::timestamptz, $6::timestamptz, $7::timestamptz, $8::timestamptz)`,
        [t.id, t.hash, t.personId, t.name, iso(t.createdAt), iso(t.expiresAt), t.lastUsedAt === null ? null : iso(t.lastUsedAt), t.revokedAt === null ? null : iso(t.revokedAt)],
      );
    },

    async findApiTokenByHash(hash) {
      const [row] = await db.query(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE hash = $1`, [hash]);
      return row === undefined ? undefined : TokenRow.parse(row);
    },

    async touchApiToken(id, at) {
      await db.query('UPDATE api_tokens SET last_used_at = $2::timestamptz WHERE id = $1', [id, iso(at)]);
    },

    async listApiTokens(personId) {
      const rows = await db.query(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE person_id = $1 AND revoked_at IS NULL ORDER BY id DESC`, [personId]);
      return rows.map((r) => TokenRow.parse(r));
    },

    async revokeApiToken(personId, id, at) {
      const rows = await db.query('UPDATE api_tokens SET revoked_at = $3::timestamptz WHERE id = $1 AND person_id = $2 AND revoked_at IS NULL RETURNING id', [id, personId, iso(at)]);
      return rows.length > 0;
    },
  };
}
