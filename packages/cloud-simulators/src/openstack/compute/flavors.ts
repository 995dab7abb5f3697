import type { SimSize } from '../../model/types.js';
import type { NovaCall, NovaContext, NovaResult } from './context.js';
import { badRequest, notFound } from './errors.js';
import { checkKnownParameters, lastValue, pageOf } from './query.js';

/** GET /flavors, /flavors/detail and /flavors/{id}: every flavor is public and enabled. */

const SORT_KEYS: Readonly<Record<string, (size: SimSize) => string | number>> = {
  flavorid: (size) => size.id,
  id: (size) => size.id,
  name: (size) => size.name,
  memory_mb: (size) => size.memoryMb,
  vcpus: (size) => size.cpus,
  root_gb: (size) => size.diskGb ?? 0,
};

/** Nova's VALID_SORT_KEYS for flavors (the simulator orders by the ones it models). */
const VALID_SORT_KEYS = [
  'created_at',
  'description',
  'disabled',
  'ephemeral_gb',
  'flavorid',
  'id',
  'is_public',
  'memory_mb',
  'name',
  'root_gb',
  'rxtx_factor',
  'swap',
  'updated_at',
  'vcpu_weight',
  'vcpus',
];

const QUERY_PARAMETERS = new Set([
  'limit',
  'marker',
  'is_public',
  'minRam',
  'minDisk',
  'sort_key',
  'sort_dir',
]);

export function handleFlavors(context: NovaContext, call: NovaCall): NovaResult {
  if (call.operation === 'show-flavor')
    return { status: 200, body: { flavor: renderFlavor(flavor(context, call), call, true) } };
  // The simulated flavors have no extra specs (os-flavor-extra-specs, readable by project members).
  if (call.operation === 'list-flavor-extra-specs') {
    flavor(context, call);
    return { status: 200, body: { extra_specs: {} } };
  }
  if (call.operation === 'show-flavor-extra-spec') {
    throw notFound(`Flavor ${flavor(context, call).id} has no extra specs with key ${call.subParam}.`);
  }
  const detail = call.operation === 'list-flavors-detail';
  const { query } = call;
  checkKnownParameters(query, QUERY_PARAMETERS, call.version);
  const sortKey = lastValue(query, 'sort_key') ?? 'flavorid';
  if (!VALID_SORT_KEYS.includes(sortKey)) {
    throw badRequest(
      `Invalid input for query parameters sort_key. Value: ${sortKey}. '${sortKey}' is not one of ${pythonList(VALID_SORT_KEYS)}`,
    );
  }
  const sortDir = lastValue(query, 'sort_dir') ?? 'asc';
  if (sortDir !== 'asc' && sortDir !== 'desc') {
    throw badRequest(
      `Invalid input for query parameters sort_dir. Value: ${sortDir}. '${sortDir}' is not one of ['asc', 'desc']`,
    );
  }
  const minRam = integerFilter(query, 'minRam');
  const minDisk = integerFilter(query, 'minDisk');
  const page = pageOf(query, context.maxLimit);
  const key = SORT_KEYS[sortKey] ?? SORT_KEYS.flavorid;
  const ordered = [...context.cloud.sizes].sort((a, b) => {
    const [x, y] = [
      (key as (size: SimSize) => string | number)(a),
      (key as (size: SimSize) => string | number)(b),
    ];
    return (x < y ? -1 : x > y ? 1 : 0) * (sortDir === 'asc' ? 1 : -1);
  });
  let start = 0;
  if (page.marker !== undefined) {
    start = ordered.findIndex((size) => size.id === page.marker) + 1;
    if (start === 0) throw badRequest(`marker [${page.marker}] not found`);
  }
  const matching = ordered
    .slice(start)
    .filter(
      (size) =>
        (minRam === undefined || size.memoryMb >= minRam) &&
        (minDisk === undefined || (size.diskGb ?? 0) >= minDisk),
    );
  const flavors = matching.slice(0, page.limit);
  const body: Record<string, unknown> = { flavors: flavors.map((size) => renderFlavor(size, call, detail)) };
  const last = flavors[flavors.length - 1];
  if (page.limit > 0 && flavors.length === page.limit && last) {
    body.flavors_links = call.links.next(detail ? 'flavors/detail' : 'flavors', query, last.id);
  }
  return { status: 200, body };
}

function flavor(context: NovaContext, call: NovaCall): SimSize {
  const size = context.cloud.sizes.find((candidate) => candidate.id === call.param);
  if (!size) throw notFound(`Flavor ${call.param} could not be found.`);
  return size;
}

function integerFilter(query: URLSearchParams, name: string): number | undefined {
  const value = lastValue(query, name);
  if (value === undefined) return undefined;
  if (!/^\s*[+-]?\d+\s*$/.test(value)) throw badRequest(`Invalid ${name} filter [${value}]`);
  return Number(value);
}

export function renderFlavor(size: SimSize, call: NovaCall, detail: boolean): Record<string, unknown> {
  const flavor: Record<string, unknown> = {
    id: size.id,
    name: size.name,
    links: call.links.of('flavors', size.id),
  };
  if (detail) {
    Object.assign(flavor, {
      ram: size.memoryMb,
      disk: size.diskGb ?? 0,
      // Before 2.75 a flavor without swap shows "" rather than 0.
      swap: call.version.atLeast('2.75') ? 0 : '',
      'OS-FLV-EXT-DATA:ephemeral': 0,
      'OS-FLV-DISABLED:disabled': false,
      vcpus: size.cpus,
      'os-flavor-access:is_public': true,
      rxtx_factor: 1.0,
    });
    if (call.version.atLeast('2.61')) flavor.extra_specs = {};
  }
  if (call.version.atLeast('2.55')) flavor.description = size.description;
  return flavor;
}

function pythonList(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(', ')}]`;
}
