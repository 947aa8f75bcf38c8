import { useI18n } from '../i18n/i18n';
import { describePath, type ApiFailure } from '../api/problem';
import type { ProblemIssue } from '../api/contracts';

/** A failed call, said plainly, with every issue the server named and where. Announced as an alert. */
export function FailureMessage({ failure, issues, onRetry }: { failure: ApiFailure; issues?: ProblemIssue[]; onRetry?: () => void }) {
  const { t } = useI18n();
  const text =
    failure.kind === 'network'
      ? t.errors.network
      : failure.kind === 'unexpected'
        ? t.errors.unexpected
        : failure.status === 403
          ? t.errors.forbidden
          : failure.message;
  const shown = issues ?? (failure.kind === 'problem' ? failure.issues : []);
  return (
    <div role="alert" className="my-4 rounded-8 border-2 border-error-1 bg-red-50 p-4">
      <p className="text-std-17B-170 text-error-2">{t.errors.title}</p>
      <p className="text-std-16N-170">{text}</p>
      {shown.length > 0 && (
        <ul className="mt-2 list-disc pl-6">
          {shown.map((issue, i) => (
            <li key={i}>
              {issue.path.length > 0 && <span className="font-bold">{t.errors.issueAt(describePath(issue.path))} </span>}
              {issue.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry !== undefined && (
        <button type="button" className="mt-2 underline" onClick={onRetry}>
          {t.retry}
        </button>
      )}
    </div>
  );
}
