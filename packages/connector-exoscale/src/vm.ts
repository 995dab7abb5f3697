import { mapState, type Vm } from '@slipstream/connector-core';
import type { SessionContext } from './context.js';
import { userTags } from './labels.js';
import { EXOSCALE_STATES } from './states.js';
import { type ExoscaleInstance, instanceOf, itemsOf } from './wire.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Exoscale ids are UUIDs (`format: uuid`); anything else cannot name an instance. */
export function isInstanceId(id: string): boolean {
  return UUID.test(id);
}

/** States in which an instance is on its way out, or gone: terminating it again is a no-op. */
export const DELETING_STATES: ReadonlySet<string> = new Set(['destroying', 'expunging', 'destroyed']);

/**
 * The contract's VM from an Exoscale instance. Exoscale reports the public IPv4 (and IPv6 when
 * enabled) on the instance; private network addresses are leases of the private networks, not
 * instance fields, so `privateIps` stays empty. The zone is the instance's endpoint's zone: the
 * resource does not name it.
 */
export function toVm(instance: ExoscaleInstance, zone: string): Vm {
  const state = typeof instance.state === 'string' ? instance.state : '';
  const publicIps = [instance['public-ip'], instance['ipv6-address']].filter(
    (ip): ip is string => typeof ip === 'string' && ip !== '',
  );
  return {
    id: instance.id,
    name: instance.name ?? '',
    state: mapState(EXOSCALE_STATES, state),
    rawState: state,
    publicIps,
    privateIps: [],
    image: instance.template?.id,
    size: instance['instance-type']?.id,
    zone,
    createdAt: isoTime(instance['created-at']),
    tags: userTags(instance.labels),
  };
}

function isoTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** The instance of an id, or undefined when Exoscale does not know it (any more). */
export async function getInstance(
  context: SessionContext,
  id: string,
  signal: AbortSignal | undefined,
): Promise<ExoscaleInstance | undefined> {
  const answer = await context.client.call<unknown>({
    operation: 'get-instance',
    method: 'GET',
    path: `/instance/${encodeURIComponent(id)}`,
    signal,
    acceptStatus: [404],
  });
  return answer.status === 404 ? undefined : instanceOf(answer.data, 'get-instance');
}

/** The instances of the zone, or those of `ids`; ids Exoscale does not know are left out. */
export async function describeInstances(
  context: SessionContext,
  requested: readonly string[] | undefined,
  signal: AbortSignal | undefined,
): Promise<Vm[]> {
  const { client, settings } = context;
  const ids = requested?.filter(isInstanceId);
  if (ids?.length === 0) return [];
  if (ids?.length === 1) {
    const instance = await getInstance(context, ids[0] as string, signal);
    return instance === undefined ? [] : [toVm(instance, settings.zone)];
  }
  // One listing serves any number of ids; Exoscale does not paginate it.
  const data = await client.json<unknown>({
    operation: 'list-instances',
    method: 'GET',
    path: '/instance',
    signal,
  });
  const wanted = ids && new Set(ids.map((id) => id.toLowerCase()));
  return itemsOf<ExoscaleInstance>(data, 'instances', 'list-instances')
    .filter((instance) => wanted === undefined || wanted.has(instance.id.toLowerCase()))
    .map((instance) => toVm(instance, settings.zone));
}
