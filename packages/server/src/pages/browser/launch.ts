/**
 * The launch form of the VMs page: the image, size and zone lists of the chosen instance (from the
 * cloud, through the API), and POST /api/clouds/{instance}/vms with an idempotency key.
 */

import { api, errorMessage, problemLines } from './api.js';
import { byId, control, hide, showMessage } from './dom.js';

interface CatalogItem {
  readonly id: string;
  readonly name: string;
}
interface Image extends CatalogItem {
  readonly os?: string;
}
interface Size extends CatalogItem {
  readonly cpus?: number;
  readonly memoryMb?: number;
}
interface Zone extends CatalogItem {
  readonly available?: boolean;
}
interface Catalog {
  readonly images: readonly Image[];
  readonly sizes: readonly Size[];
  readonly zones: readonly Zone[];
}
type CatalogKind = keyof Catalog;

/** How each kind of item reads in its list. */
const LABELS: { readonly [K in CatalogKind]: (item: Catalog[K][number]) => string } = {
  images: (item) => item.name + (item.os ? ` (${item.os})` : ''),
  sizes: (item) => item.name + (item.cpus ? ` (${item.cpus} CPU, ${item.memoryMb} MB)` : ''),
  zones: (item) => item.name + (item.available === false ? ' (unavailable)' : ''),
};

interface Launched {
  readonly replayed: boolean;
  readonly vms: readonly unknown[];
}

function option(value: string, label: string): HTMLOptionElement {
  const item = document.createElement('option');
  item.value = value;
  item.textContent = label;
  return item;
}

function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; a server reached over plain HTTP by address is not one.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}

/** `afterLaunch` runs once a launch is accepted, to show the new VMs. */
export function setUpLaunchForm(afterLaunch: () => void): void {
  const form = byId('launch-form', HTMLFormElement);
  if (form === undefined) return;
  const message = form.querySelector<HTMLElement>('[data-message]');
  const instance = control(form, 'instance', HTMLSelectElement);
  const name = control(form, 'name', HTMLInputElement);
  const count = control(form, 'count', HTMLInputElement);
  const launch = control(form, 'launch', HTMLButtonElement);
  const selects: Readonly<Record<CatalogKind, HTMLSelectElement>> = {
    images: control(form, 'image', HTMLSelectElement),
    sizes: control(form, 'size', HTMLSelectElement),
    zones: control(form, 'zone', HTMLSelectElement),
  };

  // One key per launch the user means: a double click or a retry after a lost answer sends the
  // same request with the same key, so the server returns the first launch instead of a second.
  let key = newKey();
  let busy = false;
  let loading = false;
  /** Which instance's lists are wanted; answers for an instance chosen before are dropped. */
  let generation = 0;

  async function fillList<K extends CatalogKind>(
    kind: K,
    from: string,
    mine: number,
  ): Promise<string | undefined> {
    const select = selects[kind];
    select.replaceChildren(option('', 'loading…'));
    select.disabled = true;
    const answer = await api<Catalog>('GET', `/api/clouds/${encodeURIComponent(from)}/${kind}`);
    if (mine !== generation) return undefined;
    select.replaceChildren();
    if (kind === 'zones') select.append(option('', '(default zone)'));
    if (!answer.ok) return errorMessage(answer);
    const label = LABELS[kind];
    for (const item of answer.data[kind]) select.append(option(item.id, label(item)));
    select.disabled = false;
    return undefined;
  }

  async function fillCatalog(): Promise<void> {
    const from = instance.value;
    const mine = ++generation;
    if (message !== null) hide(message);
    // No launch until the lists hold the instance's items: sent now, it would carry the
    // "loading…" entries' empty values, or another instance's choices.
    loading = from !== '';
    launch.disabled = busy || loading;
    if (from === '') return;
    const kinds: CatalogKind[] = ['images', 'sizes', 'zones'];
    const failures = await Promise.all(kinds.map((kind) => fillList(kind, from, mine)));
    if (mine !== generation) return;
    loading = false;
    launch.disabled = busy;
    const lines = [...new Set(failures.filter((failure) => failure !== undefined))];
    if (lines.length > 0 && message !== null) showMessage(message, 'error', lines);
  }

  instance.addEventListener('change', () => void fillCatalog());
  form.addEventListener('input', () => {
    // A changed form is another launch; while one is being sent, the key stays for its retry.
    if (!busy) key = newKey();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy || loading) return;
    const how = Number(count.value || '1');
    if (!Number.isInteger(how) || how < 1 || how > 10) {
      if (message !== null) showMessage(message, 'error', 'Count must be a whole number from 1 to 10.');
      return;
    }
    const request: Record<string, string | number> = {
      name: name.value.trim() || `vm-${key.slice(0, 8)}`,
      image: selects.images.value,
      size: selects.sizes.value,
      count: how,
      idempotencyKey: key,
    };
    if (selects.zones.value !== '') request.zone = selects.zones.value;
    busy = true;
    launch.disabled = true;
    const answer = await api<Launched>(
      'POST',
      `/api/clouds/${encodeURIComponent(instance.value)}/vms`,
      request,
    );
    busy = false;
    launch.disabled = loading;
    if (!answer.ok) {
      if (message !== null) showMessage(message, 'error', problemLines(answer));
      return;
    }
    key = newKey();
    name.value = '';
    const launched = answer.data.vms.length;
    const what = `${launched} VM${launched === 1 ? '' : 's'}.`;
    if (message !== null)
      showMessage(message, 'ok', answer.data.replayed ? `Already launched: ${what}` : `Launched ${what}`);
    afterLaunch();
  });
  void fillCatalog();
}
