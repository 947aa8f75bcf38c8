import { useState } from 'react';
import { apiGet } from '../../api/client';
import { AuditVerification } from '../../api/contracts';
import type { ApiResult } from '../../api/problem';
import { useI18n } from '../../i18n/i18n';
import { useAnnounce } from '../../ui/announcer';
import { button } from '../../ui/classes';
import { FailureMessage } from '../../ui/failure';

/** Walks the whole chain on the server and says whether it is intact or where it breaks. */
export function VerifyChain() {
  const { t, label } = useI18n();
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ApiResult<AuditVerification> | undefined>(undefined);
  const verify = async () => {
    setBusy(true);
    const answer = await apiGet('/api/audit/verify', AuditVerification);
    setBusy(false);
    setResult(answer);
    if (answer.ok) announce(label(answer.data.message));
  };
  return (
    <div className="flex flex-col gap-2">
      <div>
        <button type="button" className={button.secondary} onClick={() => void verify()} disabled={busy}>
          {busy ? t.audit.verifying : t.audit.verify}
        </button>
      </div>
      {result !== undefined &&
        (result.ok ? (
          <p className={result.data.intact ? 'font-bold text-success-2' : 'font-bold text-error-2'} data-testid="audit-verification">
            {label(result.data.message)}
          </p>
        ) : (
          <FailureMessage failure={result.failure} />
        ))}
    </div>
  );
}
