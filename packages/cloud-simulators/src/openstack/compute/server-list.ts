import type { Caller } from '../caller.js';
import { parseIso } from '../dates.js';
import { addressesOf } from '../network/networks.js';
import { badRequest, forbidden } from './errors.js';
import type { Microversion } from './microversion.js';
import { checkKnownParameters, lastValue, type Page, pageOf, regexParameter } from './query.js';
import type { ServerEntry, ServerRecords } from './records.js';
import { KNOWN_STATUSES, novaState } from './server-state.js';
import { hostnameOf } from './server-view.js';

/**
 * GET /servers and /servers/detail: which servers, in which order, from which marker. Filters
 * follow what Nova lets a project member use at each microversion; any other known parameter is
 * dropped (remove_invalid_options), so e.g. `metadata` filters nothing for a non-admin.
 */

/** The parameters of Nova's servers index_query schema (2.75 refuses any other). */
const SCHEMA_PARAMETERS = new Set([
  'user_id',
  'project_id',
  'tenant_id',
  'launch_index',
  'image_ref',
  'image',
  'kernel_id',
  'ramdisk_id',
  'hostname',
  'key_name',
  'power_state',
  'vm_state',
  'task_state',
  'host',
  'node',
  'flavor',
  'reservation_id',
  'launched_at',
  'terminated_at',
  'availability_zone',
  'name',
  'display_name',
  'description',
  'display_description',
  'locked_by',
  'uuid',
  'root_device_name',
  'config_drive',
  'access_ip_v4',
  'access_ip_v6',
  'auto_disk_config',
  'progress',
  'sort_key',
  'sort_dir',
  'all_tenants',
  'soft_deleted',
  'deleted',
  'status',
  'changes-since',
  'ip',
  'ip6',
  'created_at',
  'block_device_mapping',
  'services',
  'metadata',
  'system_metadata',
  'info_cache',
  'security_groups',
  'pci_devices',
  'limit',
  'marker',
  'tags',
  'tags-any',
  'not-tags',
  'not-tags-any',
  'changes-before',
  'locked',
]);

const REGEX_PARAMETERS = new Set([
  'kernel_id',
  'ramdisk_id',
  'hostname',
  'key_name',
  'power_state',
  'node',
  'flavor',
  'reservation_id',
  'launched_at',
  'terminated_at',
  'availability_zone',
  'name',
  'display_name',
  'description',
  'display_description',
  'locked_by',
  'root_device_name',
  'config_drive',
  'access_ip_v4',
  'access_ip_v6',
  'auto_disk_config',
  'progress',
  'ip',
  'ip6',
  'created_at',
  'tags',
  'tags-any',
  'not-tags',
  'not-tags-any',
]);

/** The filters a non-admin may use (ServersController._get_server_search_options). */
function allowedFilters(version: Microversion): Set<string> {
  const allowed = [
    'reservation_id',
    'name',
    'status',
    'image',
    'flavor',
    'ip',
    'changes-since',
    'all_tenants',
  ];
  if (version.atLeast('2.5')) allowed.push('ip6');
  if (version.atLeast('2.26')) allowed.push('tags', 'tags-any', 'not-tags', 'not-tags-any');
  if (version.atLeast('2.66')) allowed.push('changes-before');
  if (version.atLeast('2.73')) allowed.push('locked');
  if (version.atLeast('2.83')) {
    allowed.push(
      'availability_zone',
      'config_drive',
      'key_name',
      'created_at',
      'launched_at',
      'terminated_at',
    );
    allowed.push('power_state', 'task_state', 'vm_state', 'progress', 'user_id');
  }
  if (version.atLeast('2.90')) allowed.push('hostname');
  return new Set(allowed);
}

export interface ListedServers {
  readonly servers: readonly ServerEntry[];
  /** Set when the page is full: the marker of the next one. */
  readonly nextMarker: string | undefined;
}

export interface ListContext {
  readonly caller: Caller;
  readonly version: Microversion;
  readonly records: ServerRecords;
  readonly maxLimit: number;
  readonly zoneName: (id: string) => string;
  readonly floatingAddress: (portId: string) => string | undefined;
}

/**
 * `live` are the model's servers; `deleted` the project's deleted ones, which only a
 * changes-since (or changes-before) query lists, as Nova's default `deleted=False` filter is off then.
 */
export function listServers(
  live: readonly ServerEntry[],
  deleted: readonly ServerEntry[],
  query: URLSearchParams,
  context: ListContext,
): ListedServers {
  const { version } = context;
  checkKnownParameters(query, SCHEMA_PARAMETERS, version);
  for (const name of new Set(query.keys())) {
    if (REGEX_PARAMETERS.has(name)) for (const value of query.getAll(name)) regexParameter(name, value);
  }
  const page = pageOf(query, context.maxLimit);
  const allowed = allowedFilters(version);
  const filters = [...new Set(query.keys())].filter((name) => allowed.has(name));
  if (filters.includes('all_tenants') && isTrue(lastValue(query, 'all_tenants') ?? '', true)) {
    throw forbidden("Policy doesn't allow os_compute_api:servers:detail:get_all_tenants to be performed.");
  }
  const since = parseIso(lastValue(query, 'changes-since') ?? '');
  const before = parseIso(lastValue(query, 'changes-before') ?? '');
  if (since !== undefined && before !== undefined && before < since) {
    throw badRequest('The value of changes-since must be less than or equal to changes-before.');
  }
  const matchers = filters.flatMap((name) => matcher(name, query, context));
  const withDeleted = query.has('changes-since') || query.has('changes-before');
  const ordered = sortServers(withDeleted ? [...live, ...deleted] : live, query);
  const start = startAfter(ordered, page);
  const matching = ordered.slice(start).filter((entry) => matchers.every((matches) => matches(entry)));
  const servers = page.limit === 0 ? [] : matching.slice(0, page.limit);
  const full = page.limit > 0 && servers.length === page.limit;
  return { servers, nextMarker: full ? servers[servers.length - 1]?.vm.id : undefined };
}

function startAfter(ordered: readonly ServerEntry[], page: Page): number {
  if (page.marker === undefined) return 0;
  const index = ordered.findIndex((entry) => entry.vm.id === page.marker);
  if (index < 0) throw badRequest(`marker [${page.marker}] not found`);
  return index + 1;
}

/** Nova's default order is newest first (created_at desc, then the internal id, i.e. creation order). */
function sortServers(entries: readonly ServerEntry[], query: URLSearchParams): ServerEntry[] {
  const keys: Record<string, (entry: ServerEntry) => string | number> = {
    created_at: ({ vm }) => vm.createdAt,
    updated_at: ({ vm }) => vm.phaseSince,
    display_name: ({ vm }) => vm.name,
    uuid: ({ vm }) => vm.id,
  };
  const key =
    keys[lastValue(query, 'sort_key') ?? 'created_at'] ?? (keys.created_at as (entry: ServerEntry) => number);
  const direction = (lastValue(query, 'sort_dir') ?? 'desc').toLowerCase() === 'asc' ? 1 : -1;
  const indexed = entries.map((entry, index) => ({ entry, index }));
  indexed.sort((a, b) => {
    const [x, y] = [key(a.entry), key(b.entry)];
    const order = x < y ? -1 : x > y ? 1 : a.index - b.index;
    return order * direction;
  });
  return indexed.map(({ entry }) => entry);
}

type Matcher = (entry: ServerEntry) => boolean;

function matcher(name: string, query: URLSearchParams, context: ListContext): Matcher[] {
  const value = lastValue(query, name) ?? '';
  const state = (entry: ServerEntry) => novaState(entry.phase, context.records.get(entry.vm.id));
  switch (name) {
    case 'name': {
      const pattern = regexParameter(name, value);
      return [({ vm }) => pattern.test(vm.name)];
    }
    case 'status': {
      const statuses = query.getAll('status').map((status) => status.toUpperCase());
      if (!statuses.some((status) => KNOWN_STATUSES.has(status))) {
        if (context.version.atLeast('2.38')) throw badRequest('Invalid status value');
        return [() => false];
      }
      return [(entry) => statuses.includes(state(entry).status)];
    }
    case 'image':
      return [({ vm }) => vm.image === lastSegment(value)];
    case 'flavor':
      return [({ vm }) => vm.size === lastSegment(value)];
    case 'ip': {
      const pattern = regexParameter(name, value);
      return [
        ({ vm, phase }) => {
          if (phase === 'deleted') return false;
          const record = context.records.get(vm.id);
          return Object.values(addressesOf(vm, record.networks, context.floatingAddress))
            .flat()
            .some((address) => pattern.test(address.addr));
        },
      ];
    }
    case 'ip6':
    case 'reservation_id':
    case 'tags':
    case 'tags-any':
      // No simulated server has an IPv6 address, a reservation id the client could know, or tags.
      return [() => false];
    case 'not-tags':
    case 'not-tags-any':
      return [];
    case 'changes-since':
    case 'changes-before': {
      const at = parseIso(value);
      if (at === undefined) {
        throw badRequest(
          `Invalid input for query parameters ${name}. Value: ${value}. '${value}' is not a 'date-time'`,
        );
      }
      const updated = (entry: ServerEntry): number =>
        entry.phase === 'deleted'
          ? (context.records.get(entry.vm.id).deleted?.goneAt ?? entry.vm.phaseSince)
          : Math.max(entry.vm.createdAt, entry.vm.phaseSince);
      return name === 'changes-since' ? [(entry) => updated(entry) >= at] : [(entry) => updated(entry) <= at];
    }
    case 'locked': {
      const locked = isTrue(value, false);
      return [() => !locked];
    }
    case 'availability_zone': {
      const pattern = regexParameter(name, value);
      return [({ vm }) => pattern.test(context.zoneName(vm.zone))];
    }
    case 'key_name': {
      const pattern = regexParameter(name, value);
      return [({ vm }) => vm.keyPair !== undefined && pattern.test(vm.keyPair)];
    }
    case 'vm_state':
      return [(entry) => query.getAll(name).includes(state(entry).vmState)];
    case 'task_state':
      return [(entry) => query.getAll(name).includes(String(state(entry).taskState))];
    case 'power_state': {
      const pattern = regexParameter(name, value);
      return [(entry) => pattern.test(String(state(entry).powerState))];
    }
    case 'user_id':
      return [({ vm }) => (context.records.get(vm.id).userId ?? context.caller.userId) === value];
    case 'hostname': {
      const pattern = regexParameter(name, value);
      return [({ vm }) => pattern.test(hostnameOf(vm.name))];
    }
    default:
      // config_drive, created_at, launched_at, terminated_at, progress: accepted, matched loosely.
      return [];
  }
}

/** oslo's bool_from_string; `strict` refuses anything it cannot read, as the locked filter does. */
function isTrue(value: string, lenient: boolean): boolean {
  const text = value.trim().toLowerCase();
  if (['1', 't', 'true', 'on', 'y', 'yes'].includes(text)) return true;
  if (['0', 'f', 'false', 'off', 'n', 'no'].includes(text)) return false;
  // all_tenants treats an empty value as asking for every tenant.
  if (lenient) return text === '';
  throw badRequest(
    `Unrecognized value '${value}', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'`,
  );
}

/** Nova accepts an id or a link to the resource. */
function lastSegment(reference: string): string {
  return reference.split('?')[0]?.split('/').pop() ?? reference;
}
