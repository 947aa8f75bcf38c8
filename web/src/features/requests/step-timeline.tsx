import type { AccountRequestDetail } from '../../api/contracts';
import { useI18n } from '../../i18n/i18n';
import { Time } from '../../ui/time';
import { lookup } from '../../i18n/language';

const MARKS: Record<string, string> = { succeeded: '✓', failed: '✕', running: '…', waiting: '⏳' };
const TONES: Record<string, string> = {
  succeeded: 'border-success-1 text-success-2',
  failed: 'border-error-1 text-error-2',
  running: 'border-blue-900 text-blue-900',
  waiting: 'border-warning-yellow-1 text-warning-yellow-2',
};

/** The steps the request went through, in order, each with its status, attempts and times. */
export function StepTimeline({ detail }: { detail: AccountRequestDetail }) {
  const { t, label } = useI18n();
  if (detail.steps.length === 0) return <p className="text-solid-gray-600">{label(detail.statusLabel)}</p>;
  return (
    <ol className="flex flex-col gap-2" aria-label={t.requests.steps}>
      {detail.steps.map((s, i) => (
        <li key={`${s.step}-${i}`} className={`border-l-4 pl-3 ${TONES[s.status] ?? 'border-solid-gray-420'}`} data-step={s.step} data-status={s.status}>
          <span aria-hidden="true" className="mr-2 inline-block w-4 font-bold">
            {MARKS[s.status] ?? ''}
          </span>
          <span className="font-bold text-solid-gray-900">{lookup(t.requests.stepNames, s.step)}</span>
          <span className="ml-2">{label(s.statusLabel)}</span>
          <span className="ml-2 text-dns-14N-130 text-solid-gray-600">
            {t.requests.attempts}: {s.attempts} ・ <Time iso={s.startedAt} />
          </span>
          {s.lastError !== null && <p className="text-dns-14N-130 text-error-2">{s.lastError.message}</p>}
        </li>
      ))}
    </ol>
  );
}
