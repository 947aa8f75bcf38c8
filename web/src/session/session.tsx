import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { AUTH_PATHS, Me } from '../api/contracts';
import { SESSION_ENDED, apiGet, setCsrfToken } from '../api/client';
import type { ApiFailure } from '../api/problem';

/** Who is signed in: asked of `GET /auth/me` at start and again whenever a call answers 401. */
export type SessionState = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; me: Me } | { status: 'error'; failure: ApiFailure };

const SessionContext = createContext<{ session: SessionState; refresh: () => void } | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionState>({ status: 'loading' });
  const refresh = useCallback(() => {
    void apiGet(AUTH_PATHS.me, Me).then((result) => {
      if (result.ok) {
        setCsrfToken(result.data.csrfToken);
        setSession({ status: 'signed-in', me: result.data });
        return;
      }
      setCsrfToken(undefined);
      const signedOut = result.failure.kind !== 'network' && result.failure.status === 401;
      setSession(signedOut ? { status: 'signed-out' } : { status: 'error', failure: result.failure });
    });
  }, []);
  useEffect(() => {
    refresh();
    window.addEventListener(SESSION_ENDED, refresh);
    return () => window.removeEventListener(SESSION_ENDED, refresh);
  }, [refresh]);
  return <SessionContext.Provider value={{ session, refresh }}>{children}</SessionContext.Provider>;
}

export function useSession() {
  const value = useContext(SessionContext);
  if (value === undefined) throw new Error('useSession outside SessionProvider');
  return value;
}
