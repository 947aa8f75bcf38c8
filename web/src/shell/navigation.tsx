import { useI18n } from '../i18n/i18n';
import { Link, useLocation } from '../router/router';
import { navFor } from './nav-items';

/** The menu for the person's roles; the current page is marked for assistive technology too. */
export function Navigation({ roles }: { roles: readonly string[] }) {
  const { t } = useI18n();
  const location = useLocation();
  const items = navFor(roles);
  if (items.length === 0) return null;
  return (
    <nav aria-label={t.header.mainMenu} className="border-b border-solid-gray-200 bg-solid-gray-50">
      <ul className="mx-auto flex max-w-[80rem] flex-wrap gap-x-2 px-4 md:px-8">
        {items.map((item) => {
          const current = location === item.path || location.startsWith(`${item.path}/`) || location.startsWith(`${item.path}?`);
          return (
            <li key={item.key}>
              <Link
                to={item.path}
                aria-current={current ? 'page' : undefined}
                className="inline-flex min-h-11 items-center border-b-4 border-transparent px-2 text-dns-16N-130 text-solid-gray-800 no-underline hover:underline aria-[current=page]:border-blue-900 aria-[current=page]:font-bold aria-[current=page]:text-blue-900"
              >
                {t.nav[item.key]}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
