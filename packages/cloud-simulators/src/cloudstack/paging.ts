import { badValue, invalidValue, paramError } from './errors.js';
import type { ApiParams } from './params.js';
import type { JsonObject } from './render.js';

/**
 * Pagination of list commands, as BaseListCmd and its validation do it: `page` and `pagesize` go
 * together, `pagesize` may not exceed the cloud's `default.page.size` (500 unless configured), -1
 * means unlimited (without `page`), and without them a list returns the first `default.page.size`
 * items. `count` is the number of matches across all pages.
 */

/** CloudStack's `default.page.size`. */
export const DEFAULT_PAGE_SIZE = 500;

const PAGESIZE_UNLIMITED = -1;

/** An INTEGER parameter, parsed as Integer.valueOf does; a 431 naming it when it is not one. */
export function integerParam(command: string, params: ApiParams, name: string): number | undefined {
  const text = params.get(name);
  if (text === undefined) return undefined;
  const value = /^[+-]?\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > 2 ** 31 - 1 || value < -(2 ** 31)) {
    throw badValue(command, name, text);
  }
  return value;
}

/**
 * The list envelope: `{}` when nothing matches, else `count` and the page's items under `key`.
 * `view` renders an item; only the items of the page are rendered, so a page of a long list costs
 * what the page holds.
 */
export function listBody<T = JsonObject>(
  command: string,
  params: ApiParams,
  key: string,
  items: readonly T[],
  maxPageSize: number = DEFAULT_PAGE_SIZE,
  view: (item: T) => JsonObject = (item) => item as JsonObject,
): JsonObject {
  const page = integerParam(command, params, 'page');
  const pageSize = integerParam(command, params, 'pagesize');
  if (page === undefined && pageSize !== undefined && pageSize !== PAGESIZE_UNLIMITED) {
    throw paramError('"page" parameter is required when "pagesize" is specified');
  }
  if (pageSize === undefined && page !== undefined) {
    throw paramError('"pagesize" parameter is required when "page" is specified');
  }
  if (pageSize !== undefined && pageSize > maxPageSize) {
    throw invalidValue(`Page size can't exceed max allowed page size value: ${maxPageSize}`);
  }
  if (pageSize === PAGESIZE_UNLIMITED && page !== undefined) {
    throw invalidValue("Can't specify page parameter when pagesize is -1 (Unlimited)");
  }
  let shown: readonly T[];
  if (pageSize === PAGESIZE_UNLIMITED) {
    shown = items;
  } else {
    const size = pageSize ?? maxPageSize;
    // BaseListCmd starts at 0 for a page number below 1.
    const start = page !== undefined && page > 0 ? size * (page - 1) : 0;
    shown = size > 0 ? items.slice(start, start + size) : [];
  }
  const body: JsonObject = {};
  if (items.length > 0) body.count = items.length;
  if (shown.length > 0) body[key] = shown.map(view);
  return body;
}
