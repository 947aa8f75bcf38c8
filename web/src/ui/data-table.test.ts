import React, { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { table } from './classes';
import { DataTable, type Column } from './data-table';

// The tests run under tsx with the repository's tsconfig, which compiles JSX to `React.createElement`.
Object.assign(globalThis, { React });

type Row = { id: string; name: string; count: number };
const rows: Row[] = [
  { id: 'a', name: 'Alpha', count: 3 },
  { id: 'b', name: 'Beta', count: 0 },
];
const columns: Column<Row>[] = [
  { header: 'Name', rowHeader: true, className: 'font-mono', cell: (r) => r.name },
  { header: 'Count', align: 'right', cell: (r) => r.count },
];
const render = (props: Partial<Parameters<typeof DataTable<Row>>[0]> = {}) => renderToStaticMarkup(createElement(DataTable<Row>, { columns, rows, rowKey: (r) => r.id, ...props }));

describe('DataTable', () => {
  it('heads each column with a column header and names each row with its row-header cell', () => {
    const html = render();
    assert.ok(html.startsWith(`<div class="${table.wrap}"><table class="${table.table}"><thead><tr><th scope="col" class="${table.th}">Name</th><th scope="col" class="${table.th} text-right">Count</th></tr></thead>`));
    assert.ok(html.includes(`<tr><th scope="row" class="${table.td} font-mono font-normal">Alpha</th><td class="${table.td} text-right">3</td></tr>`));
    assert.ok(html.includes(`<td class="${table.td} text-right">0</td>`));
  });

  it('says the empty message instead of the table when there are no rows', () => {
    assert.equal(render({ rows: [], empty: 'Nothing yet' }), '<p>Nothing yet</p>');
  });

  it('keeps an empty table when no empty message is given', () => {
    const html = render({ rows: [] });
    assert.ok(html.includes('<tbody></tbody>'));
    assert.ok(!html.includes('<p>'));
  });

  it('shows a caption, or keeps it for screen readers only when hidden', () => {
    assert.ok(render({ caption: { text: 'Accounts' } }).includes(`<table class="${table.table}"><caption class="${table.caption}">Accounts</caption><thead>`));
    assert.ok(render({ caption: { text: 'Accounts', hidden: true } }).includes('<caption class="sr-only">Accounts</caption>'));
    assert.ok(!render().includes('<caption'));
  });

  it('puts the data attributes a row asks for on its row', () => {
    assert.ok(render({ rowData: (r) => ({ 'data-count': String(r.count) }) }).includes('<tr data-count="3"><th scope="row"'));
  });
});
