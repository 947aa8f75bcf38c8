import type { ReactNode } from 'react';
import type { QueryState } from '../api/use-query';
import { FailureMessage } from './failure';
import { Loading } from './loading';
import { NotFound } from './not-found';

/**
 * Loading, a failure, or the data. With `whole`, the query is the page's subject (its title comes
 * from the data) and a 404 is the not-found page; otherwise it is a message under the page's title.
 */
export function QueryView<T>({ query, whole = false, children }: { query: QueryState<T> & { reload: () => void }; whole?: boolean; children: (data: T) => ReactNode }) {
  if (query.status === 'loading') return <Loading />;
  if (query.status === 'error') {
    if (whole && query.failure.kind === 'problem' && query.failure.status === 404) return <NotFound />;
    return <FailureMessage failure={query.failure} onRetry={query.reload} />;
  }
  return <>{children(query.data)}</>;
}
