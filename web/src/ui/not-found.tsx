import { useI18n } from '../i18n/i18n';
import { Link } from '../router/router';
import { PageTitle } from './page-title';

/** The same page whether the thing does not exist or belongs to someone else: a tenant learns nothing. */
export function NotFound() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t.notFound.title}</PageTitle>
      <p className="mb-4 text-std-16N-170">{t.notFound.body}</p>
      <Link to="/">{t.notFound.home}</Link>
    </>
  );
}
