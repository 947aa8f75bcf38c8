import { useEffect, useRef, useState } from 'react';
import { apiGet } from '../../api/client';
import { AccountRequestDetail } from '../../api/contracts';
import type { ApiFailure } from '../../api/problem';

export type Progress = { detail: AccountRequestDetail | undefined; failure: ApiFailure | undefined };

export const isFinal = (status: AccountRequestDetail['status']): boolean => status === 'succeeded' || status === 'failed' || status === 'abandoned';

/**
 * A request's detail, asked again every `intervalMs` until it is final (succeeded, failed,
 * abandoned). `onStatus` hears each new status, for announcements and for refreshing lists.
 */
export function useRequestProgress(id: string, onStatus?: (detail: AccountRequestDetail) => void, intervalMs = 1_000): Progress {
  const [progress, setProgress] = useState<Progress>({ detail: undefined, failure: undefined });
  const notify = useRef(onStatus);
  notify.current = onStatus;
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    let lastStatus: string | undefined;
    const tick = async () => {
      const result = await apiGet(`/api/account-requests/${encodeURIComponent(id)}`, AccountRequestDetail);
      if (stopped) return;
      if (!result.ok) {
        setProgress((p) => ({ detail: p.detail, failure: result.failure }));
        // A request that is not there will not appear; anything else may pass.
        if (result.failure.kind === 'problem' && result.failure.status === 404) return;
      } else {
        setProgress({ detail: result.data, failure: undefined });
        if (lastStatus !== undefined && lastStatus !== result.data.status) notify.current?.(result.data);
        lastStatus = result.data.status;
        if (isFinal(result.data.status)) return;
      }
      timer = window.setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [id, intervalMs]);
  return progress;
}
