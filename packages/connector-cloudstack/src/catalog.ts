import { ConnectorError, type Image, type Size, type Zone } from '@slipstream/connector-core';
import type { CloudStackClient, Json } from './client.js';
import { numberOf, text } from './wire.js';

/**
 * Templates, service offerings and zones: listing them for users, and resolving what a launch
 * names (an id or a name) to the ids deployVirtualMachine wants.
 */

export interface CatalogTemplate {
  readonly id: string;
  readonly name: string;
  readonly displayText: string | undefined;
  readonly os: string | undefined;
  /** Zones the template is in; CloudStack lists a template once per zone. */
  readonly zones: readonly string[];
}

/**
 * Templates the user may deploy: `executable` (theirs and the public ones) and `featured` (the
 * cloud's), merged, one entry per template with the zones it is in. Templates not ready yet are
 * left out.
 */
export async function listTemplates(
  client: CloudStackClient,
  signal: AbortSignal | undefined,
  zoneId?: string,
): Promise<CatalogTemplate[]> {
  const [executable, featured] = await Promise.all(
    ['executable', 'featured'].map((filter) =>
      client.list('listTemplates', { templatefilter: filter, zoneid: zoneId }, 'template', { signal }),
    ),
  );
  const byId = new Map<string, { template: CatalogTemplate; zones: Set<string> }>();
  for (const raw of [...(executable?.items ?? []), ...(featured?.items ?? [])]) {
    const id = text(raw, 'id');
    if (id === undefined || raw.isready === false) continue;
    const entry = byId.get(id) ?? {
      template: {
        id,
        name: text(raw, 'name') ?? id,
        displayText: text(raw, 'displaytext'),
        os: text(raw, 'ostypename'),
        zones: [],
      },
      zones: new Set<string>(),
    };
    const zone = text(raw, 'zoneid');
    if (zone !== undefined) entry.zones.add(zone);
    byId.set(id, entry);
  }
  return [...byId.values()].map(({ template, zones }) => ({ ...template, zones: [...zones] }));
}

export function toImage(template: CatalogTemplate): Image {
  return {
    id: template.id,
    name: template.name,
    ...(template.displayText === undefined ? {} : { description: template.displayText }),
    ...(template.os === undefined ? {} : { os: template.os }),
    // A template in one zone says which; one in several zones is not tied to any.
    ...(template.zones.length === 1 ? { zone: template.zones[0] } : {}),
  };
}

/** Compute offerings a user can launch with: customized ones (CPU and memory chosen at deploy) are left out. */
export async function listOfferings(
  client: CloudStackClient,
  signal: AbortSignal | undefined,
): Promise<Json[]> {
  const { items } = await client.list('listServiceOfferings', {}, 'serviceoffering', { signal });
  return items.filter((raw) => raw.iscustomized !== true && text(raw, 'id') !== undefined);
}

export function toSize(raw: Json): Size {
  const cpus = numberOf(raw, 'cpunumber');
  const memoryMb = numberOf(raw, 'memory');
  const diskGb = numberOf(raw, 'rootdisksize');
  return {
    id: text(raw, 'id') ?? '',
    name: text(raw, 'name') ?? text(raw, 'id') ?? '',
    ...(cpus === undefined ? {} : { cpus }),
    ...(memoryMb === undefined ? {} : { memoryMb }),
    ...(diskGb === undefined || diskGb <= 0 ? {} : { diskGb }),
  };
}

/** Zones the user may deploy in (`available=true`). */
export async function listZones(client: CloudStackClient, signal: AbortSignal | undefined): Promise<Zone[]> {
  const { items } = await client.list('listZones', { available: true }, 'zone', { signal });
  return items
    .filter((raw) => text(raw, 'id') !== undefined)
    .map((raw) => ({
      id: text(raw, 'id') as string,
      name: text(raw, 'name') ?? (text(raw, 'id') as string),
      available: text(raw, 'allocationstate') === undefined || text(raw, 'allocationstate') === 'Enabled',
    }));
}

interface Named {
  readonly id: string;
  readonly name: string;
}

/**
 * The one item a launch names, by id first, then by exact name; INVALID_REQUEST naming what was
 * asked and what there is when none or several match.
 */
export function pick<T extends Named>(items: readonly T[], wanted: string, what: string, where = ''): T {
  const byId = items.find((item) => item.id === wanted);
  if (byId) return byId;
  const byName = items.filter((item) => item.name === wanted);
  if (byName.length === 1) return byName[0] as T;
  if (byName.length > 1) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `${capitalize(what)} "${wanted}" is ambiguous${where}: ${byName.length} have that name (${byName.map((item) => item.id).join(', ')}); use the id.`,
    );
  }
  const names = items.slice(0, 12).map((item) => `"${item.name}"`);
  const more = items.length > names.length ? `, … (${items.length} in all)` : '';
  throw new ConnectorError(
    'INVALID_REQUEST',
    `There is no ${what} "${wanted}"${where}${items.length > 0 ? `; choose one of ${names.join(', ')}${more}` : `; the cloud offers none`}.`,
  );
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
