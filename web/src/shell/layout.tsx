import type { ReactNode } from 'react';
import type { Me } from '../api/contracts';
import { useI18n } from '../i18n/i18n';
import { Header } from './header';
import { Navigation } from './navigation';

/** Skip link, banner, menu, the main region (the skip link's target) and a footer. */
export function Layout({ me, children }: { me: Me | undefined; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only bg-yellow-300 px-4 py-2 text-oln-16B-100 text-black focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-10"
      >
        {t.skipLink}
      </a>
      <Header me={me} />
      {me !== undefined && <Navigation roles={me.roles} />}
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-[80rem] flex-1 px-4 py-8 focus:outline-none md:px-8">
        {children}
      </main>
      <footer className="border-t border-solid-gray-200 bg-solid-gray-50 px-4 py-4 text-dns-14N-130 text-solid-gray-600 md:px-8">
        <p className="mx-auto max-w-[80rem]">{t.productName} ・ {t.productTagline}</p>
      </footer>
    </div>
  );
}
