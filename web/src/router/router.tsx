import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';
import { isLocalPath } from './match';

/**
 * A router of a few lines on the History API: the location is an external store React subscribes
 * to; `navigate` pushes a state and tells the subscribers.
 */
const CHANGE = 'hatoba:navigate';

/** Whether the person has moved within the portal since it loaded (then a new page takes the focus). */
let navigated = false;
export const hasNavigated = (): boolean => navigated;
const moved = () => {
  navigated = true;
};

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', moved);
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', moved);
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

const currentLocation = () => `${window.location.pathname}${window.location.search}`;

/** The path and query of the page shown, e.g. `/audit?tenant=131016`. */
export const useLocation = (): string => useSyncExternalStore(subscribe, currentLocation);

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (!isLocalPath(to)) return;
  moved();
  if (options.replace === true) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string; children: ReactNode };

/** An ordinary link (open in a new tab, copy the address) that navigates in place on a plain click. */
export function Link({ to, children, onClick, ...rest }: LinkProps) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={handle} {...rest}>
      {children}
    </a>
  );
}
