/**
 * The demo's VMs: one launched on every instance through `POST /api/clouds/{instance}/vms`, then
 * `GET /api/vms` polled — as the /vms page does — until every VM runs, each change shown.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { type ApiSession, type ApiVm, type ApiVmList, type CatalogItem, DemoFailure } from './demo-api.js';
import type { StateDisplay, VmRow } from './demo-display.js';

export interface WatchOptions {
  /** How often the VM list is read. */
  readonly pollIntervalMs: number;
  /** How long the VMs may take to run before the demo gives up. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

/** A VM once it runs, for the summary. */
export interface RunningVm {
  readonly instance: string;
  readonly row: VmRow;
  readonly vm: ApiVm;
}

/**
 * Launches one VM per instance (side by side, as the server serves users) and resolves once all of
 * them run. A launch the server refuses, a VM the cloud puts in `error`, or the time running out
 * is a DemoFailure naming the instance.
 */
export async function launchAndWatch(
  user: ApiSession,
  instances: readonly { readonly name: string; readonly cloud: string }[],
  display: StateDisplay,
  options: WatchOptions,
): Promise<RunningVm[]> {
  const launchFailures = new Map<string, string>();
  let launched = 0;
  for (const { name } of instances) {
    // Every failure is kept for the table; none is left as an unhandled rejection.
    launchOne(user, name)
      .then(() => {
        launched += 1;
      })
      .catch((error: unknown) => {
        launchFailures.set(name, error instanceof Error ? error.message : String(error));
      });
  }

  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const list = await user.get<ApiVmList>('/api/vms');
    const current = instances.map((instance) => {
      const vm = list.vms.find(
        (item) => item.instance === instance.name && item.name === vmName(instance.name),
      );
      return { instance: instance.name, vm, row: rowOf(instance, vm, launchFailures.get(instance.name)) };
    });
    display.update(current.map((item) => item.row));

    const failed = current.find((item) => item.row.state === 'failed' || item.row.state === 'error');
    if (failed !== undefined) {
      const reason =
        launchFailures.get(failed.instance) ??
        failed.vm?.error?.message ??
        `the cloud reports the VM in state "${failed.vm?.vm?.rawState ?? 'error'}"`;
      throw new DemoFailure(`The demo VM on "${failed.instance}" failed: ${reason}`, 'VM_FAILED');
    }
    if (launched === instances.length && current.every((item) => item.row.state === 'running')) {
      return current.map((item) => ({ instance: item.instance, row: item.row, vm: item.vm as ApiVm }));
    }
    if (Date.now() >= deadline) {
      const waiting = current
        .filter((item) => item.row.state !== 'running')
        .map((item) => {
          const error = list.errors.find((entry) => entry.instance === item.instance);
          return `${item.instance} is ${item.row.state}${error ? ` (${error.code}: ${error.message})` : ''}`;
        });
      throw new DemoFailure(
        `Not every demo VM was running after ${Math.round(options.timeoutMs / 1000)} s: ${waiting.join('; ')}.`,
        'TIMEOUT',
      );
    }
    await sleep(options.pollIntervalMs, undefined, { signal: options.signal });
  }
}

function vmName(instance: string): string {
  return `demo-${instance}`;
}

/** The first image and size the instance's catalog lists, launched as the user's `demo-<instance>`. */
async function launchOne(user: ApiSession, instance: string): Promise<void> {
  const path = `/api/clouds/${encodeURIComponent(instance)}`;
  const [{ images }, { sizes }] = await Promise.all([
    user.get<{ images: CatalogItem[] }>(`${path}/images`),
    user.get<{ sizes: CatalogItem[] }>(`${path}/sizes`),
  ]);
  const image = images[0];
  const size = sizes[0];
  if (image === undefined || size === undefined) {
    throw new DemoFailure(
      `"${instance}" lists no ${image === undefined ? 'image' : 'size'} to launch.`,
      'VM_FAILED',
    );
  }
  await user.post(`${path}/vms`, {
    name: vmName(instance),
    image: image.id,
    size: size.id,
    // A retried demo launch returns the same VM rather than a second one. No tags: not every
    // cloud keeps them (OpenNebula's VMs have none), and the server refuses what a connector cannot do.
    idempotencyKey: vmName(instance),
  });
}

function rowOf(
  instance: { readonly name: string; readonly cloud: string },
  vm: ApiVm | undefined,
  launchFailure: string | undefined,
): VmRow {
  const base = { instance: instance.name, cloud: instance.cloud };
  if (launchFailure !== undefined || vm?.recordState === 'failed') {
    return { ...base, state: 'failed', vmId: vm?.cloudId ?? '', addresses: '' };
  }
  if (vm?.vm === undefined) return { ...base, state: 'launching', vmId: vm?.cloudId ?? '', addresses: '' };
  return {
    ...base,
    state: vm.vm.state,
    vmId: vm.vm.id,
    addresses: [...vm.vm.publicIps, ...vm.vm.privateIps].join(', '),
  };
}
