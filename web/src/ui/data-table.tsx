import type { ReactNode } from 'react';
import { table } from './classes';

/** One column: its header, how a row fills its cell, and whether that cell names the row (`<th scope="row">`). */
export type Column<T> = {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  rowHeader?: boolean;
  /** Numbers line up on the right, the header with them. */
  align?: 'right';
  /** Classes added to the body cell, e.g. `mono`. */
  className?: string;
};

type Props<T> = {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string | number;
  /** Read before the table; `hidden` keeps it for screen readers only (the section's heading already shows it). */
  caption?: { text: ReactNode; hidden?: boolean };
  /** Said instead of the table when there are no rows; without it an empty table stands. */
  empty?: ReactNode;
  /** `data-*` attributes of a row, for tests that find a row by its state. */
  rowData?: (row: T) => Record<`data-${string}`, string>;
};

const classes = (...parts: (string | false | undefined)[]): string => parts.filter((p) => typeof p === 'string' && p !== '').join(' ');

/** A table in the design system's style that scrolls sideways on its own when zoomed in, rather than the page. */
export function DataTable<T>({ columns, rows, rowKey, caption, empty, rowData }: Props<T>) {
  if (empty !== undefined && rows.length === 0) return <p>{empty}</p>;
  return (
    <div className={table.wrap}>
      <table className={table.table}>
        {caption !== undefined && <caption className={caption.hidden === true ? 'sr-only' : table.caption}>{caption.text}</caption>}
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col" className={classes(table.th, column.align === 'right' && 'text-right')}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowData?.(row)}>
              {columns.map((column, i) => {
                const className = classes(table.td, column.align === 'right' && 'text-right', column.className, column.rowHeader === true && 'font-normal');
                return column.rowHeader === true ? (
                  <th key={i} scope="row" className={className}>
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={i} className={className}>
                    {column.cell(row)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
