import {
  type Logger,
  mapState,
  readId,
  readVms,
  userTags,
  type Vm,
  type WireReader,
} from '@slipstream/connector-core';
import type { SessionContext } from './context.js';
import { EXOSCALE_STATES } from './states.js';
import { instanceOf, listOf } from './wire.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Exoscale ids are UUIDs (`format: uuid`); anything else cannot name an instance. */
export function isInstanceId(id: string): boolean {
  return UUID.test(id);
}

/** States in which an instance is on its way out, or gone: terminating it again is a no-op. */
export const DELETING_STATES: ReadonlySet<string> = new Set(['destroying', 'expunging', 'destroyed']);

/**
 * The contract's VM from an Exoscale instance, read field by field. Exoscale reports the public
 * IPv4 (and IPv6 when enabled) on the instance; private network addresses are leases of the
 * private networks, not instance fields, so `privateIps` stays empty. The zone is the instance's
 * endpoint's zone: the resource does not name it. The labels are the tags, less the connector's
 * own launch tags.
 */
export function readInstance(wire: WireReader, zone: string): Vm {
  const state = wire.string('state') ?? '';
  const publicIps = [wire.string('public-ip'), wire.string('ipv6-address')].filter(
    (ip): ip is string => ip !== undefined && ip !== '',
  );
  return {
    id: wire.id('id') ?? '',
    name: wire.string('name') ?? '',
    state: mapState(EXOSCALE_STATES, state),
    rawState: state,
    publicIps,
    privateIps: [],
    image: wire.object('template')?.id('id'),
    size: wire.object('instance-type')?.id('id'),
    zone,
    createdAt: isoTime(wire.string('created-at')),
    tags: userTags(wire.strings('labels')),
  };
}

/**
 * The VMs of instances Exoscale answered to `what` (an operation id: `list-instances`). An instance
 * with a field that cannot be read is shown in state `unknown`, and one without a readable id is
 * left out, each listing logging one warning that names the fields.
 */
export function toVms(items: readonly unknown[], zone: string, logger: Logger, what: string): Vm[] {
  return readVms(items, (wire) => readInstance(wire, zone), { logger, what: `Exoscale ${what}` });
}

function isoTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** The VM of an id, or undefined when Exoscale does not know it (any more). */
export async function getInstance(
  context: SessionContext,
  id: string,
  signal: AbortSignal | undefined,
): Promise<Vm | undefined> {
  const answer = await context.client.call<unknown>({
    operation: 'get-instance',
    method: 'GET',
    path: `/instance/${encodeURIComponent(id)}`,
    signal,
    acceptStatus: [404],
  });
  if (answer.status === 404) return undefined;
  return toVms(
    [instanceOf(answer.data, 'get-instance')],
    context.settings.zone,
    context.logger,
    'get-instance',
  )[0];
}

/** The instances of the zone, or those of `ids`; ids Exoscale does not know are left out. */
export async function describeInstances(
  context: SessionContext,
  requested: readonly string[] | undefined,
  signal: AbortSignal | undefined,
): Promise<Vm[]> {
  const ids = requested?.filter(isInstanceId);
  if (ids?.length === 0) return [];
  if (ids?.length === 1) {
    const vm = await getInstance(context, ids[0] as string, signal);
    return vm === undefined ? [] : [vm];
  }
  // One listing serves any number of ids; Exoscale does not paginate it.
  const data = await context.client.json<unknown>({
    operation: 'list-instances',
    method: 'GET',
    path: '/instance',
    signal,
  });
  const items = listOf(data, 'instances', 'list-instances');
  const wanted = ids && new Set(ids.map((id) => id.toLowerCase()));
  // Only the instances asked for are read, so that an odd one nobody asked about warns nobody.
  const asked =
    wanted === undefined
      ? items
      : items.filter((item) =>
          wanted.has(readId((item as Record<string, unknown> | null)?.id)?.toLowerCase() ?? ''),
        );
  return toVms(asked, context.settings.zone, context.logger, 'list-instances');
}
