import type { Zone } from '@slipstream/connector-core';

/**
 * Exoscale's zones: the values of the `zone` server variable in the API v2 specification, in its
 * order. Each zone has its own API endpoint; a connector instance works in one of them.
 */
export const EXOSCALE_ZONE_NAMES = [
  'ch-gva-2',
  'ch-dk-2',
  'de-fra-1',
  'de-muc-1',
  'at-vie-1',
  'at-vie-2',
  'bg-sof-1',
  'hr-zag-1',
] as const;

export type ExoscaleZoneName = (typeof EXOSCALE_ZONE_NAMES)[number];

/** Where each zone is, for display: the API only names them. */
const CITIES: Readonly<Record<ExoscaleZoneName, string>> = Object.freeze({
  'ch-gva-2': 'Geneva',
  'ch-dk-2': 'Zurich',
  'de-fra-1': 'Frankfurt',
  'de-muc-1': 'Munich',
  'at-vie-1': 'Vienna',
  'at-vie-2': 'Vienna',
  'bg-sof-1': 'Sofia',
  'hr-zag-1': 'Zagreb',
});

/** The public API endpoint of a zone, as the specification's server template builds it. */
export function defaultEndpoint(zone: string): string {
  return `https://api-${zone}.exoscale.com/v2`;
}

/** The contract's Zone for an Exoscale zone name: its id is the name, its label the city. */
export function toZone(name: string, available = true): Zone {
  const city = (CITIES as Readonly<Record<string, string>>)[name];
  return { id: name, name: city ? `${city} (${name})` : name, available };
}
