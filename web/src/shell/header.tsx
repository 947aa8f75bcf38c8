import type { Me } from '../api/contracts';
import { ROLE_LABELS } from '../api/contracts';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router/router';
import { LanguageSwitch } from './language-switch';
import { SignOutButton } from './sign-out';

/** The product, the person and their role, the language, sign-out. */
export function Header({ me }: { me: Me | undefined }) {
  const { t, label } = useI18n();
  const roles = me?.roles.map((r) => label(ROLE_LABELS[r])).join('、') ?? '';
  return (
    <header className="border-b border-solid-gray-200 bg-white">
      <div className="mx-auto flex max-w-[80rem] flex-wrap items-center justify-between gap-4 px-4 py-3 md:px-8">
        <p className="flex flex-wrap items-baseline gap-x-3">
          <Link to="/" className="text-std-24B-150 text-solid-gray-900 no-underline hover:underline">
            {t.productName}
          </Link>
          <span className="text-std-16N-170 text-solid-gray-600">{t.productTagline}</span>
        </p>
        <div className="flex flex-wrap items-center gap-4">
          {me !== undefined && (
            <dl className="text-dns-16N-130" data-testid="signed-in">
              <div className="flex gap-2">
                <dt className="sr-only">{t.header.signedInAs}</dt>
                <dd className="font-bold">{me.name}</dd>
              </div>
              <div className="flex gap-2 text-solid-gray-600">
                <dt className="sr-only">{t.header.role}</dt>
                <dd>
                  {roles}
                  {me.tenant !== null && ` ・ ${label({ ja: me.tenant.nameJa, en: me.tenant.nameEn })}`}
                </dd>
              </div>
            </dl>
          )}
          <LanguageSwitch />
          {me !== undefined && <SignOutButton csrfToken={me.csrfToken} />}
        </div>
      </div>
    </header>
  );
}
