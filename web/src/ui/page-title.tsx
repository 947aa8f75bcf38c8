import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/i18n';
import { hasNavigated } from '../router/router';

/**
 * The page's one h1. It names the document and, after an in-page navigation, takes the focus, so a
 * screen reader announces the new page and the next Tab starts from its top.
 */
export function PageTitle({ children }: { children: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} | ${t.productName}`;
  }, [children, t.productName]);
  useEffect(() => {
    // Not on the first page load: there the browser's own start (and the skip link) come first.
    if (hasNavigated()) ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="mb-6 text-std-28B-150 text-solid-gray-900 md:text-std-32B-150">
      {children}
    </h1>
  );
}
