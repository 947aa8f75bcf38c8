import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiFailure, ApiResult } from './problem';

export type QueryState<T> = { status: 'loading' } | { status: 'ok'; data: T } | { status: 'error'; failure: ApiFailure };

/**
 * Runs `load` when `key` changes (and on `reload`); an answer that arrives after the key moved on
 * is dropped, so a slow old page never overwrites a new one. A reload keeps showing what it had
 * until the new answer arrives: a refresh never empties the page (or takes the focus from a control).
 */
export function useQuery<T>(key: string, load: () => Promise<ApiResult<T>>): QueryState<T> & { reload: () => void } {
  const [state, setState] = useState<QueryState<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const shown = useRef<string | undefined>(undefined);
  useEffect(() => {
    let current = true;
    if (shown.current !== key) setState({ status: 'loading' });
    void load().then((result) => {
      if (!current) return;
      shown.current = key;
      setState(result.ok ? { status: 'ok', data: result.data } : { status: 'error', failure: result.failure });
    });
    return () => {
      current = false;
    };
    // `load` is a new closure every render; `key` says when what it loads changes.
  }, [key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}
