import { useState } from 'react';
import { z } from 'zod';
import { AUTH_PATHS, CSRF_HEADER } from '../api/contracts';
import { useI18n } from '../i18n/i18n';
import { button } from '../ui/classes';

/** Where the server sends the browser after signing out: the provider's end of session, or the start. */
const SignedOut = z.object({ redirectTo: z.string() });

const destination = (payload: unknown): string => {
  const parsed = SignedOut.safeParse(payload);
  if (!parsed.success) return '/';
  try {
    const url = new URL(parsed.data.redirectTo, window.location.origin);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : '/';
  } catch {
    return '/';
  }
};

/** POST /auth/sign-out with the session's CSRF token, then where the server says (the provider signs out too). */
export function SignOutButton({ csrfToken }: { csrfToken: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    setBusy(true);
    let to = '/';
    try {
      const response = await fetch(AUTH_PATHS.signOut, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json', [CSRF_HEADER]: csrfToken } });
      to = destination(await response.json().catch(() => undefined));
    } finally {
      window.location.assign(to);
    }
  };
  return (
    <button type="button" className={button.secondary} onClick={() => void signOut()} disabled={busy}>
      {busy ? t.header.signingOut : t.header.signOut}
    </button>
  );
}
