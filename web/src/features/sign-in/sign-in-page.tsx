import { AUTH_PATHS } from '../../api/contracts';
import { query } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { isLocalPath } from '../../router/match';
import { useLocation } from '../../router/router';
import { button, card } from '../../ui/classes';
import { PageTitle } from '../../ui/page-title';

/**
 * Shown for any address while nobody is signed in. The button leads to the server's sign-in flow,
 * which comes back to the page asked for (`returnTo`, a local path only; the server checks it again).
 */
export function SignInPage() {
  const { t } = useI18n();
  const location = useLocation();
  const returnTo = isLocalPath(location) && location !== '/sign-in' ? location : '/';
  return (
    <div className={`${card} max-w-[48rem]`}>
      <PageTitle>{t.signIn.title}</PageTitle>
      <p className="mb-4 text-std-16N-170">{t.signIn.lead}</p>
      <p className="mb-6 text-std-16N-170">{t.signIn.how}</p>
      <a href={`${AUTH_PATHS.signIn}${query({ returnTo })}`} className={button.primary}>
        {t.signIn.button}
      </a>
      <p className="mt-4 text-std-16N-170 text-solid-gray-600">{t.signIn.after}</p>
    </div>
  );
}
