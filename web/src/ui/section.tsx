import type { ReactNode } from 'react';
import { card, heading2 } from './classes';

/** A card under its own heading, which names the section (`aria-labelledby`) for a screen reader's list of regions. */
export function Section({ id, title, help, busy, children }: { id: string; title: ReactNode; help?: ReactNode; busy?: boolean; children: ReactNode }) {
  return (
    <section className={card} aria-labelledby={id} aria-busy={busy}>
      <h2 id={id} className={`${heading2} ${help === undefined ? 'mb-4' : 'mb-2'}`}>
        {title}
      </h2>
      {help !== undefined && <p className="mb-4">{help}</p>}
      {children}
    </section>
  );
}
