import { askTogether } from '@slipstream/connector-core';
import type { SessionContext } from './context.js';
import { children, documentOf, linkHref, text, type XmlElement } from './wire.js';

/**
 * vCloud's query service: `GET /api/query?type=…&format=records&filter=…` answers
 * `<QueryResultRecords>` a page at a time, with the `total` of matching records and the
 * `pageSize` it used. The cell caps `pageSize` silently (128 by default), so pages are counted from
 * the size the answer says, never from the size asked.
 */

/** The largest page asked of the query service; cells cap it lower. */
export const PAGE_SIZE = 1000;

export interface Query {
  /** The query type: `vm`, `vAppTemplate`, `orgVdc`… */
  readonly type: string;
  /** The record element of the type: `VMRecord`, `VAppTemplateRecord`… */
  readonly record: string;
  /** FIQL conditions, joined with `;` (and). */
  readonly filter?: readonly string[] | undefined;
}

/** FIQL's reserved characters in a value, percent-encoded as vCD reads them. */
export function fiqlValue(value: string): string {
  return value.replace(
    /[;,()=!<>%\\]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** Pages a query reads at most: a guard against a cell whose `total` or links never end. */
const MAX_PAGES = 10_000;

/**
 * Every record of a query. The first page's `total` and `pageSize` (the size the cell granted)
 * say how many pages there are; the others are then asked together, at most `pageWorkers` at a
 * time, so that a long query costs a few round trips rather than one per page.
 *
 * Records may come and go while the pages are read. Records keep page order, one seen on two
 * pages (the list grew in front of it) is kept once, and an empty page ends the query; should the
 * last planned page still link a `nextPage` (the list grew), the links are followed one by one to
 * the end. A failed page fails the query: the pages still in flight are cancelled and awaited.
 */
export async function queryAll(
  context: SessionContext,
  query: Query,
  signal: AbortSignal | undefined,
): Promise<XmlElement[]> {
  const urlOf = (page: number, pageSize: number): string => {
    const parameters = new URLSearchParams({
      type: query.type,
      format: 'records',
      page: String(page),
      pageSize: String(pageSize),
      sortAsc: 'name',
    });
    if (query.filter !== undefined && query.filter.length > 0) {
      parameters.set('filter', query.filter.join(';'));
    }
    return `/api/query?${parameters}`;
  };
  const ask = async (url: string, pageSignal: AbortSignal | undefined): Promise<XmlElement> => {
    const response = await context.client.call({
      operation: `query ${query.type}`,
      method: 'GET',
      url,
      signal: pageSignal,
    });
    return documentOf(response.body, 'QueryResultRecords', `query ${query.type}`);
  };

  const records: XmlElement[] = [];
  const hrefs = new Set<string>();
  /** Adds a page's records; false when the page was empty, which ends the query. */
  const add = (page: XmlElement): boolean => {
    const rows = children(page, query.record);
    for (const row of rows) {
      const href = typeof row.href === 'string' ? row.href : undefined;
      if (href !== undefined) {
        const seen = hrefs.size;
        if (hrefs.add(href).size === seen) continue;
      }
      records.push(row);
    }
    return rows.length > 0;
  };

  const first = await ask(urlOf(1, context.pageSize), signal);
  if (!add(first)) return records;
  let last = first;
  const total = Number(text(first, 'total'));
  const granted = Number(text(first, 'pageSize'));
  if (Number.isSafeInteger(total) && Number.isSafeInteger(granted) && granted > 0) {
    const planned = Math.min(MAX_PAGES, Math.ceil(total / granted));
    const pages = await askTogether(planned - 1, context.pageWorkers, signal, (index, pageSignal) =>
      ask(urlOf(index + 2, granted), pageSignal),
    );
    for (const page of pages) {
      if (!add(page)) return records;
      last = page;
    }
  }
  // Without a total, or when the list grew past it: the nextPage links, one after the other.
  const seen = new Set<string>();
  for (let url = linkHref(last, 'nextPage'); url !== undefined && seen.size < MAX_PAGES; ) {
    if (seen.has(url)) break;
    seen.add(url);
    const page = await ask(url, signal);
    if (!add(page)) break;
    url = linkHref(page, 'nextPage');
  }
  return records;
}
