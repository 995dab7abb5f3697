/**
 * The VMs table: refreshed every 2 s (while the page is visible) with rows the server renders
 * (GET /vms/rows, the same vmRow as the first render), and the stop, start and terminate buttons.
 */

import { api, errorMessage, fetchHtml, goToLogin } from './api.js';
import { byId, closest, hide, showLines, showMessage } from './dom.js';

const REFRESH_MS = 2000;

export interface VmTable {
  /** Refreshes now, or right after the refresh under way (whose answer may predate a change). */
  refresh(): Promise<void>;
}

/** Shows a row's VM as terminated, without buttons. */
function markTerminated(row: HTMLTableRowElement): HTMLTableRowElement {
  const state = row.querySelector('.state');
  if (state !== null) state.textContent = 'terminated';
  row.classList.add('terminated');
  row.querySelector('td.actions')?.replaceChildren();
  return row;
}

export function setUpVmTable(): VmTable | undefined {
  const table = byId('vms-table', HTMLTableElement);
  const found = byId('vm-rows', HTMLTableSectionElement);
  if (table === undefined || found === undefined) return undefined;
  const body: HTMLTableSectionElement = found;
  const allUsers = byId('all-users', HTMLInputElement);
  const listsAll = (): boolean => allUsers?.checked === true;

  /**
   * The listing leaves terminated VMs out; rows that were on screen stay, marked terminated, so the
   * user sees the end of a VM's life instead of a row vanishing (until the page reloads). Not after
   * switching between the caller's and all users' VMs: rows missing then were not terminated.
   */
  let carryOver = true;

  function swapRows(fresh: HTMLTableSectionElement): void {
    const rows = [...fresh.querySelectorAll<HTMLTableRowElement>('tr[data-record-id]')];
    const listed = new Set(rows.map((row) => row.dataset.recordId));
    const gone = carryOver
      ? [...body.querySelectorAll<HTMLTableRowElement>('tr[data-record-id]')].filter(
          (row) => !listed.has(row.dataset.recordId),
        )
      : [];
    carryOver = true;
    const shown = [...rows.map((row) => document.adoptNode(row)), ...gone.map(markTerminated)];
    // Nothing at all: the server's "no VMs yet" row.
    body.replaceChildren(
      ...(shown.length > 0 ? shown : [...fresh.rows].map((row) => document.adoptNode(row))),
    );
  }

  async function refreshOnce(): Promise<void> {
    const all = listsAll();
    const answer = await fetchHtml(`/vms/rows?all=${all}`);
    if (answer.kind === 'logged-out') {
      goToLogin();
      return;
    }
    const errors = byId('vm-errors', HTMLElement);
    if (answer.kind === 'failed') {
      if (errors !== undefined) showLines(errors, answer.message);
      return;
    }
    // The checkbox changed meanwhile: this is the other listing, and the change's refresh follows.
    if (all !== listsAll()) return;
    const rows = answer.document.getElementById('vm-rows');
    const freshErrors = answer.document.getElementById('vm-errors');
    if (!(rows instanceof HTMLTableSectionElement) || freshErrors === null) {
      if (errors !== undefined) showLines(errors, 'The server sent an unexpected answer; reload the page.');
      return;
    }
    swapRows(rows);
    errors?.replaceWith(document.adoptNode(freshErrors));
  }

  let busy = false;
  let again = false;
  async function refresh(): Promise<void> {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        await refreshOnce();
      } while (again);
    } finally {
      busy = false;
    }
  }
  // Periodic refreshes skip a turn while one is under way: a slow cloud must not queue them up.
  const tick = (): void => {
    if (!busy && document.visibilityState === 'visible') void refresh();
  };
  setInterval(tick, REFRESH_MS);
  document.addEventListener('visibilitychange', tick);
  allUsers?.addEventListener('change', () => {
    carryOver = false;
    void refresh();
  });

  table.addEventListener('click', async (event) => {
    const button = closest(event.target, 'button[data-action]', HTMLButtonElement);
    const row = button?.closest('tr');
    if (button === undefined || row == null) return;
    const action = button.dataset.action;
    const id = row.dataset.vmId ?? '';
    const instance = row.dataset.instance ?? '';
    if (action !== 'stop' && action !== 'start' && action !== 'terminate') return;
    if (action === 'terminate' && !confirm(`Terminate the VM ${id} on ${instance}? This cannot be undone.`)) {
      return;
    }
    button.disabled = true;
    const vm = `/api/vms/${encodeURIComponent(instance)}/${encodeURIComponent(id)}`;
    const answer = action === 'terminate' ? await api('DELETE', vm) : await api('POST', `${vm}/${action}`);
    const message = byId('vm-message', HTMLElement);
    if (answer.ok) {
      if (message !== undefined) hide(message);
      if (action === 'terminate') markTerminated(row);
    } else if (message !== undefined) showMessage(message, 'error', errorMessage(answer));
    await refresh();
  });

  return { refresh };
}
