import { askTogether } from '@slipstream/connector-core';
import type { SessionContext } from './context.js';
import { poolItems } from './wire.js';

/**
 * Reading the user's VM pool page by page. oned's pool calls take `start` and `end`: an id range
 * when `end` ≥ -1, an offset and a page size when `end` < -1 (`start` = offset, `-end` = size).
 * They answer the page only, newest VM first, with no total: only a page shorter than asked says
 * the pool has ended.
 *
 * Without a total, the pages after the first cannot be counted in advance. So after a full first
 * page, the next pages are asked in windows of `pageWorkers` (the instance's `max.iaas.workers`)
 * at once, and windows follow one another until a page comes back short. A long pool costs a
 * round trip per window rather than one per page; the price is up to `pageWorkers - 1` requests
 * past the end in the last window, answered at once and empty, which are dropped.
 */

/** Pool filters (the `filter` argument of every pool's info). */
export const FILTER = Object.freeze({ mine: -3, all: -2 });
/** The vm pool's `state` argument: every VM but DONE ones. */
const NOT_DONE = -1;
/** Pages a listing asks at most: a guard against a pool that never ends. */
const MAX_PAGES = 10_000;

/**
 * How a pool is read: `one.vmpool.info` answers oned's short VM form, whose USER_TEMPLATE keeps
 * only what Sunstone and the scheduler need (LABELS, SCHED_*); `one.vmpool.infoextended` answers
 * full bodies, user template included, for a launch looking for its own VMs.
 */
export type PoolMethod = 'one.vmpool.info' | 'one.vmpool.infoextended';

/** A VM id as oned writes it; anything else names no VM. */
export function vmNumber(id: string): number | undefined {
  return /^\d{1,9}$/.test(id) ? Number(id) : undefined;
}

const idOf = (item: unknown): number | undefined => {
  const id = (item as { ID?: unknown } | null)?.ID;
  return typeof id === 'string' ? vmNumber(id) : undefined;
};

async function vmPool(
  context: SessionContext,
  method: PoolMethod,
  start: number,
  end: number,
  signal: AbortSignal | undefined,
): Promise<unknown[]> {
  const document = await context.client.document(method, [FILTER.mine, start, end, NOT_DONE], { signal });
  return poolItems(document, 'VM_POOL', 'VM', method);
}

/**
 * Every VM of the user but DONE ones, as `method` lists them, newest first. Pages are asked by
 * offset and size; each page after the first starts one VM early, at the last VM of the page
 * before. Should VMs have been created meanwhile, that VM is further down (the ones before it are
 * dropped as seen already); should VMs have ended meanwhile, it is gone and the ones between are
 * asked by id range, so that none is skipped. Pages of a window are checked in page order, the
 * same way, whatever order they were answered in. A failed page fails the listing: the pages of
 * its window still in flight are cancelled and awaited.
 */
export async function listVmItems(
  context: SessionContext,
  signal: AbortSignal | undefined,
  method: PoolMethod = 'one.vmpool.info',
): Promise<unknown[]> {
  const size = context.pageSize;
  const items: unknown[] = [];
  const seen = new Set<number>();
  const add = (item: unknown): void => {
    const id = idOf(item);
    if (id !== undefined && seen.has(id)) return;
    if (id !== undefined) seen.add(id);
    items.push(item);
  };
  const first = await vmPool(context, method, 0, -size, signal);
  for (const item of first) add(item);
  if (first.length < size) return items;
  let last = idOf(first[first.length - 1]);
  const window = Math.max(1, Math.floor(context.pageWorkers) || 1);
  for (let asked = 1; asked < MAX_PAGES; asked += window) {
    const count = Math.min(window, MAX_PAGES - asked);
    const pages = await askTogether(count, window, signal, (index, pageSignal) =>
      vmPool(context, method, (asked + index) * size - 1, -(size + 1), pageSignal),
    );
    for (const page of pages) {
      const head = idOf(page[0]);
      if (last !== undefined && head !== undefined && head < last - 1) {
        for (const item of await vmPool(context, method, head + 1, last - 1, signal)) add(item);
      }
      for (const item of page) add(item);
      if (page.length < size + 1) return items;
      last = idOf(page[page.length - 1]);
    }
  }
  return items;
}
