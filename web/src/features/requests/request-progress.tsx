import type { AccountRequestDetail } from '../../api/contracts';
import { useI18n } from '../../i18n/i18n';
import { lookup } from '../../i18n/language';
import { useAnnounce } from '../../ui/announcer';
import { FailureMessage } from '../../ui/failure';
import { Loading } from '../../ui/loading';
import { Link } from '../../router/router';
import { StepTimeline } from './step-timeline';
import { useRequestProgress } from './use-request-progress';

/** One request, live: its status and steps, asked again until it is final; each change is announced. */
export function RequestProgress({ id, onChange, headingLevel = 3 }: { id: string; onChange?: (detail: AccountRequestDetail) => void; headingLevel?: 2 | 3 }) {
  const { t, label } = useI18n();
  const announce = useAnnounce();
  const { detail, failure } = useRequestProgress(id, (d) => {
    announce(t.requests.became(d.accountName, label(d.statusLabel)));
    onChange?.(d);
  });
  if (detail === undefined) return failure === undefined ? <Loading /> : <FailureMessage failure={failure} />;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <article className="rounded-8 border border-solid-gray-200 p-4" aria-labelledby={`req-${id}`} data-request={id} data-status={detail.status}>
      <Heading id={`req-${id}`} className="text-std-18B-160">
        <Link to={`/requests/${encodeURIComponent(id)}`}>{detail.accountName}</Link>
      </Heading>
      <p className="mb-3">
        {t.requests.status}: <strong data-testid="request-status">{label(detail.statusLabel)}</strong>
        {detail.currentStep !== null && (
          <span className="ml-3">
            {t.requests.currentStep}: {lookup(t.requests.stepNames, detail.currentStep)}
          </span>
        )}
      </p>
      {detail.failure !== null && (
        <p className="mb-3 text-error-2">
          {t.requests.failure}: {detail.failure.message}
        </p>
      )}
      <StepTimeline detail={detail} />
    </article>
  );
}
