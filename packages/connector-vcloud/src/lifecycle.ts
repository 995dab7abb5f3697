import { ConnectorError } from '@slipstream/connector-core';
import type { SessionContext } from './context.js';
import { VCLOUD_STATUS_CODES } from './states.js';
import { getVApp, isVAppId } from './vm.js';
import { awaitTask, runningTasks } from './waits.js';
import { buildXml, documentOf, idOfHref, text, VCLOUD_NAMESPACE, type XmlElement } from './wire.js';

/**
 * terminate, stop and start over a batch of vApp ids. Every id is looked up first, so that an
 * unknown one fails the batch before anything changes. vCloud refuses changes to a vApp whose
 * task still runs, so those tasks are waited for first; then each change's own task is waited for.
 * stop is undeploy with power-off, start is power-on, terminate is undeploy (when deployed) and
 * delete. A vApp already where the call takes it is left alone.
 */

type Found = { readonly kind: 'vapp'; readonly vapp: XmlElement } | { readonly kind: 'deleted' };

async function lookUp(
  context: SessionContext,
  ids: readonly string[],
  what: string,
  signal: AbortSignal | undefined,
): Promise<Map<string, Found>> {
  const found = new Map<string, Found>();
  await Promise.all(
    ids.map(async (id) => {
      const vapp = await getVApp(context, id, signal);
      if (vapp !== undefined) found.set(id, { kind: 'vapp', vapp });
      else if (context.deleted.has(id.toLowerCase())) found.set(id, { kind: 'deleted' });
    }),
  );
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length > 0) {
    const malformed = unknown.some((id) => !isVAppId(id)) ? ' (ids are vApp ids, vapp-<uuid>)' : '';
    throw new ConnectorError(
      'NOT_FOUND',
      `Cannot ${what}: VDC ${context.settings.vdc} has no vApp ${unknown.join(', ')}${malformed}; nothing was changed.`,
    );
  }
  return found;
}

const statusOf = (vapp: XmlElement): string => VCLOUD_STATUS_CODES[Number(text(vapp, 'status'))] ?? '';

/** The vApp once no task of its own runs; a task that fails meanwhile is not this call's failure. */
async function settled(
  context: SessionContext,
  vapp: XmlElement,
  signal: AbortSignal | undefined,
): Promise<XmlElement> {
  const tasks = runningTasks(vapp);
  if (tasks.length === 0) return vapp;
  for (const task of tasks) {
    await awaitTask(context, task, 'running on the vApp', signal).catch((error: unknown) => {
      if (ConnectorError.hasCode(error, 'ABORTED') || ConnectorError.hasCode(error, 'TIMEOUT')) throw error;
    });
  }
  const id = idOfHref(text(vapp, 'href')) ?? '';
  return (await getVApp(context, id, signal)) ?? vapp;
}

/** Sends one change to a vApp and waits for its task. */
async function change(
  context: SessionContext,
  vapp: XmlElement,
  request: {
    readonly operation: string;
    readonly method: 'POST' | 'DELETE';
    readonly path: string;
    readonly body?: { xml: string; type: string };
  },
  signal: AbortSignal | undefined,
): Promise<void> {
  const href = text(vapp, 'href') ?? '';
  const response = await context.client.call({
    operation: request.operation,
    method: request.method,
    url: `${href}${request.path}`,
    body: request.body,
    signal,
  });
  await awaitTask(context, documentOf(response.body, 'Task', request.operation), request.operation, signal);
}

const UNDEPLOY = {
  operation: 'undeploy',
  method: 'POST',
  path: '/action/undeploy',
  body: {
    xml: buildXml({ UndeployVAppParams: { '@_xmlns': VCLOUD_NAMESPACE, UndeployPowerAction: 'powerOff' } }),
    type: 'application/vnd.vmware.vcloud.undeployVAppParams+xml',
  },
} as const;

const isDeployed = (vapp: XmlElement): boolean => text(vapp, 'deployed') === 'true';

async function each(
  context: SessionContext,
  ids: readonly string[],
  verb: string,
  signal: AbortSignal | undefined,
  act: (vapp: XmlElement, id: string) => Promise<void>,
): Promise<void> {
  const found = await lookUp(context, ids, verb, signal);
  const results = await Promise.allSettled(
    [...found].map(([id, entry]) => (entry.kind === 'vapp' ? act(entry.vapp, id) : Promise.resolve())),
  );
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}

export function terminate(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  return each(context, ids, 'terminate', signal, async (found, id) => {
    const vapp = await settled(context, found, signal);
    if (isDeployed(vapp)) await change(context, vapp, UNDEPLOY, signal);
    await change(context, vapp, { operation: 'delete vApp', method: 'DELETE', path: '' }, signal);
    context.deleted.add(id.toLowerCase());
  });
}

export function stop(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  return each(context, ids, 'stop', signal, async (found) => {
    const vapp = await settled(context, found, signal);
    if (isDeployed(vapp) || statusOf(vapp) === 'POWERED_ON') await change(context, vapp, UNDEPLOY, signal);
  });
}

export function start(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  return each(context, ids, 'start', signal, async (found) => {
    const vapp = await settled(context, found, signal);
    if (statusOf(vapp) === 'POWERED_ON') return;
    await change(
      context,
      vapp,
      { operation: 'powerOn', method: 'POST', path: '/power/action/powerOn' },
      signal,
    );
  });
}
