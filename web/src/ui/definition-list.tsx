import type { ReactNode } from 'react';

/** Label and value pairs, two columns when there is room, stacked when zoomed in. */
export function DefinitionList({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 md:grid-cols-[minmax(10rem,16rem)_1fr]">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-std-16B-170 text-solid-gray-800">{term}</dt>
          <dd className="mb-2 text-std-16N-170 break-words md:mb-0">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
