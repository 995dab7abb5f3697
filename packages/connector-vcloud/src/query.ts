import type { SessionContext } from './context.js';
import { children, documentOf, linkHref, type XmlElement } from './wire.js';

/**
 * vCloud's query service: `GET /api/query?type=…&format=records&filter=…` answers
 * `<QueryResultRecords>` a page at a time. The cell caps `pageSize` silently (128 by default), so
 * the pages are followed by their `nextPage` link to the end, never counted from the size asked.
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

/** Every record of a query, page by page to the end. */
export async function queryAll(
  context: SessionContext,
  query: Query,
  signal: AbortSignal | undefined,
): Promise<XmlElement[]> {
  const parameters = new URLSearchParams({
    type: query.type,
    format: 'records',
    page: '1',
    pageSize: String(context.pageSize),
    sortAsc: 'name',
  });
  if (query.filter !== undefined && query.filter.length > 0) parameters.set('filter', query.filter.join(';'));
  const records: XmlElement[] = [];
  const seen = new Set<string>();
  let url: string | undefined = `/api/query?${parameters}`;
  while (url !== undefined) {
    if (seen.has(url)) break;
    seen.add(url);
    const response = await context.client.call({
      operation: `query ${query.type}`,
      method: 'GET',
      url,
      signal,
    });
    const page = documentOf(response.body, 'QueryResultRecords', `query ${query.type}`);
    records.push(...children(page, query.record));
    url = linkHref(page, 'nextPage');
  }
  return records;
}
