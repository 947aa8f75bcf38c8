import { useI18n } from '../../i18n/i18n';
import { PageTitle } from '../../ui/page-title';
import { RequestProgress } from './request-progress';
import { useRequestProgress } from './use-request-progress';
import { NotFound } from '../../ui/not-found';

/** One request with its live step timeline; another tenant's request is "not found". */
export function RequestPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { detail, failure } = useRequestProgress(id, undefined, 60_000);
  if (detail === undefined && failure?.kind === 'problem' && failure.status === 404) return <NotFound />;
  return (
    <>
      <PageTitle>{t.requests.detailTitle(detail?.accountName ?? id)}</PageTitle>
      <RequestProgress id={id} headingLevel={2} />
    </>
  );
}
