/**
 * Sign-in state on the server (tables `sessions`, `auth_transactions`, `api_tokens`, migration 009).
 * Cookie values and API tokens never reach the store: callers pass their SHA-256 (hex), so a copy of
 * the database gives nobody a session or a token.
 */

export type StoredSession = {
  idHash: string;
  personId: string;
  csrfToken: string;
  acr: string | null;
  amr: string[];
  /** For the provider's end-session request (id_token_hint); never logged or shown. */
  idToken: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  expiresAt: Date;
};

/** A sign-in in progress: what the callback must check, keyed by the hash of a second cookie. */
export type StoredAuthTransaction = {
  idHash: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  createdAt: Date;
  expiresAt: Date;
};

export type StoredApiToken = {
  id: string;
  personId: string;
  name: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export interface SessionStore {
  createSession(session: StoredSession): Promise<void>;
  findSession(idHash: string): Promise<StoredSession | undefined>;
  /** Records activity: a new last-seen time and idle expiry. */
  touchSession(idHash: string, lastSeenAt: Date, idleExpiresAt: Date): Promise<void>;
  /** Deletes the session and returns what it was (its id token is needed for the provider's sign-out). */
  deleteSession(idHash: string): Promise<StoredSession | undefined>;
  /** Deletes sessions and sign-in transactions that expired before `now`; returns how many rows went. */
  deleteExpired(now: Date): Promise<number>;
  /** Deletes at most `limit` sign-in transactions that expired before `now` (oldest first); returns how many. */
  deleteExpiredSignIns(now: Date, limit: number): Promise<number>;

  createAuthTransaction(transaction: StoredAuthTransaction): Promise<void>;
  /** Deletes the transaction and returns it: each one can be completed once. */
  takeAuthTransaction(idHash: string): Promise<StoredAuthTransaction | undefined>;

  createApiToken(token: StoredApiToken & { hash: string }): Promise<void>;
  findApiTokenByHash(hash: string): Promise<StoredApiToken | undefined>;
  touchApiToken(id: string, at: Date): Promise<void>;
  /** The person's tokens that are not revoked, newest first. */
  listApiTokens(personId: string): Promise<StoredApiToken[]>;
  /** Revokes one of the person's tokens; false when the person has no such unrevoked token. */
  revokeApiToken(personId: string, id: string, at: Date): Promise<boolean>;
}
